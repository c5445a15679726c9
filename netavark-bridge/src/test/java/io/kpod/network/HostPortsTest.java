package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPortsTest {
    @Test
    void randomHostPortsAreFilledInAndRangesStayContiguous() {
        List<PortMapping> out = new HostPorts().assign(PortSpecs.parseAll(List.of("127.0.0.1::80", "90-92")),
                Map.of());
        assertThat(out.get(0).hostPort()).isBetween(1024, 65535);
        assertThat(out.get(0).hostIp()).isEqualTo("127.0.0.1");
        assertThat(out.get(1).hostPort()).isPositive();
        assertThat(out.get(1).range()).isEqualTo(3);
    }

    @Test
    void portBoundOnTheHostIsRefused() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = s.getLocalPort();
            assertThat(HostPorts.bindable("127.0.0.1", port, "tcp")).isFalse();
            assertThatThrownBy(() -> new HostPorts().assign(PortSpecs.parse("127.0.0.1:" + port + ":80"), Map.of()))
                    .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                    .hasMessageContaining("cannot listen on the TCP port 127.0.0.1:" + port);
            // udp on the same number is a different socket
            assertThat(HostPorts.bindable("127.0.0.1", port, "udp")).isTrue();
        }
    }

    @Test
    void portPublishedByAnotherOwnerIsRefused() {
        HostPorts ports = new HostPorts((ip, p, proto) -> true);
        Map<String, List<PortMapping>> inUse = Map.of("0123456789abcdef", PortSpecs.parse("8080-8085:80-85"));
        assertThatThrownBy(() -> ports.assign(PortSpecs.parse("127.0.0.1:8083:80"), inUse))
                .hasMessageContaining("already published by container 0123456789ab");
        assertThat(ports.assign(PortSpecs.parse("8083:80/udp"), inUse)).hasSize(1);
        assertThat(ports.assign(PortSpecs.parse("8086:80"), inUse)).hasSize(1);
        assertThatThrownBy(() -> ports.assign(PortSpecs.parseAll(List.of("9000:80", "9000:81")), Map.of()))
                .hasMessageContaining("published twice");
        // other host addresses do not clash
        Map<String, List<PortMapping>> local = Map.of("x", PortSpecs.parse("127.0.0.1:7000:80"));
        assertThat(ports.assign(PortSpecs.parse("127.0.0.2:7000:80"), local)).hasSize(1);
    }
}
