package io.kpod.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResolvConfTest {
    private static final String HOST = "# generated\nsearch corp.example lan\nnameserver 127.0.0.53\nnameserver 10.0.0.2\n"
            + "nameserver fe80::1%eth0\nnameserver 2001:db8::53\noptions edns0 trust-ad\n";
    private static final DnsConfig NONE = DnsConfig.none();
    private static final DnsConfig AARDVARK = new DnsConfig(List.of("10.77.0.1"), List.of("dns.podman"), List.of());

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("own netns drops loopback and ipv6", HOST, true, false, NONE, NONE,
                        "search corp.example lan\nnameserver 10.0.0.2\noptions edns0 trust-ad\n"),
                Arguments.of("ipv6 keeps global v6 but not link-local", HOST, true, true, NONE, NONE,
                        "search corp.example lan\nnameserver 10.0.0.2\nnameserver 2001:db8::53\noptions edns0 trust-ad\n"),
                Arguments.of("host netns keeps everything", HOST, false, false, NONE, NONE,
                        "search corp.example lan\nnameserver 127.0.0.53\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\n"
                                + "nameserver 2001:db8::53\noptions edns0 trust-ad\n"),
                Arguments.of("only localhost left: Google fallback", "nameserver 127.0.0.1\nnameserver ::1\n", true, false, NONE, NONE,
                        "nameserver 8.8.8.8\nnameserver 8.8.4.4\n"),
                Arguments.of("fallback with ipv6", "", true, true, NONE, NONE,
                        "nameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844\n"),
                Arguments.of("network dns replaces host servers and search", HOST, true, false, AARDVARK, NONE,
                        "search dns.podman\nnameserver 10.77.0.1\noptions edns0 trust-ad\n"),
                Arguments.of("user servers beat the network's", HOST, true, false, AARDVARK,
                        new DnsConfig(List.of("1.1.1.1"), List.of(), List.of()),
                        "search corp.example lan\nnameserver 1.1.1.1\noptions edns0 trust-ad\n"),
                Arguments.of("user search and options replace the host's", HOST, true, false, AARDVARK,
                        new DnsConfig(List.of(), List.of("a.example"), List.of("ndots:2")),
                        "search a.example\nnameserver 10.77.0.1\noptions ndots:2\n"),
                Arguments.of("search '.' means none", HOST, true, false, NONE,
                        new DnsConfig(List.of("9.9.9.9"), List.of("."), List.of("ndots:1")),
                        "nameserver 9.9.9.9\noptions ndots:1\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void builds(String name, String host, boolean ownNetns, boolean ipv6, DnsConfig network, DnsConfig user, String expected) {
        assertThat(ResolvConf.build(host, ownNetns, ipv6, network, user)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void podResolvConfUsesTheRequest() {
        SandboxRequest r = SandboxRequest.builder("p", "p", Path.of("/run/kpod"))
                .network(NetworkMode.path(Path.of("/run/netns/x"))).build()
                .withNetworkStatus("10.77.0.10", "10.77.0.1", AARDVARK);
        EtcFiles.PodEtcFiles files = EtcFiles.forPod(InfraContainerPlan.of(r), "", "nameserver 10.255.255.53\n", false);
        assertThat(files.resolvConf()).isEqualTo("search dns.podman\nnameserver 10.77.0.1\n");
        assertThat(files.hostname()).isEqualTo("p\n");
        assertThat(files.hosts()).contains("10.77.0.10\tp p-infra\n");
        SandboxRequest noHosts = SandboxRequest.builder("p", "p", Path.of("/run/kpod")).noHosts(true).build();
        assertThat(EtcFiles.forPod(InfraContainerPlan.of(noHosts), "", "", false).hosts()).isNull();
    }
}
