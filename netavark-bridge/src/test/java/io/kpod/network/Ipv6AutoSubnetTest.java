package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ipv6AutoSubnetTest {
    @TempDir
    Path dir;

    private NetworkFactory factory(long seed, List<String> routes) {
        return new NetworkFactory(HostNetworkProbe.fixed(routes.stream().map(Cidr::parse).toList(), Set.of("lo")),
                NetworkStore::randomId, Clock.systemUTC(), new Random(seed));
    }

    @Test
    void ipv6WithoutSubnetsGetsAFreeIpv4SubnetAndARandomUla64() {
        Network n = factory(1, List.of()).build(NetworkCreateRequest.builder("dual").ipv6(true).build(), List.of());
        assertThat(n.subnets()).hasSize(2);
        assertThat(n.subnets().get(0).subnet()).isEqualTo("10.90.1.0/24");
        Subnet v6 = n.subnets().get(1);
        assertThat(v6.subnet()).matches("fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::/64");
        assertThat(v6.gateway()).isEqualTo(v6.subnet().replace("::/64", "::1"));
        assertThat(n.ipv6Enabled()).isTrue();
    }

    @Test
    void ipv6WithAnIpv4SubnetAddsTheUlaAndAnExplicitIpv6SubnetIsKept() {
        NetworkFactory f = factory(2, List.of());
        Network v4 = f.build(NetworkCreateRequest.builder("a").ipv6(true).subnet("10.252.1.0/24").build(), List.of());
        assertThat(v4.subnets().get(0).subnet()).isEqualTo("10.252.1.0/24");
        assertThat(v4.subnets().get(1).cidr().isIpv4()).isFalse();
        Network v6 = f.build(NetworkCreateRequest.builder("b").ipv6(true).subnet("fd52:40::/64").build(), List.of());
        assertThat(v6.subnets()).extracting(Subnet::subnet).containsExactly("fd52:40::/64");
    }

    @Test
    void theUlaAvoidsSubnetsOfOtherNetworks() {
        // the same seed draws the same subnet first; a taken one is skipped
        Network first = factory(7, List.of()).build(NetworkCreateRequest.builder("x").ipv6(true)
                .subnet("10.252.2.0/24").build(), List.of());
        Network second = factory(7, List.of()).build(NetworkCreateRequest.builder("y").ipv6(true)
                .subnet("10.252.3.0/24").build(), List.of(first));
        assertThat(second.subnets().get(1).subnet()).isNotEqualTo(first.subnets().get(1).subnet());
    }

    @Test
    void withoutIpv6NoUlaIsAdded() {
        Network n = factory(3, List.of()).build(NetworkCreateRequest.builder("v4").build(), List.of());
        assertThat(n.subnets()).hasSize(1);
        assertThat(n.ipv6Enabled()).isFalse();
    }
}
