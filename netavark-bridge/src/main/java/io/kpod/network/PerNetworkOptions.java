package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.InetAddress;
import java.util.List;

/**
 * How one container joins one network: its addresses (from {@link Ipam}), DNS aliases, the
 * interface name inside the container and an optional fixed MAC.
 */
@JsonPropertyOrder({"static_ips", "aliases", "static_mac", "interface_name"})
public record PerNetworkOptions(
        @JsonProperty("static_ips") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> staticIps,
        @JsonProperty("aliases") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> aliases,
        @JsonProperty("static_mac") @JsonInclude(JsonInclude.Include.NON_EMPTY) String staticMac,
        @JsonProperty("interface_name") String interfaceName) {

    public PerNetworkOptions {
        staticIps = staticIps == null ? List.of() : List.copyOf(staticIps);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        staticMac = staticMac == null || staticMac.isEmpty() ? null : MacAddress.normalize(staticMac);
    }

    /** Options from allocated addresses; {@code mac} may be null. */
    public static PerNetworkOptions of(List<InetAddress> ips, List<String> aliases, String interfaceName, String mac) {
        return new PerNetworkOptions(ips.stream().map(IpAddresses::format).toList(), aliases, mac, interfaceName);
    }
}
