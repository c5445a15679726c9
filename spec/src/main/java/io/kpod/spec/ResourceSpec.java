package io.kpod.spec;

import java.util.List;
import java.util.Map;

/**
 * Resource limits: memory in bytes, CPU as a quota/period pair (from {@code --cpus}) or
 * shares, pids limit (null means the engine default, 0 or -1 unlimited), rlimits and sysctls,
 * and the CPUs and memory nodes the container may use ({@code --cpuset-cpus}, {@code --cpuset-mems}:
 * lists like {@code 0-2,4}; null for all).
 */
public record ResourceSpec(
        Long memoryBytes,
        Long cpuQuota,
        Long cpuPeriod,
        Long cpuShares,
        Long pidsLimit,
        List<Ulimit> ulimits,
        Map<String, String> sysctls,
        Long shmSizeBytes,
        String cpusetCpus,
        String cpusetMems) {

    /** One rlimit as {@code --ulimit name=soft[:hard]} gives it; -1 means unlimited. */
    public record Ulimit(String name, long soft, long hard) {
    }

    /** Without CPU or memory-node placement. */
    public ResourceSpec(Long memoryBytes, Long cpuQuota, Long cpuPeriod, Long cpuShares, Long pidsLimit,
                        List<Ulimit> ulimits, Map<String, String> sysctls, Long shmSizeBytes) {
        this(memoryBytes, cpuQuota, cpuPeriod, cpuShares, pidsLimit, ulimits, sysctls, shmSizeBytes, null, null);
    }

    /** The same limits placed on these CPUs and memory nodes (null: all). */
    public ResourceSpec withCpuset(String cpus, String mems) {
        return new ResourceSpec(memoryBytes, cpuQuota, cpuPeriod, cpuShares, pidsLimit, ulimits, sysctls,
                shmSizeBytes, cpus, mems);
    }

    /**
     * Checks a CPU or memory-node list ({@code 0-2,4}) as the kernel's cpuset files take it; returns
     * it, or null for null or empty.
     */
    public static String cpuList(String what, String list) {
        if (list == null || list.isBlank()) {
            return null;
        }
        if (!list.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            throw KpodException.invalid("invalid " + what + " \"" + list + "\": expected numbers and ranges like 0-2,4");
        }
        for (String part : list.split(",")) {
            String[] r = part.split("-");
            if (r.length == 2 && Long.parseLong(r[0]) > Long.parseLong(r[1])) {
                throw KpodException.invalid("invalid " + what + " \"" + list + "\": range " + part + " goes backwards");
            }
        }
        return list;
    }

    public ResourceSpec {
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        sysctls = sysctls == null ? Map.of() : Util.orderedCopy(sysctls);
    }

    public static ResourceSpec defaults() {
        return new ResourceSpec(null, null, null, null, null, List.of(), Map.of(), null);
    }
}
