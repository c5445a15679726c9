package io.kpod.spec;

import java.util.List;
import java.util.Map;

/**
 * Everything the user said about a container, before the image's defaults are merged in: the
 * engine's input for {@code create}/{@code run}. Kept as data so that {@code kube play},
 * {@code generate} and the CLI all speak it.
 *
 * @param name the requested name, or null for a generated one
 * @param image the image reference as the user wrote it
 * @param networkMode bridge (the networks in {@code network}), none, host, private (loopback only), ns:PATH
 * @param logDriver k8s-file, none or passthrough; null for the engine's default
 * @param podId the pod the container joins, or null
 * @param systemd cidfile, conmon pidfile, sd_notify and cgroups modes (what a systemd service needs)
 * @param names the container's own /etc/hosts additions and DNS settings
 * @param logOptions {@code --log-opt}: path (the log file), max-size (bytes, conmon rotates at it), tag
 */
public record ContainerSpec(
        String name,
        String image,
        ProcessSpec process,
        SecuritySpec security,
        ResourceSpec resources,
        List<VolumeMount> mounts,
        List<SecretMount> secrets,
        String hostname,
        String networkMode,
        Map<String, String> labels,
        Map<String, String> annotations,
        RestartPolicy restartPolicy,
        String stopSignal,
        Integer stopTimeout,
        boolean removeOnExit,
        boolean init,
        HealthCheck healthCheck,
        String logDriver,
        String podId,
        NetworkSpec network,
        SystemdOptions systemd,
        NameResolution names,
        Map<String, String> logOptions,
        IdMappings userns) {

    /** A spec in the host's user namespace. */
    public ContainerSpec(String name, String image, ProcessSpec process, SecuritySpec security, ResourceSpec resources,
                         List<VolumeMount> mounts, List<SecretMount> secrets, String hostname, String networkMode,
                         Map<String, String> labels, Map<String, String> annotations, RestartPolicy restartPolicy,
                         String stopSignal, Integer stopTimeout, boolean removeOnExit, boolean init,
                         HealthCheck healthCheck, String logDriver, String podId, NetworkSpec network,
                         SystemdOptions systemd, NameResolution names, Map<String, String> logOptions) {
        this(name, image, process, security, resources, mounts, secrets, hostname, networkMode, labels, annotations,
                restartPolicy, stopSignal, stopTimeout, removeOnExit, init, healthCheck, logDriver, podId, network,
                systemd, names, logOptions, null);
    }

    /** A spec with the default systemd options. */
    public ContainerSpec(String name, String image, ProcessSpec process, SecuritySpec security, ResourceSpec resources,
                         List<VolumeMount> mounts, List<SecretMount> secrets, String hostname, String networkMode,
                         Map<String, String> labels, Map<String, String> annotations, RestartPolicy restartPolicy,
                         String stopSignal, Integer stopTimeout, boolean removeOnExit, boolean init,
                         HealthCheck healthCheck, String logDriver, String podId, NetworkSpec network) {
        this(name, image, process, security, resources, mounts, secrets, hostname, networkMode, labels, annotations,
                restartPolicy, stopSignal, stopTimeout, removeOnExit, init, healthCheck, logDriver, podId, network, null,
                null, null);
    }

    public ContainerSpec {
        if (image == null || image.isBlank()) {
            throw KpodException.invalid("an image is required");
        }
        process = process == null ? ProcessSpec.defaults() : process;
        security = security == null ? SecuritySpec.defaults() : security;
        resources = resources == null ? ResourceSpec.defaults() : resources;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
        labels = labels == null ? Map.of() : Util.orderedCopy(labels);
        annotations = annotations == null ? Map.of() : Util.orderedCopy(annotations);
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        networkMode = networkMode == null ? "bridge" : networkMode;
        network = network == null ? NetworkSpec.defaults() : network;
        systemd = systemd == null ? SystemdOptions.defaults() : systemd;
        names = names == null ? NameResolution.defaults() : names;
        logOptions = logOptions == null ? Map.of() : Util.orderedCopy(logOptions);
        checkLogOptions(logOptions);
        if (podId != null && !names.isEmpty()) {
            throw KpodException.invalid("--add-host and --dns* of a pod's container must be set on the pod");
        }
        if (systemd.sdNotify().equals("healthy") && healthCheck == null) {
            throw KpodException.invalid("--sdnotify=healthy needs a health check (--health-cmd)");
        }
        if (name != null) {
            Names.checkContainerName(name);
        }
        if (removeOnExit && restartPolicy.mode() != RestartPolicy.Mode.NO) {
            throw KpodException.invalid("the --rm option conflicts with --restart, when the restartPolicy is not \"no\"");
        }
        if (stopTimeout != null && stopTimeout < 0) {
            throw KpodException.invalid("the stop timeout must not be negative");
        }
    }

    /** The same spec joining networks as {@code n} says. */
    public ContainerSpec withNetwork(NetworkSpec n) {
        return new ContainerSpec(name, image, process, security, resources, mounts, secrets, hostname, networkMode,
                labels, annotations, restartPolicy, stopSignal, stopTimeout, removeOnExit, init, healthCheck, logDriver,
                podId, n, systemd, names, logOptions, userns);
    }

    /** The same spec with {@code extra} added to its annotations. */
    public ContainerSpec withAnnotations(Map<String, String> extra) {
        Map<String, String> all = new java.util.LinkedHashMap<>(annotations);
        all.putAll(extra);
        return new ContainerSpec(name, image, process, security, resources, mounts, secrets, hostname, networkMode,
                labels, all, restartPolicy, stopSignal, stopTimeout, removeOnExit, init, healthCheck, logDriver,
                podId, network, systemd, names, logOptions, userns);
    }

    /** The same spec with other systemd options. */
    public ContainerSpec withSystemd(SystemdOptions s) {
        return new ContainerSpec(name, image, process, security, resources, mounts, secrets, hostname, networkMode,
                labels, annotations, restartPolicy, stopSignal, stopTimeout, removeOnExit, init, healthCheck, logDriver,
                podId, network, s, names, logOptions, userns);
    }

    /** The same spec in the user namespace {@code m} (null: the host's). */
    public ContainerSpec withUserns(IdMappings m) {
        return new ContainerSpec(name, image, process, security, resources, mounts, secrets, hostname, networkMode,
                labels, annotations, restartPolicy, stopSignal, stopTimeout, removeOnExit, init, healthCheck, logDriver,
                podId, network, systemd, names, logOptions, m);
    }

    /** A spec with only an image, everything else default. */
    public static ContainerSpec of(String image) {
        return new ContainerSpec(null, image, null, null, null, null, null, null, null, null, null,
                null, null, null, false, false, null, null, null, null);
    }

    /** Refuses {@code --log-opt} keys other than path, max-size and tag. */
    public static void checkLogOptions(Map<String, String> logOptions) {
        for (String k : logOptions.keySet()) {
            if (!k.equals("path") && !k.equals("max-size") && !k.equals("tag")) {
                throw KpodException.invalid("unknown --log-opt \"" + k + "\": use path, max-size or tag");
            }
        }
    }
}
