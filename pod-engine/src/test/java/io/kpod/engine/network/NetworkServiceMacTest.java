package io.kpod.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.network.NetAddress;
import io.kpod.network.NetInterface;
import io.kpod.network.Network;
import io.kpod.network.NetworkOptions;
import io.kpod.network.NetworkStatus;
import io.kpod.network.PerNetworkOptions;
import io.kpod.network.Subnet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkServiceMacTest {
    private static Network net(String name, String subnet) {
        return new Network(name, name + "-id", Network.BRIDGE, name + "0", null,
                List.of(new Subnet(subnet, null, null)), false, false, true, null, null, null);
    }

    @Test
    void theMacsNetavarkGaveAreKeptForTheNextSetupButAStaticOneWins() {
        NetworkOptions o = new NetworkOptions("c1", "web", List.of(),
                Map.of("a", new PerNetworkOptions(List.of("10.0.0.2"), List.of(), null, "eth0"),
                        "b", new PerNetworkOptions(List.of("10.0.1.2"), List.of(), "02:00:00:00:00:09", "eth1")),
                Map.of("a", net("a", "10.0.0.0/24"), "b", net("b", "10.0.1.0/24")));
        Map<String, NetworkStatus> status = Map.of(
                "a", new NetworkStatus(Map.of("eth0", new NetInterface("0a:1e:c0:f3:bc:01",
                        List.of(new NetAddress("10.0.0.2/24", "10.0.0.1")))), List.of(), List.of()),
                "b", new NetworkStatus(Map.of("eth1", new NetInterface("02:00:00:00:00:09", List.of())),
                        List.of(), List.of()));
        NetworkOptions fixed = NetworkService.withMacs(o, status);
        assertThat(fixed.networks().get("a").staticMac()).isEqualTo("0a:1e:c0:f3:bc:01");
        assertThat(fixed.networks().get("b").staticMac()).isEqualTo("02:00:00:00:00:09");
        assertThat(fixed.networks().get("a").staticIps()).containsExactly("10.0.0.2");
        assertThat(fixed.networkInfo()).isEqualTo(o.networkInfo());
    }

    @Test
    void aNetworkWithoutStatusKeepsItsOptions() {
        NetworkOptions o = new NetworkOptions("c1", "web", List.of(),
                Map.of("a", new PerNetworkOptions(List.of("10.0.0.2"), List.of("x"), null, "eth0")),
                Map.of("a", net("a", "10.0.0.0/24")));
        assertThat(NetworkService.withMacs(o, Map.of())).isEqualTo(o);
    }
}
