package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kpod.spec.KpodException;

/**
 * One published port or port range as netavark takes it.
 *
 * @param hostIp host address to bind, "" for all
 * @param hostPort first host port; 0 until a random free port is chosen ({@link HostPorts#assign})
 * @param range number of consecutive ports, at least 1
 * @param protocol tcp, udp or sctp
 */
@JsonPropertyOrder({"host_ip", "container_port", "host_port", "range", "protocol"})
public record PortMapping(
        @JsonProperty("host_ip") String hostIp,
        @JsonProperty("container_port") int containerPort,
        @JsonProperty("host_port") int hostPort,
        @JsonProperty("range") int range,
        @JsonProperty("protocol") String protocol) {

    public PortMapping {
        hostIp = hostIp == null ? "" : hostIp;
        protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        range = range == 0 ? 1 : range;
        if (range < 1 || containerPort < 1 || containerPort + range - 1 > 65535) {
            throw KpodException.invalid("invalid container port " + containerPort + " with range " + range);
        }
        if (hostPort < 0 || (hostPort > 0 && hostPort + range - 1 > 65535)) {
            throw KpodException.invalid("invalid host port " + hostPort + " with range " + range);
        }
    }

    public PortMapping withHostPort(int port) {
        return new PortMapping(hostIp, containerPort, port, range, protocol);
    }

    /** True when both would claim the same host port: same protocol, overlapping ports and addresses. */
    public boolean clashesWith(PortMapping o) {
        if (!protocol.equals(o.protocol) || hostPort == 0 || o.hostPort == 0) {
            return false;
        }
        boolean ipsClash = hostIp.isEmpty() || o.hostIp.isEmpty() || hostIp.equals(o.hostIp);
        return ipsClash && hostPort <= o.hostPort + o.range - 1 && o.hostPort <= hostPort + range - 1;
    }

    /** Podman's text form, e.g. {@code 127.0.0.1:8080-8081->80-81/tcp}. */
    @Override
    public String toString() {
        String ip = hostIp.contains(":") ? "[" + hostIp + "]" : hostIp;
        String host = range == 1 ? Integer.toString(hostPort) : hostPort + "-" + (hostPort + range - 1);
        String ctr = range == 1 ? Integer.toString(containerPort) : containerPort + "-" + (containerPort + range - 1);
        return (ip.isEmpty() ? "0.0.0.0" : ip) + ":" + host + "->" + ctr + "/" + protocol;
    }
}
