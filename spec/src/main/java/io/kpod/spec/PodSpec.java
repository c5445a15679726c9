package io.kpod.spec;

import java.util.List;
import java.util.Map;

/**
 * What the user said about a pod ({@code kpod pod create}): its name and hostname, which
 * namespaces its containers share, and its generated /etc/hosts and /etc/resolv.conf.
 *
 * @param share Podman's {@code --share} value (null for the default net,ipc,uts; "+pid" adds pid)
 * @param networkMode bridge (the networks in {@code network}), none (loopback only) or host
 * @param addHosts {@code --add-host} entries, {@code host:ip}
 * @param infraName the infra container's name, or null for {@code <podid12>-infra}
 * @param exitPolicy {@code --exit-policy}: continue (the pod keeps running when its containers exit) or stop
 *                   (the pod stops when its last container exits)
 * @param infraConmonPidFile {@code --infra-conmon-pidfile}: gets the infra's conmon pid at every start, or null
 * @param shmSizeBytes {@code --shm-size} of the pod's shared /dev/shm, or null for the engine's default
 * @param volumes {@code --volume}/{@code --mount} that every container of the pod gets (unless it mounts the same path)
 * @param completions for a Kubernetes Job's pod: how many times a run of the pod (its init containers, then
 *                    the others) must succeed, one run after another; null for a pod that runs until stopped
 */
public record PodSpec(
        String name,
        String hostname,
        String share,
        String networkMode,
        Map<String, String> labels,
        List<String> addHosts,
        List<String> dnsServers,
        List<String> dnsSearches,
        List<String> dnsOptions,
        String infraName,
        boolean noHosts,
        NetworkSpec network,
        String exitPolicy,
        String infraConmonPidFile,
        Long shmSizeBytes,
        List<VolumeMount> volumes,
        Integer completions,
        IdMappings userns) {

    /** A pod in the host's user namespace. */
    public PodSpec(String name, String hostname, String share, String networkMode, Map<String, String> labels,
                   List<String> addHosts, List<String> dnsServers, List<String> dnsSearches, List<String> dnsOptions,
                   String infraName, boolean noHosts, NetworkSpec network, String exitPolicy, String infraConmonPidFile,
                   Long shmSizeBytes, List<VolumeMount> volumes, Integer completions) {
        this(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions, infraName,
                noHosts, network, exitPolicy, infraConmonPidFile, shmSizeBytes, volumes, completions, null);
    }

    /** A pod that is not a Job's. */
    public PodSpec(String name, String hostname, String share, String networkMode, Map<String, String> labels,
                   List<String> addHosts, List<String> dnsServers, List<String> dnsSearches, List<String> dnsOptions,
                   String infraName, boolean noHosts, NetworkSpec network, String exitPolicy, String infraConmonPidFile,
                   Long shmSizeBytes, List<VolumeMount> volumes) {
        this(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions, infraName,
                noHosts, network, exitPolicy, infraConmonPidFile, shmSizeBytes, volumes, null);
    }

    /** With the default shm size and no pod-wide volumes. */
    public PodSpec(String name, String hostname, String share, String networkMode, Map<String, String> labels,
                   List<String> addHosts, List<String> dnsServers, List<String> dnsSearches, List<String> dnsOptions,
                   String infraName, boolean noHosts, NetworkSpec network, String exitPolicy, String infraConmonPidFile) {
        this(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions, infraName,
                noHosts, network, exitPolicy, infraConmonPidFile, null, null, null);
    }

    /** A pod with the default exit policy and no infra conmon pid file. */
    public PodSpec(String name, String hostname, String share, String networkMode, Map<String, String> labels,
                   List<String> addHosts, List<String> dnsServers, List<String> dnsSearches, List<String> dnsOptions,
                   String infraName, boolean noHosts, NetworkSpec network) {
        this(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions, infraName,
                noHosts, network, null, null, null, null, null);
    }

    public PodSpec {
        if (name != null) {
            Names.check("pod", name);
        }
        networkMode = networkMode == null ? "bridge" : networkMode;
        if (!networkMode.equals("bridge") && !networkMode.equals("private") && !networkMode.equals("host")
                && !networkMode.equals("none")) {
            throw KpodException.invalid("invalid pod network mode \"" + networkMode + "\": use bridge, none or host");
        }
        network = network == null ? NetworkSpec.defaults() : network;
        labels = labels == null ? Map.of() : Util.orderedCopy(labels);
        addHosts = addHosts == null ? List.of() : List.copyOf(addHosts);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        dnsSearches = dnsSearches == null ? List.of() : List.copyOf(dnsSearches);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
        exitPolicy = exitPolicy == null || exitPolicy.isEmpty() ? "continue" : exitPolicy;
        if (!exitPolicy.equals("continue") && !exitPolicy.equals("stop")) {
            throw KpodException.invalid("invalid pod exit policy \"" + exitPolicy + "\": use continue or stop");
        }
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        if (shmSizeBytes != null && shmSizeBytes <= 0) {
            throw KpodException.invalid("the pod's shm size must be positive");
        }
        if (infraConmonPidFile != null && infraConmonPidFile.isEmpty()) {
            infraConmonPidFile = null;
        }
        if (infraName != null) {
            Names.checkContainerName(infraName);
        }
        if (completions != null && completions < 1) {
            throw KpodException.invalid("a pod's completions must be at least 1");
        }
    }

    /** The same pod joining networks as {@code n} says. */
    public PodSpec withNetwork(NetworkSpec n) {
        return new PodSpec(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions,
                infraName, noHosts, n, exitPolicy, infraConmonPidFile, shmSizeBytes, volumes, completions, userns);
    }

    /** The same pod with another {@code --exit-policy}. */
    public PodSpec withExitPolicy(String policy) {
        return new PodSpec(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions,
                infraName, noHosts, network, policy, infraConmonPidFile, shmSizeBytes, volumes, completions, userns);
    }

    /** The same pod, run to completion {@code n} times (a Job's pod), or until stopped when null. */
    public PodSpec withCompletions(Integer n) {
        return new PodSpec(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions,
                infraName, noHosts, network, exitPolicy, infraConmonPidFile, shmSizeBytes, volumes, n, userns);
    }

    /** The same pod in the user namespace {@code m} (null: the host's). */
    public PodSpec withUserns(IdMappings m) {
        return new PodSpec(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions,
                infraName, noHosts, network, exitPolicy, infraConmonPidFile, shmSizeBytes, volumes, completions, m);
    }
}
