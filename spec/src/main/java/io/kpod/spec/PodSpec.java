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
        NetworkSpec network) {

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
        if (infraName != null) {
            Names.checkContainerName(infraName);
        }
    }

    /** The same pod joining networks as {@code n} says. */
    public PodSpec withNetwork(NetworkSpec n) {
        return new PodSpec(name, hostname, share, networkMode, labels, addHosts, dnsServers, dnsSearches, dnsOptions,
                infraName, noHosts, n);
    }
}
