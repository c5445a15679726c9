package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part every conversion shares: reject unknown keys, copy the unit under its service name,
 * add the network-online dependency, record the source, hide the Quadlet sections from systemd
 * as {@code X-} sections and translate dependencies on other Quadlet units to their services.
 */
final class ServiceScaffold {
    static final String UNIT = "Unit";
    static final String SERVICE = "Service";
    static final String QUADLET = "Quadlet";

    private static final Set<String> QUADLET_KEYS = Set.of("DefaultDependencies");
    private static final List<String> DEPENDENCY_KEYS = List.of("After", "Before", "BindsTo", "Conflicts",
            "OnFailure", "OnSuccess", "PartOf", "PropagatesReloadTo", "PropagatesStopTo", "ReloadPropagatedFrom",
            "Requires", "Requisite", "StopPropagatedFrom", "Upholds", "Wants");

    private ServiceScaffold() {
    }

    static UnitFile create(UnitFile unit, UnitType type, Set<String> supportedKeys, ConversionContext context) {
        checkKeys(unit, type.section(), supportedKeys);
        checkKeys(unit, QUADLET, QUADLET_KEYS);
        UnitInfo info = context.infoOf(unit);
        UnitFile service = unit.copyAs(info.serviceFileName());
        if (unit.lookupBoolean(QUADLET, "DefaultDependencies", true)) {
            // pulls and port bindings need the network up; a user manager has no such target
            // but ignores a Wants= on a unit it cannot find
            service.prepend(UNIT, "After", "network-online.target");
            service.prepend(UNIT, "Wants", "network-online.target");
        }
        unit.path().ifPresent(p -> service.add(UNIT, "SourcePath", p.toString()));
        service.renameSection(type.section(), "X-" + type.section());
        service.renameSection(QUADLET, "X-" + QUADLET);
        translateDependencies(service, context);
        // kpod keeps its run state under the runtime dir, like Podman's %t/containers
        service.add(UNIT, "RequiresMountsFor", "%t/containers");
        return service;
    }

    private static void checkKeys(UnitFile unit, String section, Set<String> supported) {
        for (UnitEntry e : unit.entries(section)) {
            if (!supported.contains(e.key())) {
                throw QuadletException.at(e, "unsupported key '" + e.key() + "' in group '" + section + "'");
            }
        }
    }

    private static void translateDependencies(UnitFile service, ConversionContext context) {
        for (String key : DEPENDENCY_KEYS) {
            List<String> translated = new ArrayList<>();
            boolean changed = false;
            for (UnitEntry e : service.allEntries(UNIT, key)) {
                for (String dep : UnitFile.split(e, SystemdWords.Mode.STRV)) {
                    if (UnitType.of(dep).isPresent()) {
                        translated.add(context.referenced(dep, e).serviceFileName());
                        changed = true;
                    } else {
                        translated.add(dep);
                    }
                }
            }
            if (changed) {
                service.unset(UNIT, key);
                service.add(UNIT, key, String.join(" ", translated));
            }
        }
    }
}
