package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real netavark as root: a network on a free 10.251.N.0/24 with bridge kptN, test
 * namespaces kpodtest-*, busybox httpd and nslookup inside them. Everything is undone in
 * {@link #cleanUp()}, whatever failed.
 */
@Tag("root")
@EnabledIf("rootWithNetavark")
class NetavarkIntegrationTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BUSYBOX = "/bin/busybox";

    @TempDir
    Path tmp;
    private final Deque<Runnable> cleanups = new ArrayDeque<>();
    private Netavark netavark;
    private NetavarkConfig config;
    private int octet;

    static boolean rootWithNetavark() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(NetavarkConfig.NETAVARK)
                && Files.isExecutable(Path.of(BUSYBOX)) && Files.isExecutable(Path.of("/usr/sbin/ip"));
    }

    @AfterEach
    void cleanUp() {
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (RuntimeException e) {
                System.err.println("cleanup step failed: " + e.getMessage());
            }
        }
    }

    @Test
    void publishedPortReachesHttpdAndTeardownLeavesNothing() throws Exception {
        String iptablesBefore = run("iptables-save").stdoutText();
        Network net = createNetwork(false);
        String ns = netns();
        String ctr = "kpodtest-" + hex(8);
        Ipam ipam = new Ipam(tmp.resolve("ipam"));
        List<InetAddress> ips = ipam.allocate(net, ctr, Optional.empty());
        List<PortMapping> ports = new HostPorts().assign(PortSpecs.parse(":8080"), Map.of());
        int hostPort = ports.get(0).hostPort();
        NetworkOptions opts = NetworkOptions.of(ctr, "web", ports,
                Map.of(net.name(), PerNetworkOptions.of(ips, List.of(), "eth0", null)), List.of(net));

        cleanups.push(() -> quietTeardown(ns, opts));
        Map<String, NetworkStatus> status = netavark.setup(nsPath(ns), opts);
        String ip = IpAddresses.format(ips.get(0));
        assertThat(ip).isEqualTo("10.251." + octet + ".2");
        assertThat(status.get(net.name()).interfaces().get("eth0").subnets())
                .containsExactly(new NetAddress(ip + "/24", "10.251." + octet + ".1"));
        assertThat(status.get(net.name()).dnsServerIps()).isEmpty();
        assertThat(run("ip", "-n", ns, "addr").stdoutText()).contains("inet " + ip + "/24");

        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from " + ctr + "\n");
        Process httpd = new ProcessBuilder("ip", "netns", "exec", ns, BUSYBOX, "httpd", "-f", "-p", "8080", "-h",
                www.toString()).redirectErrorStream(true).start();
        cleanups.push(() -> stop(httpd));

        String gateway = "10.251." + octet + ".1";
        assertThat(httpGet("127.0.0.1", hostPort)).isEqualTo("hello from " + ctr + "\n");
        assertThat(httpGet(gateway, hostPort)).isEqualTo("hello from " + ctr + "\n");
        assertThat(httpGet(ip, 8080)).isEqualTo("hello from " + ctr + "\n");
        stop(httpd);

        netavark.teardown(nsPath(ns), opts);
        ipam.release(net, ctr);
        String iptablesAfter = run("iptables-save").stdoutText();
        assertThat(iptablesAfter.lines().filter(l -> l.contains("10.251." + octet + ".") || l.contains(ctr)))
                .as("rules left behind").isEmpty();
        assertThat(iptablesAfter.lines().filter(l -> l.contains("NETAVARK")).count())
                .isLessThanOrEqualTo(iptablesBefore.lines().filter(l -> l.contains("NETAVARK")).count()
                        + concurrentNetavarkSlack());
        assertThat(Files.exists(Path.of("/sys/class/net/kpt" + octet))).as("bridge removed").isFalse();
        assertThat(run("ip", "-n", ns, "-o", "link").stdoutText().lines()).as("only lo in the netns")
                .hasSize(1).allMatch(l -> l.contains(": lo:"));
        assertThat(ipam.allocations(net)).isEmpty();
    }

    @Test
    void aardvarkResolvesOneContainerFromAnother() throws Exception {
        Network net = createNetwork(true);
        String ns1 = netns();
        String ns2 = netns();
        String c1 = "kpodtest-" + hex(8);
        String c2 = "kpodtest-" + hex(8);
        Ipam ipam = new Ipam(tmp.resolve("ipam"));
        NetworkOptions o1 = NetworkOptions.of(c1, "name1", List.of(), Map.of(net.name(),
                PerNetworkOptions.of(ipam.allocate(net, c1, Optional.empty()), List.of(), "eth0", null)), List.of(net));
        List<InetAddress> ip2 = ipam.allocate(net, c2, Optional.empty());
        NetworkOptions o2 = NetworkOptions.of(c2, "name2", List.of(), Map.of(net.name(),
                PerNetworkOptions.of(ip2, List.of("alias2"), "eth0", "92:d0:c6:0a:29:33")), List.of(net));
        cleanups.push(this::killAardvark);
        cleanups.push(() -> quietTeardown(ns1, o1));
        Map<String, NetworkStatus> s1 = netavark.setup(nsPath(ns1), o1);
        cleanups.push(() -> quietTeardown(ns2, o2));
        Map<String, NetworkStatus> s2 = netavark.setup(nsPath(ns2), o2);

        String gw = "10.251." + octet + ".1";
        assertThat(ResolvConf.lines(s1.values())).containsExactly("search dns.podman", "nameserver " + gw);
        assertThat(s2.get(net.name()).interfaces().get("eth0").macAddress()).isEqualTo("92:d0:c6:0a:29:33");
        String want = IpAddresses.format(ip2.get(0));
        assertThat(eventually(() -> lenient("ip", "netns", "exec", ns1, BUSYBOX, "nslookup", "name2", gw).stdoutText(),
                out -> out.contains(want))).contains(want);
        assertThat(eventually(() -> lenient("ip", "netns", "exec", ns1, BUSYBOX, "nslookup", "alias2", gw).stdoutText(),
                out -> out.contains(want))).contains(want);

        netavark.teardown(nsPath(ns2), o2);
        netavark.teardown(nsPath(ns1), o1);
        assertThat(Files.exists(Path.of("/sys/class/net/kpt" + octet))).isFalse();
        assertThat(run("iptables-save").stdoutText()).doesNotContain("10.251." + octet + ".");
    }

    @Test
    void netavarkErrorsArriveAsKpodExceptions() throws Exception {
        Network net = createNetwork(false);
        String ns = netns();
        String ctr = "kpodtest-" + hex(8);
        NetworkOptions opts = NetworkOptions.of(ctr, "x", List.of(), Map.of(net.name(), PerNetworkOptions.of(
                new Ipam(tmp.resolve("ipam")).allocate(net, ctr, Optional.empty()), List.of(), "eth0", null)),
                List.of(net));
        cleanups.push(() -> quietTeardown(ns, opts));
        netavark.setup(nsPath(ns), opts);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> netavark.setup(nsPath(ns), opts))
                .isInstanceOf(io.kpod.spec.KpodException.class)
                .hasMessageContaining("already exists").hasMessageNotContaining("syslog");
        netavark.teardown(nsPath(ns), opts);
    }

    // ---- helpers ----

    private Network createNetwork(boolean dns) {
        config = NetavarkConfig.defaults(tmp.resolve("netavark"));
        netavark = new Netavark(config);
        NetworkStore store = new NetworkStore(tmp.resolve("networks"));
        List<Cidr> routes = HostNetworkProbe.linux().routes();
        for (int attempt = 0; attempt < 50; attempt++) {
            int n = 1 + RANDOM.nextInt(254);
            Cidr c = Cidr.parse("10.251." + n + ".0/24");
            if (routes.stream().anyMatch(c::overlaps) || Files.exists(Path.of("/sys/class/net/kpt" + n))) {
                continue;
            }
            octet = n;
            cleanups.push(() -> {
                if (Files.exists(Path.of("/sys/class/net/kpt" + n))) {
                    run("ip", "link", "del", "kpt" + n);
                }
            });
            return store.create(NetworkCreateRequest.builder("it-" + n).subnet(c.toString()).interfaceName("kpt" + n)
                    .disableDns(!dns).build());
        }
        throw new IllegalStateException("no free 10.251.N.0/24 found");
    }

    private String netns() {
        String name = "kpodtest-" + hex(6);
        run("ip", "netns", "add", name);
        cleanups.push(() -> run("ip", "netns", "del", name));
        return name;
    }

    private static String nsPath(String ns) {
        return "/run/netns/" + ns;
    }

    private void quietTeardown(String ns, NetworkOptions opts) {
        try {
            netavark.teardown(nsPath(ns), opts);
        } catch (RuntimeException e) {
            // already torn down by the test, which is the normal case
        }
    }

    private void killAardvark() {
        Path pidFile = config.stateDir().resolve("aardvark-dns/aardvark.pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                ProcessHandle.of(pid).filter(p -> p.info().command().orElse("").contains("aardvark"))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // nothing to kill
        }
    }

    /** Other netavark users on the host may add chains meanwhile; ours must not be among them. */
    private static int concurrentNetavarkSlack() {
        return 50;
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String httpGet(String host, int port) throws Exception {
        return eventually(() -> {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + port + "/index.html")
                        .toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                try (var in = c.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } finally {
                    c.disconnect();
                }
            } catch (IOException e) {
                return "error: " + e;
            }
        }, body -> !body.startsWith("error: "));
    }

    private static String eventually(Supplier<String> attempt, java.util.function.Predicate<String> ok)
            throws InterruptedException {
        String last = null;
        for (int i = 0; i < 50; i++) {
            last = attempt.get();
            if (ok.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        return last;
    }

    /** Runs a command that must succeed. */
    private static ProcessResult run(String... argv) {
        ProcessResult r = lenient(argv);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + r.stderrText());
        }
        return r;
    }

    /** Runs a command that may fail (nslookup before aardvark is up); returns its output either way. */
    private static ProcessResult lenient(String... argv) {
        try {
            return ProcessLauncher.system().run(List.of(argv), new byte[0]);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
