package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.NoSuchObjectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkStoreTest {
    @TempDir
    Path dir;

    NetworkStore store(List<String> routes, Set<String> ifaces) {
        return new NetworkStore(dir, HostNetworkProbe.fixed(routes.stream().map(Cidr::parse).toList(), ifaces));
    }

    NetworkStore store() {
        return store(List.of("192.0.2.0/24"), Set.of("lo", "eth0"));
    }

    @Test
    void defaultNetworkIsCreatedOnFirstUseInKpodsPool() throws Exception {
        NetworkStore s = store();
        assertThat(s.list()).isEmpty();
        Network n = s.defaultNetwork();
        assertThat(n.name()).isEqualTo("kpod");
        assertThat(n.networkInterface()).isEqualTo("kpod0");
        assertThat(n.subnets()).containsExactly(new Subnet("10.90.0.0/24", "10.90.0.1", null));
        assertThat(n.id()).matches("[0-9a-f]{64}");
        assertThat(n.dnsEnabled()).isTrue();
        assertThat(n.ipamOptions()).containsEntry("driver", "host-local");
        assertThat(s.defaultNetwork()).isEqualTo(n);
        assertThat(Files.readString(dir.resolve("kpod.json"))).isEqualTo(NetworkJson.toPodmanFile(n));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("kpod.json")))).isEqualTo("rw-r--r--");
    }

    @Test
    void defaultFallsForwardWhenItsSubnetOrBridgeIsTaken() {
        Network n = store(List.of("10.90.0.0/24", "10.90.1.0/25"), Set.of("kpod0")).defaultNetwork();
        assertThat(n.subnets().get(0).subnet()).isEqualTo("10.90.2.0/24");
        assertThat(n.networkInterface()).isEqualTo("kpod1");
    }

    @Test
    void newNetworksTakeTheNextFreeSubnetAndBridge() {
        NetworkStore s = store(List.of("10.90.2.0/23"), Set.of("kpod2"));
        Network a = s.create(NetworkCreateRequest.builder("a").build());
        Network b = s.create(NetworkCreateRequest.builder("b").build());
        Network d = s.defaultNetwork();
        assertThat(a.subnets().get(0).subnet()).isEqualTo("10.90.1.0/24");
        assertThat(b.subnets().get(0).subnet()).isEqualTo("10.90.4.0/24");
        assertThat(d.subnets().get(0).subnet()).isEqualTo("10.90.0.0/24");
        assertThat(List.of(a.networkInterface(), b.networkInterface(), d.networkInterface()))
                .containsExactly("kpod1", "kpod3", "kpod0");
        assertThat(s.list()).extracting(Network::name).containsExactly("a", "b", "kpod");
    }

    @Test
    void explicitSubnetGatewayRangeAndFlags() {
        Network n = store().create(NetworkCreateRequest.builder("web").subnet("10.251.7.0/24").gateway("10.251.7.254")
                .ipRange("10.251.7.128/25").label("app", "shop").option("mtu", "1400").interfaceName("webbr")
                .build());
        assertThat(n.subnets()).containsExactly(new Subnet("10.251.7.0/24", "10.251.7.254",
                new LeaseRange("10.251.7.129", "10.251.7.254")));
        assertThat(n.labels()).containsEntry("app", "shop");
        assertThat(n.options()).containsEntry("mtu", "1400");
        assertThat(n.networkInterface()).isEqualTo("webbr");

        Network r = store().create(NetworkCreateRequest.builder("r").subnet("10.251.8.0/24")
                .ipRange("10.251.8.10-10.251.8.20").build());
        assertThat(r.subnets().get(0).leaseRange()).isEqualTo(new LeaseRange("10.251.8.10", "10.251.8.20"));

        Network internal = store().create(NetworkCreateRequest.builder("iso").internal(true).disableDns(true).build());
        assertThat(internal.subnets().get(0).gateway()).isNull();
        assertThat(internal.dnsEnabled()).isFalse();
        assertThat(NetworkJson.toPodmanFile(internal)).doesNotContain("gateway");

        Network v6 = store().create(NetworkCreateRequest.builder("six").subnet("fd00:90::/64").build());
        assertThat(v6.ipv6Enabled()).isTrue();
        assertThat(v6.subnets().get(0).gateway()).isEqualTo("fd00:90::1");
    }

    @Test
    void rejectsBadRequestsWithClearErrors() {
        NetworkStore s = store(List.of("192.0.2.0/24", "172.16.0.0/12"), Set.of());
        s.create(NetworkCreateRequest.builder("one").subnet("10.251.1.0/24").build());
        assertThatThrownBy(() -> s.create(NetworkCreateRequest.builder("one").build()))
                .isInstanceOf(NameInUseException.class);
        assertThat(s.create(NetworkCreateRequest.builder("one").ignoreIfExists(true).build()).subnets().get(0)
                .subnet()).isEqualTo("10.251.1.0/24");
        assertInvalid(s, NetworkCreateRequest.builder("-bad").build(), ErrorKind.INVALID, "invalid network name");
        assertInvalid(s, NetworkCreateRequest.builder("host").build(), ErrorKind.INVALID, "network mode");
        assertInvalid(s, NetworkCreateRequest.builder("two").subnet("10.251.1.128/25").build(), ErrorKind.CONFLICT,
                "already used by network one");
        assertInvalid(s, NetworkCreateRequest.builder("two").subnet("172.17.0.0/16").build(), ErrorKind.CONFLICT,
                "overlaps the host route 172.16.0.0/12");
        assertInvalid(s, NetworkCreateRequest.builder("two").subnet("10.251.2.0/24").gateway("10.251.3.1").build(),
                ErrorKind.INVALID, "not in subnet");
        assertInvalid(s, NetworkCreateRequest.builder("two").subnet("10.251.2.0/24").gateway("10.251.2.255").build(),
                ErrorKind.INVALID, "broadcast");
        assertInvalid(s, NetworkCreateRequest.builder("two").subnet("10.251.2.0/24").ipRange("10.251.3.0/25").build(),
                ErrorKind.INVALID, "not inside subnet");
        assertInvalid(s, NetworkCreateRequest.builder("two").gateway("10.251.2.1").build(), ErrorKind.INVALID,
                "more gateways than subnets");
        assertInvalid(s, NetworkCreateRequest.builder("two").option("mtu", "big").build(), ErrorKind.INVALID,
                "invalid mtu");
        assertInvalid(s, NetworkCreateRequest.builder("two").option("foo", "1").build(), ErrorKind.INVALID,
                "unsupported bridge network option foo");
        assertInvalid(s, NetworkCreateRequest.builder("two").driver("macvlan").build(), ErrorKind.INVALID,
                "unsupported driver");
        assertInvalid(s, NetworkCreateRequest.builder("two").interfaceName("a/b").build(), ErrorKind.INVALID,
                "invalid interface name");
        String oneBridge = s.inspect("one").networkInterface();
        assertInvalid(s, NetworkCreateRequest.builder("two").interfaceName(oneBridge).build(), ErrorKind.CONFLICT,
                "already used by network one");
        assertThat(s.list()).extracting(Network::name).containsExactly("one");
    }

    private static void assertInvalid(NetworkStore s, NetworkCreateRequest r, ErrorKind kind, String text) {
        assertThatThrownBy(() -> s.create(r)).isInstanceOfSatisfying(KpodException.class,
                e -> assertThat(e.kind()).isEqualTo(kind)).hasMessageContaining(text);
    }

    @Test
    void inspectRemoveAndPrune() {
        // names that are not hex: "b" would also be an id prefix of any network whose id starts with b
        NetworkStore s = store();
        Network a = s.create(NetworkCreateRequest.builder("xa").build());
        Network b = s.create(NetworkCreateRequest.builder("xb").build());
        s.defaultNetwork();
        assertThat(s.inspect("xa")).isEqualTo(a);
        assertThat(s.inspect(b.id())).isEqualTo(b);
        assertThat(s.inspect(b.id().substring(0, 12))).isEqualTo(b);
        assertThatThrownBy(() -> s.inspect("nope")).isInstanceOf(NoSuchObjectException.class)
                .hasMessage("unable to find network with name or ID nope: network not found");
        assertThat(s.pruneCandidates(List.of("xa"))).containsExactly(b);
        assertThat(s.remove(b.id().substring(0, 10))).isEqualTo(b);
        assertThat(Files.exists(dir.resolve("xb.json"))).isFalse();
        assertThatThrownBy(() -> s.remove("xb")).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> s.remove("kpod")).hasMessageContaining("cannot be removed");
        assertThat(s.list()).extracting(Network::name).containsExactly("kpod", "xa");
    }

    @Test
    void ambiguousIdPrefixIsAnError() throws Exception {
        NetworkStore s = store();
        Network a = s.create(NetworkCreateRequest.builder("a").build());
        Network twin = new Network("twin", a.id().substring(0, 3) + "f".repeat(61), "bridge", "x1", a.created(),
                List.of(new Subnet("10.251.99.0/24", null, null)), false, false, false, null, null, null);
        Files.writeString(dir.resolve("twin.json"), NetworkJson.toPodmanFile(twin));
        assertThatThrownBy(() -> s.inspect(a.id().substring(0, 3))).hasMessageContaining("more than one network");
        Files.writeString(dir.resolve("junk.json"), "{not json");
        assertThat(s.list()).extracting(Network::name).containsExactly("a", "twin");
    }

    @Test
    void concurrentCreatesNeverShareNameSubnetOrBridge() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Network>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String name = "n" + (i % 6);
                // separate store objects act like separate kpod commands
                NetworkStore s = store();
                futures.add(pool.submit((Callable<Network>) () -> s.create(NetworkCreateRequest.builder(name)
                        .ignoreIfExists(true).build())));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Network> f : futures) {
                ids.add(f.get().id());
            }
            List<Network> all = store().list();
            assertThat(all).hasSize(6);
            assertThat(ids).hasSize(6);
            assertThat(all.stream().map(n -> n.subnets().get(0).subnet()).distinct()).hasSize(6);
            assertThat(all.stream().map(Network::networkInterface).distinct()).hasSize(6);
        } finally {
            pool.shutdownNow();
        }
    }
}
