package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The names of every unit being generated, computed before any conversion so units can refer to each other. */
public final class UnitRegistry {
    private final Map<String, UnitInfo> byFileName;

    private UnitRegistry(Map<String, UnitInfo> byFileName) {
        this.byFileName = Map.copyOf(byFileName);
    }

    /** Registers every unit whose file name has a Quadlet extension. */
    public static UnitRegistry of(Collection<UnitFile> units) {
        Map<String, UnitInfo> infos = new LinkedHashMap<>();
        for (UnitFile unit : units) {
            UnitType.of(unit.fileName()).ifPresent(type -> infos.put(unit.fileName(), new UnitInfo(unit.fileName(),
                    type, UnitNames.serviceName(unit, type), resourceName(unit, type), List.of())));
        }
        for (UnitFile unit : units) {
            podToJoin(unit).ifPresent(pod -> {
                UnitInfo info = infos.get(pod);
                if (info == null) {
                    return; // reported when the container itself is converted
                }
                List<String> containers = new ArrayList<>(info.containersToStart());
                containers.add(infos.get(unit.fileName()).serviceFileName());
                infos.put(pod, new UnitInfo(info.fileName(), info.type(), info.serviceName(), info.resourceName(),
                        containers));
            });
        }
        return new UnitRegistry(infos);
    }

    private static Optional<String> podToJoin(UnitFile unit) {
        if (UnitType.of(unit.fileName()).orElse(null) != UnitType.CONTAINER) {
            return Optional.empty();
        }
        Optional<String> pod = unit.lookupNonEmpty("Container", "Pod").filter(p -> p.endsWith(".pod"));
        try {
            if (pod.isEmpty() || !unit.lookupBoolean("Container", "StartWithPod", true)) {
                return Optional.empty();
            }
        } catch (QuadletException invalid) {
            return Optional.empty(); // reported when the container itself is converted
        }
        return pod;
    }

    private static String resourceName(UnitFile unit, UnitType type) {
        return switch (type) {
            case CONTAINER -> {
                String name = UnitNames.containerName(unit).replace("%N", UnitNames.serviceName(unit, type));
                yield name.contains("%") ? "" : name;
            }
            case VOLUME -> UnitNames.resourceName(unit, "Volume", "VolumeName");
            case NETWORK -> UnitNames.resourceName(unit, "Network", "NetworkName");
            case POD -> UnitNames.resourceName(unit, "Pod", "PodName");
            case IMAGE -> unit.lookupNonEmpty("Image", "ImageTag").or(() -> unit.lookup("Image", "Image")).orElse("");
            case KUBE -> "";
        };
    }

    public Optional<UnitInfo> find(String fileName) {
        return Optional.ofNullable(byFileName.get(fileName));
    }
}
