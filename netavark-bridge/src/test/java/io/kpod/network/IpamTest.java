package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpamTest {
    @TempDir
    Path dir;

    static Network net(String id, Subnet... subnets) {
        return new Network("n1", id, "bridge", "kpt1", "2026-01-01T00:00:00Z", List.of(subnets), false, false, true,
                null, null, Map.of("driver", "host-local"));
    }

    static Network net24() {
        return net("a".repeat(64), new Subnet("10.251.5.0/24", "10.251.5.1", null));
    }

    static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    @Test
    void allocatesInOrderSkippingGatewayAndPersists() throws Exception {
        Ipam ipam = new Ipam(dir);
        Network n = net24();
        assertThat(ipam.allocate(n, "c1", Optional.empty())).containsExactly(ip("10.251.5.2"));
        assertThat(ipam.allocate(n, "c2", Optional.empty())).containsExactly(ip("10.251.5.3"));
        assertThat(ipam.allocate(n, "c1", Optional.empty())).containsExactly(ip("10.251.5.2"));
        assertThat(new Ipam(dir).allocations(n)).containsOnlyKeys("c1", "c2");
        assertThat(Files.readString(ipam.stateFile("n1"))).contains("\"c2\":[\"10.251.5.3\"]");
        ipam.release(n, "c1");
        ipam.release(n, "c1");
        // round robin: the freed .2 comes back only after the rest of the range
        assertThat(ipam.allocate(n, "c3", Optional.empty())).containsExactly(ip("10.251.5.4"));
        assertThat(ipam.allocations(n)).containsOnlyKeys("c2", "c3");
    }

    @Test
    void staticRequestsAreChecked() {
        Ipam ipam = new Ipam(dir);
        Network n = net24();
        assertThat(ipam.allocate(n, "s1", Optional.of(ip("10.251.5.50")))).containsExactly(ip("10.251.5.50"));
        assertRejected(() -> ipam.allocate(n, "s2", Optional.of(ip("10.251.5.50"))), ErrorKind.CONFLICT,
                "already allocated to container s1");
        assertRejected(() -> ipam.allocate(n, "s2", Optional.of(ip("10.251.5.1"))), ErrorKind.INVALID, "gateway");
        assertRejected(() -> ipam.allocate(n, "s2", Optional.of(ip("10.251.5.0"))), ErrorKind.INVALID,
                "network address");
        assertRejected(() -> ipam.allocate(n, "s2", Optional.of(ip("10.251.5.255"))), ErrorKind.INVALID,
                "broadcast");
        assertRejected(() -> ipam.allocate(n, "s2", Optional.of(ip("10.251.6.3"))), ErrorKind.INVALID,
                "not in any subnet of network n1 (10.251.5.0/24)");
        assertThat(ipam.allocations(n)).containsOnlyKeys("s1");
        // asking again for a different address moves the owner
        assertThat(ipam.allocate(n, "s1", Optional.of(ip("10.251.5.60")))).containsExactly(ip("10.251.5.60"));
        assertThat(ipam.allocate(n, "s2", Optional.of(ip("10.251.5.50")))).containsExactly(ip("10.251.5.50"));
    }

    private static void assertRejected(Runnable r, ErrorKind kind, String text) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(KpodException.class,
                e -> assertThat(e.kind()).isEqualTo(kind)).hasMessageContaining(text);
    }

    @Test
    void leaseRangeBoundsDynamicAllocationAndExhaustionIsReported() {
        Ipam ipam = new Ipam(dir);
        Network n = net("b".repeat(64), new Subnet("10.251.5.0/24", "10.251.5.1",
                new LeaseRange("10.251.5.100", "10.251.5.102")));
        List<InetAddress> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.addAll(ipam.allocate(n, "c" + i, Optional.empty()));
        }
        assertThat(got).containsExactly(ip("10.251.5.100"), ip("10.251.5.101"), ip("10.251.5.102"));
        assertRejected(() -> ipam.allocate(n, "c9", Optional.empty()), ErrorKind.CONFLICT, "no free address");
        ipam.release(n, "c1");
        assertThat(ipam.allocate(n, "c9", Optional.empty())).containsExactly(ip("10.251.5.101"));
    }

    @Test
    void dualStackGetsOneAddressPerSubnetAndRecreatedNetworkStartsFresh() {
        Ipam ipam = new Ipam(dir);
        Network n = net("c".repeat(64), new Subnet("10.251.5.0/24", "10.251.5.1", null),
                new Subnet("fd00:251::/64", "fd00:251::1", null));
        assertThat(ipam.allocate(n, "c1", List.of(ip("fd00:251::99"))))
                .containsExactly(ip("10.251.5.2"), ip("fd00:251::99"));
        assertThat(ipam.allocate(n, "c2", Optional.empty())).containsExactly(ip("10.251.5.3"), ip("fd00:251::2"));
        Network recreated = net("d".repeat(64), new Subnet("10.251.5.0/24", "10.251.5.1", null));
        assertThat(ipam.allocations(recreated)).isEmpty();
        ipam.forget(n);
        assertThat(Files.exists(ipam.stateFile("n1"))).isFalse();
    }

    @Test
    void twoThreadsNeverGetTheSameAddress() throws Exception {
        Network n = net24();
        List<InetAddress> all = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            String prefix = "t" + t;
            Thread th = new Thread(() -> {
                Ipam ipam = new Ipam(dir);
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 10; i++) {
                    all.addAll(ipam.allocate(n, prefix + "-" + i, Optional.empty()));
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join(30_000);
        }
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
        assertThat(new Ipam(dir).allocations(n)).hasSize(20);
    }

    @Test
    void twoProcessesNeverGetTheSameAddress() throws Exception {
        Network n = net24();
        Path netFile = dir.resolve("net.json");
        Files.writeString(netFile, NetworkJson.toPodmanFile(n));
        Path stateDir = dir.resolve("ipam");
        Path ready = dir.resolve("ready");
        Path go = dir.resolve("go");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", cp, IpamWorker.class.getName(), stateDir.toString(),
                netFile.toString(), "proc", "10", ready.toString(), go.toString())
                .redirectErrorStream(true).start();
        try {
            Ipam ipam = new Ipam(stateDir);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ready)) {
                assertThat(child.isAlive()).as("worker alive").isTrue();
                assertThat(System.nanoTime()).as("worker ready in time").isLessThan(deadline);
                Thread.sleep(5);
            }
            Files.createFile(go);
            List<String> mine = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                mine.add(IpAddresses.format(ipam.allocate(n, "main-" + i, Optional.empty()).get(0)));
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isZero();
            List<String> theirs = out.lines().toList();
            Set<String> all = new HashSet<>(mine);
            all.addAll(theirs);
            assertThat(theirs).hasSize(10);
            assertThat(all).hasSize(20);
            assertThat(ipam.allocations(n)).hasSize(20);
        } finally {
            child.destroyForcibly();
        }
    }
}
