package io.kpod.quadlet;

import java.util.List;

/**
 * What other units need to know about one unit: its service name, the name of the kpod object it
 * creates (empty when it cannot be known, e.g. with specifiers), and for a pod the services of the
 * containers to start with it.
 */
public record UnitInfo(String fileName, UnitType type, String serviceName, String resourceName,
                       List<String> containersToStart) {

    public UnitInfo {
        containersToStart = List.copyOf(containersToStart);
    }

    public String serviceFileName() {
        return serviceName + ".service";
    }
}
