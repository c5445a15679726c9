package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResolvConfEditTest {
    @Test
    void connectAddsNewServersFirstAndKeepsKnownOnes() {
        String before = "search dns.podman\nnameserver 10.252.40.1\noptions ndots:1\n";
        assertThat(ResolvConf.withNameservers(before, List.of("10.252.41.1", "10.252.40.1"), List.of("dns.podman")))
                .isEqualTo("search dns.podman\nnameserver 10.252.41.1\nnameserver 10.252.40.1\noptions ndots:1\n");
    }

    @Test
    void connectToADnsNetworkFromAHostResolvConfAddsTheSearchDomain() {
        String host = "nameserver 192.0.2.53\n";
        assertThat(ResolvConf.withNameservers(host, List.of("10.252.41.1"), List.of("dns.podman")))
                .isEqualTo("search dns.podman\nnameserver 10.252.41.1\nnameserver 192.0.2.53\n");
        assertThat(ResolvConf.withNameservers("search example.org\n", List.of("10.0.0.1"), List.of("dns.podman")))
                .isEqualTo("search example.org dns.podman\nnameserver 10.0.0.1\n");
    }

    @Test
    void disconnectRemovesOnlyTheGivenServers() {
        String before = "search dns.podman\nnameserver 10.252.41.1\nnameserver 10.252.40.1\n";
        assertThat(ResolvConf.withoutNameservers(before, List.of("10.252.41.1")))
                .isEqualTo("search dns.podman\nnameserver 10.252.40.1\n");
    }
}
