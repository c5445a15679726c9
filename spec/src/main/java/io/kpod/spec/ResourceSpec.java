package io.kpod.spec;

import java.util.List;
import java.util.Map;

/**
 * Resource limits: memory in bytes, CPU as a quota/period pair (from {@code --cpus}) or
 * shares, pids limit (null means the engine default, 0 or -1 unlimited), rlimits and sysctls.
 */
public record ResourceSpec(
        Long memoryBytes,
        Long cpuQuota,
        Long cpuPeriod,
        Long cpuShares,
        Long pidsLimit,
        List<Ulimit> ulimits,
        Map<String, String> sysctls,
        Long shmSizeBytes) {

    /** One rlimit as {@code --ulimit name=soft[:hard]} gives it; -1 means unlimited. */
    public record Ulimit(String name, long soft, long hard) {
    }

    public ResourceSpec {
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        sysctls = sysctls == null ? Map.of() : Util.orderedCopy(sysctls);
    }

    public static ResourceSpec defaults() {
        return new ResourceSpec(null, null, null, null, null, List.of(), Map.of(), null);
    }
}
