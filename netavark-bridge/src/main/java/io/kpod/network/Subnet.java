package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.InetAddress;
import java.util.Optional;

/** One subnet of a network as Podman writes it: CIDR, optional gateway, optional lease range. */
@JsonPropertyOrder({"subnet", "gateway", "lease_range"})
public record Subnet(
        @JsonProperty("subnet") String subnet,
        @JsonProperty("gateway") @JsonInclude(JsonInclude.Include.NON_EMPTY) String gateway,
        @JsonProperty("lease_range") @JsonInclude(JsonInclude.Include.NON_NULL) LeaseRange leaseRange) {

    @JsonIgnore
    public Cidr cidr() {
        return Cidr.parseLenient(subnet);
    }

    @JsonIgnore
    public Optional<InetAddress> gatewayAddress() {
        return gateway == null || gateway.isEmpty() ? Optional.empty() : Optional.of(IpAddresses.parse(gateway));
    }

    /** First address for automatic allocation: the lease range start, else the first host. */
    @JsonIgnore
    public InetAddress rangeStart() {
        Cidr c = cidr();
        if (leaseRange != null && leaseRange.startIp() != null && !leaseRange.startIp().isEmpty()) {
            InetAddress s = IpAddresses.parse(leaseRange.startIp());
            return Cidr.compare(s, c.firstHost()) < 0 ? c.firstHost() : s;
        }
        return c.firstHost();
    }

    /** Last address for automatic allocation: the lease range end, else the last host. */
    @JsonIgnore
    public InetAddress rangeEnd() {
        Cidr c = cidr();
        if (leaseRange != null && leaseRange.endIp() != null && !leaseRange.endIp().isEmpty()) {
            InetAddress e = IpAddresses.parse(leaseRange.endIp());
            return Cidr.compare(e, c.lastHost()) > 0 ? c.lastHost() : e;
        }
        return c.lastHost();
    }
}
