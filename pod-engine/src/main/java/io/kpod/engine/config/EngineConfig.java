package io.kpod.engine.config;

import io.kpod.spec.ResourceSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The containers.conf settings kpod honours, typed, with Podman's defaults where a key is
 * absent. Capabilities are normalized to the {@code CAP_} form.
 *
 * @param runtime             {@code [engine] runtime}: a name, a path, or "" to choose by cgroup mode
 * @param runtimePaths        {@code [engine.runtimes]}: where to look for each runtime, in order
 * @param conmonPaths         {@code [engine] conmon_path}: where to look for conmon, in order
 * @param stopTimeoutSeconds  {@code [engine] stop_timeout}
 * @param defaultUlimits      {@code [containers] default_ulimits}
 * @param defaultCapabilities {@code [containers] default_capabilities}
 * @param logDriver           {@code [containers] log_driver}
 * @param pidsLimit           {@code [containers] pids_limit}; 0 or -1 means unlimited
 * @param defaultSysctls      {@code [containers] default_sysctls} as name to value
 * @param env                 {@code [containers] env}, entries as written ({@code K=V})
 * @param initPath            {@code [containers] init_path}
 * @param shmSizeBytes        {@code [containers] shm_size} in bytes
 * @param seccompProfile      {@code [containers] seccomp_profile}: a path, "unconfined", or null for the search order
 * @param dnsServers          {@code [containers] dns_servers}, used before a container's own --dns
 * @param dnsSearches         {@code [containers] dns_searches}
 * @param dnsOptions          {@code [containers] dns_options}
 * @param networkConfigDir    {@code [network] network_config_dir}
 * @param defaultNetwork      {@code [network] default_network}
 * @param defaultSubnet       {@code [network] default_subnet}
 * @param sources             the files read, in order; empty when all values are defaults
 */
public record EngineConfig(
        String runtime,
        Map<String, List<Path>> runtimePaths,
        List<Path> conmonPaths,
        int stopTimeoutSeconds,
        List<ResourceSpec.Ulimit> defaultUlimits,
        List<String> defaultCapabilities,
        String logDriver,
        long pidsLimit,
        Map<String, String> defaultSysctls,
        List<String> env,
        Path initPath,
        long shmSizeBytes,
        String seccompProfile,
        List<String> dnsServers,
        List<String> dnsSearches,
        List<String> dnsOptions,
        Path networkConfigDir,
        String defaultNetwork,
        String defaultSubnet,
        List<Path> sources) {

    public static final List<String> DEFAULT_CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
            "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");
    /** Podman's runtime search paths (containers/common defaults). */
    public static final Map<String, List<Path>> DEFAULT_RUNTIME_PATHS = Map.of(
            "runc", paths("/usr/lib/cri-o-runc/sbin/runc", "/usr/sbin/runc", "/usr/bin/runc", "/usr/local/bin/runc",
                    "/usr/local/sbin/runc", "/sbin/runc", "/bin/runc", "/run/current-system/sw/bin/runc"),
            "crun", paths("/usr/bin/crun", "/usr/sbin/crun", "/usr/local/bin/crun", "/usr/local/sbin/crun",
                    "/sbin/crun", "/bin/crun", "/run/current-system/sw/bin/crun"));
    public static final List<Path> DEFAULT_CONMON_PATHS = paths(
            "/usr/libexec/podman/conmon", "/usr/local/libexec/podman/conmon", "/usr/local/lib/podman/conmon",
            "/usr/bin/conmon", "/usr/sbin/conmon", "/usr/local/bin/conmon", "/usr/local/sbin/conmon",
            "/run/current-system/sw/bin/conmon");
    public static final long DEFAULT_SHM_SIZE = 65536L * 1024;

    public EngineConfig {
        runtime = runtime == null ? "" : runtime;
        runtimePaths = Collections.unmodifiableMap(new LinkedHashMap<>(runtimePaths));
        conmonPaths = List.copyOf(conmonPaths);
        defaultUlimits = List.copyOf(defaultUlimits);
        defaultCapabilities = List.copyOf(defaultCapabilities);
        defaultSysctls = Collections.unmodifiableMap(new LinkedHashMap<>(defaultSysctls));
        env = List.copyOf(env);
        dnsServers = List.copyOf(dnsServers);
        dnsSearches = List.copyOf(dnsSearches);
        dnsOptions = List.copyOf(dnsOptions);
        sources = List.copyOf(sources);
    }

    /** Podman's built-in values, used for every key no file sets. */
    public static EngineConfig defaults() {
        return new EngineConfig("", DEFAULT_RUNTIME_PATHS, DEFAULT_CONMON_PATHS, 10, List.of(), DEFAULT_CAPABILITIES,
                "k8s-file", 2048, Map.of("net.ipv4.ping_group_range", "0 0"),
                List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
                Path.of("/usr/libexec/podman/catatonit"), DEFAULT_SHM_SIZE, null, List.of(), List.of(), List.of(),
                Path.of("/etc/kpod/networks"), "podman", "10.88.0.0/16", List.of());
    }

    private static List<Path> paths(String... p) {
        return java.util.Arrays.stream(p).map(Path::of).toList();
    }
}
