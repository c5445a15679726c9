package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kpod.spec.KpodException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON netavark reads on stdin for setup and teardown: the container, its published ports,
 * how it joins each network, and each network's full definition. Teardown must get the same
 * object as setup.
 *
 * @param containerName the DNS name aardvark answers for (Podman passes the pod name for an infra)
 */
@JsonPropertyOrder({"container_id", "container_name", "port_mappings", "networks", "network_info"})
public record NetworkOptions(
        @JsonProperty("container_id") String containerId,
        @JsonProperty("container_name") String containerName,
        @JsonProperty("port_mappings") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PortMapping> portMappings,
        @JsonProperty("networks") Map<String, PerNetworkOptions> networks,
        @JsonProperty("network_info") Map<String, Network> networkInfo) {

    public NetworkOptions {
        portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
        networks = networks == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(networks));
        networkInfo = networkInfo == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(networkInfo));
    }

    /** Builds the options with {@code network_info} taken from the given definitions. */
    public static NetworkOptions of(String containerId, String containerName, List<PortMapping> ports,
            Map<String, PerNetworkOptions> networks, Collection<Network> definitions) {
        Map<String, Network> info = new TreeMap<>();
        definitions.stream().filter(n -> networks.containsKey(n.name())).forEach(n -> info.put(n.name(), n));
        NetworkOptions o = new NetworkOptions(containerId, containerName, ports, networks, info);
        o.validate();
        return o;
    }

    /** Catches what netavark would reject, with a message that names the fix. */
    public void validate() {
        if (containerId == null || containerId.isEmpty()) {
            throw KpodException.invalid("netavark needs a container id");
        }
        if (networks.isEmpty()) {
            throw KpodException.invalid("container " + containerId + " joins no network");
        }
        for (Map.Entry<String, PerNetworkOptions> e : networks.entrySet()) {
            Network n = networkInfo.get(e.getKey());
            if (n == null) {
                throw KpodException.invalid("no definition given for network " + e.getKey());
            }
            PerNetworkOptions p = e.getValue();
            if (p.interfaceName() == null || p.interfaceName().isEmpty()) {
                throw KpodException.invalid("no interface name given for network " + e.getKey());
            }
            if (!n.subnets().isEmpty() && p.staticIps().isEmpty()) {
                throw KpodException.invalid("no address allocated on network " + e.getKey() + "; call Ipam.allocate first");
            }
        }
    }
}
