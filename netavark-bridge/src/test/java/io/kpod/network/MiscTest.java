package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiscTest {
    @Test
    void macAddresses() {
        assertThat(MacAddress.normalize("92-D0-C6-0A-29-33")).isEqualTo("92:d0:c6:0a:29:33");
        assertThatThrownBy(() -> MacAddress.normalize("01:00:5e:00:00:01")).hasMessageContaining("multicast");
        assertThatThrownBy(() -> MacAddress.normalize("00:00:00:00:00:00")).hasMessageContaining("zeros");
        assertThatThrownBy(() -> MacAddress.normalize("92:d0:c6:0a:29")).hasMessageContaining("six hex pairs");
        assertThatThrownBy(() -> new PerNetworkOptions(List.of(), List.of(), "zz", "eth0"))
                .hasMessageContaining("invalid MAC");
    }

    @Test
    void resolvConfFromStatus() {
        NetworkStatus a = new NetworkStatus(Map.of(), List.of("10.77.0.1"), List.of("dns.podman"));
        NetworkStatus b = new NetworkStatus(Map.of(), List.of("10.78.0.1"), List.of("dns.podman"));
        NetworkStatus off = new NetworkStatus(Map.of(), List.of(), List.of());
        assertThat(ResolvConf.lines(List.of(a, off, b)))
                .containsExactly("search dns.podman", "nameserver 10.77.0.1", "nameserver 10.78.0.1");
        assertThat(ResolvConf.render(List.of(a))).isEqualTo("search dns.podman\nnameserver 10.77.0.1\n");
        assertThat(ResolvConf.render(List.of(off))).isEmpty();
    }
}
