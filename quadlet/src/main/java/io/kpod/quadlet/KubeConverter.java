package io.kpod.quadlet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code .kube} → a notify service running {@code kpod kube play} with a service container, and {@code kube down} after. */
final class KubeConverter implements UnitConverter {
    static final String SECTION = "Kube";

    private static final Set<String> KEYS = Set.of("AutoUpdate", "ConfigMap", "ContainersConfModule",
            "ExitCodePropagation", "GlobalArgs", "KubeDownForce", "LogDriver", "LogOpt", "Network", "PodmanArgs",
            "PublishPort", "RemapGid", "RemapUid", "RemapUidSize", "RemapUsers", "ServiceName", "SetWorkingDirectory",
            "UserNS", "Yaml");

    @Override
    public Set<String> supportedKeys() {
        return KEYS;
    }

    @Override
    public UnitFile convert(UnitFile unit, ConversionContext ctx) {
        UnitFile service = ServiceScaffold.create(unit, UnitType.KUBE, KEYS, ctx);
        List<String> yamls = new ArrayList<>();
        for (String yaml : unit.lookupAllStrv(SECTION, "Yaml")) {
            yamls.add(CommonOptions.absolutePath(unit, yaml));
        }
        if (yamls.isEmpty()) {
            throw new QuadletException("no Yaml key specified", unit.path().orElse(null), 0);
        }
        CommonOptions.killMode(service);
        service.add(ServiceScaffold.SERVICE, "Environment", "PODMAN_SYSTEMD_UNIT=%n");
        // a YAML with only volumes, secrets or config maps may run as a oneshot
        if (!CommonOptions.serviceType(service).equals("oneshot")) {
            service.set(ServiceScaffold.SERVICE, "Type", "notify");
            service.set(ServiceScaffold.SERVICE, "NotifyAccess", "all");
        }
        service.setIfAbsent(ServiceScaffold.SERVICE, "SyslogIdentifier", "%N");

        KpodCommand play = KpodCommand.base(ctx, unit, SECTION).add("kube", "play", "--replace",
                "--service-container=true");
        unit.lookupNonEmpty(SECTION, "ExitCodePropagation")
                .ifPresent(p -> play.add("--service-exit-code-propagation=" + p));
        CommonOptions.logging(unit, SECTION, play);
        UserMappings.mappings(unit, SECTION, play, false);
        CommonOptions.networks(unit, SECTION, service, ctx, play);
        for (String update : unit.lookupAllStrv(SECTION, "AutoUpdate")) {
            int slash = update.indexOf('/');
            play.add(slash < 0 ? "--annotation=io.containers.autoupdate=" + update
                    : "--annotation=io.containers.autoupdate/" + update.substring(0, slash) + "="
                    + update.substring(slash + 1));
        }
        for (String configMap : unit.lookupAllStrv(SECTION, "ConfigMap")) {
            play.add("--configmap", CommonOptions.absolutePath(unit, configMap));
        }
        CommonOptions.publishPorts(unit, SECTION, play);
        CommonOptions.podmanArgs(unit, SECTION, play);
        play.addAll(yamls);
        service.addCommand(ServiceScaffold.SERVICE, "ExecStart", play.argv());

        // ExecStopPost runs even when start failed half-way, so nothing is left behind
        KpodCommand down = KpodCommand.base(ctx, unit, SECTION).add("kube", "down");
        unit.lookupBoolean(SECTION, "KubeDownForce").ifPresent(f -> down.addBool("--force", f));
        down.addAll(yamls);
        service.addCommand(ServiceScaffold.SERVICE, "ExecStopPost", down.argv());
        workingDirectory(unit, service, yamls);
        return service;
    }

    /** {@code SetWorkingDirectory=yaml|unit} sets the service's WorkingDirectory unless it has one. */
    private static void workingDirectory(UnitFile unit, UnitFile service, List<String> yamls) {
        var entry = unit.lastEntry(SECTION, "SetWorkingDirectory");
        var value = unit.lookupNonEmpty(SECTION, "SetWorkingDirectory");
        if (value.isEmpty()) {
            return;
        }
        String relativeTo;
        switch (value.get().toLowerCase(Locale.ROOT)) {
            case "yaml" -> {
                if (yamls.size() != 1) {
                    throw QuadletException.at(entry.orElseThrow(),
                            "SetWorkingDirectory=yaml is only supported when a single Yaml key is provided");
                }
                relativeTo = yamls.get(0);
            }
            case "unit" -> relativeTo = unit.path().map(Path::toString).orElse("");
            default -> throw QuadletException.at(entry.orElseThrow(),
                    "unsupported value for SetWorkingDirectory: " + value.get());
        }
        if (relativeTo.isEmpty() || unit.lookupNonEmpty(ServiceScaffold.SERVICE, "WorkingDirectory").isPresent()) {
            return;
        }
        Path parent = Path.of(CommonOptions.absolutePath(unit, relativeTo)).getParent();
        service.add(ServiceScaffold.SERVICE, "WorkingDirectory", parent == null ? "/" : parent.toString());
    }
}
