package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetavarkTest {
    @org.junit.jupiter.api.io.TempDir
    Path tmp;
    NetavarkConfig CONFIG; // NOPMD: set per test so no test touches /run

    @org.junit.jupiter.api.BeforeEach
    void config() {
        CONFIG = NetavarkConfig.defaults(tmp.resolve("run/netavark"));
    }

    /** Records every call and answers with a fixed result. */
    static final class FakeLauncher implements ProcessLauncher {
        final List<List<String>> argvs = new ArrayList<>();
        final List<String> stdins = new ArrayList<>();
        ProcessResult answer;

        FakeLauncher(int rc, String stdout, String stderr) {
            answer = new ProcessResult(rc, stdout.getBytes(StandardCharsets.UTF_8),
                    stderr.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public ProcessResult run(List<String> argv, byte[] stdin) {
            argvs.add(argv);
            stdins.add(new String(stdin, StandardCharsets.UTF_8));
            return answer;
        }
    }

    static NetworkOptions recipeOptions() {
        return NetworkOptions.of("p1-infra", "p1", List.of(new PortMapping("", 8080, 18777, 1, "tcp")),
                Map.of("recipe", new PerNetworkOptions(List.of("10.77.0.10"), List.of("p1", "web"), null, "eth0")),
                List.of(NetworkJsonTest.recipe()));
    }

    @Test
    void setupSendsPodmansArgvAndStdinAndParsesStatus() throws Exception {
        FakeLauncher fake = new FakeLauncher(0, """
                {"recipe":{"dns_search_domains":["dns.podman"],"dns_server_ips":["10.77.0.1"],
                 "interfaces":{"eth0":{"mac_address":"ee:a2:84:24:92:2e","subnets":[{"gateway":"10.77.0.1","ipnet":"10.77.0.10/24"}]}}}}""",
                "failed to connect to syslog: Initialization\n");
        Map<String, NetworkStatus> status = new Netavark(CONFIG, fake).setup("/run/netns/kpod-p1", recipeOptions());

        assertThat(java.nio.file.Files.isDirectory(CONFIG.stateDir())).as("state dir made for netavark").isTrue();
        assertThat(fake.argvs).containsExactly(List.of("/usr/lib/podman/netavark", "--config", CONFIG.stateDir().toString(),
                "--rootless=false", "--aardvark-binary=/usr/lib/podman/aardvark-dns", "setup", "/run/netns/kpod-p1"));
        String expected = """
                { "container_id": "p1-infra", "container_name": "p1",
                  "port_mappings": [ { "host_ip": "", "container_port": 8080, "host_port": 18777, "range": 1, "protocol": "tcp" } ],
                  "networks": { "recipe": { "static_ips": ["10.77.0.10"], "aliases": ["p1", "web"], "interface_name": "eth0" } },
                  "network_info": { "recipe": %s } }""".formatted(NetworkJson.toPodmanFile(NetworkJsonTest.recipe()));
        JsonNode sent = NetworkJson.mapper().readTree(fake.stdins.get(0));
        assertThat(sent).isEqualTo(NetworkJson.mapper().readTree(expected));
        assertThat(fake.stdins.get(0)).startsWith("{\"container_id\":\"p1-infra\",\"container_name\":\"p1\",");

        NetworkStatus s = status.get("recipe");
        assertThat(s.dnsServerIps()).containsExactly("10.77.0.1");
        assertThat(s.dnsSearchDomains()).containsExactly("dns.podman");
        NetInterface eth0 = s.interfaces().get("eth0");
        assertThat(eth0.macAddress()).isEqualTo("ee:a2:84:24:92:2e");
        assertThat(eth0.subnets()).containsExactly(new NetAddress("10.77.0.10/24", "10.77.0.1"));
        assertThat(eth0.subnets().get(0).address()).isEqualTo("10.77.0.10");
        assertThat(ResolvConf.lines(status.values())).containsExactly("search dns.podman", "nameserver 10.77.0.1");
    }

    @Test
    void teardownUsesTheSameStdinAndStaticMacIsSent() {
        FakeLauncher fake = new FakeLauncher(0, "", "");
        NetworkOptions o = NetworkOptions.of("c1", "c1", List.of(),
                Map.of("recipe", new PerNetworkOptions(List.of("10.77.0.11"), List.of(), "92:D0:C6:0A:29:33", "eth0")),
                List.of(NetworkJsonTest.recipe()));
        new Netavark(CONFIG, fake).teardown("/proc/42/ns/net", o);
        assertThat(fake.argvs.get(0)).endsWith("teardown", "/proc/42/ns/net");
        assertThat(fake.stdins.get(0)).contains("\"static_mac\":\"92:d0:c6:0a:29:33\"")
                .doesNotContain("port_mappings", "aliases");
    }

    @Test
    void netavarkErrorBecomesRuntimeException() {
        FakeLauncher fake = new FakeLauncher(1, "{\"error\":\"IO error: no static ips provided\"}",
                "failed to connect to syslog: Initialization\n");
        assertThatThrownBy(() -> new Netavark(CONFIG, fake).setup("/run/netns/x", recipeOptions()))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.RUNTIME))
                .hasMessage("netavark setup for container p1-infra failed: IO error: no static ips provided");

        FakeLauncher plain = new FakeLauncher(2, "", "failed to connect to syslog: Initialization\nboom\n");
        assertThatThrownBy(() -> new Netavark(CONFIG, plain).teardown("/run/netns/x", recipeOptions()))
                .hasMessageEndingWith("failed: boom");

        ProcessLauncher missing = (argv, in) -> {
            throw new IOException("No such file or directory");
        };
        assertThatThrownBy(() -> new Netavark(CONFIG, missing).setup("/run/netns/x", recipeOptions()))
                .hasMessageContaining("is netavark installed?");
    }

    @Test
    void optionsAreValidatedBeforeNetavarkRuns() {
        assertThatThrownBy(() -> NetworkOptions.of("c", "c", List.of(),
                Map.of("recipe", new PerNetworkOptions(List.of(), List.of(), null, "eth0")),
                List.of(NetworkJsonTest.recipe()))).hasMessageContaining("call Ipam.allocate first");
        assertThatThrownBy(() -> NetworkOptions.of("c", "c", List.of(),
                Map.of("other", new PerNetworkOptions(List.of("10.1.1.2"), List.of(), null, "eth0")),
                List.of(NetworkJsonTest.recipe()))).hasMessageContaining("no definition given for network other");
    }

    @Test
    void realLauncherDrainsBothStreams() throws Exception {
        // 200 KB on each stream would deadlock a reader that reads one pipe after the other
        ProcessResult r = ProcessLauncher.system().run(List.of("/bin/sh", "-c",
                "head -c 200000 /dev/zero | tr '\\0' a; head -c 200000 /dev/zero | tr '\\0' b >&2; cat >/dev/null; exit 3"),
                "x".repeat(300_000).getBytes(StandardCharsets.UTF_8));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).hasSize(200_000);
        assertThat(r.stderr()).hasSize(200_000);
    }
}
