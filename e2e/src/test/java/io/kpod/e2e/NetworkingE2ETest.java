package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Bridge networking through the real netavark and aardvark-dns, on a subnet of this test's own. */
class NetworkingE2ETest extends E2EBase {
    private static final String SUBNET = "10.251.210";
    private static final String HTTPD = "mkdir -p /www && echo from-$(hostname) > /www/index.html && exec httpd -f -p 8080 -h /www";

    private static String iptables() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("iptables-save").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        // what a network of ours adds: rules on its subnets and its per-network and per-port chains
        // (netavark's global NETAVARK_FORWARD and HOSTPORT chains stay once created, as with Podman)
        return String.join("\n", out.lines().filter(l -> l.contains("10.251.21") || l.contains("NETAVARK-DN-")
                || l.contains("NETAVARK-SN-")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).sorted().toList());
    }

    private static String links() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-o", "link").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return String.join("\n", out.lines().map(l -> l.split(":")[1].trim().split("@")[0]).sorted().toList());
    }

    @Test
    void podsReachEachOtherByNameAndPublishedPortsAnswerFromTheHost() throws Exception {
        String before = iptables();
        String linksBefore = links();
        kpod.ok("network", "create", "--subnet", SUBNET + ".0/24", "ktnet");
        int port = 20000 + (int) (ProcessHandle.current().pid() % 9000);
        kpod.ok("pod", "create", "--name", "front", "--network", "ktnet", "-p", "127.0.0.1:" + port + ":8080");
        kpod.ok("run", "-d", "--pod", "front", "--name", "front-web", IMAGE, "sh", "-c", HTTPD);
        kpod.ok("pod", "create", "--name", "back", "--network", "ktnet");
        kpod.ok("run", "-d", "--pod", "back", "--name", "back-cli", IMAGE, "sleep", "300");
        assertThat(kpod.ok("exec", "back-cli", "cat", "/etc/resolv.conf").out()).contains("nameserver " + SUBNET + ".1");
        assertThat(kpod.ok("exec", "front-web", "cat", "/etc/hosts").out()).contains(SUBNET + ".");
        assertThat(KpodHarness.eventually(10, () ->
                kpod.run("exec", "back-cli", "wget", "-qO-", "http://front:8080/").out().equals("from-front\n")))
                .as("the back pod reaches the front pod by name").isTrue();
        String frontIp = kpod.ok("exec", "front-web", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}'")
                .trimmed().replace("/24", "");
        assertThat(frontIp).startsWith(SUBNET + ".");
        assertThat(kpod.ok("exec", "back-cli", "wget", "-qO-", "http://" + frontIp + ":8080/").out()).isEqualTo("from-front\n");
        Process host = new ProcessBuilder("busybox", "wget", "-qO-", "http://127.0.0.1:" + port + "/").start();
        assertThat(new String(host.getInputStream().readAllBytes())).isEqualTo("from-front\n");
        assertThat(host.waitFor()).isZero();

        KpodHarness.Result clash = kpod.run("run", "-d", "--network", "ktnet", "-p", "127.0.0.1:" + port + ":80", IMAGE,
                "sleep", "300");
        assertThat(clash.code()).isEqualTo(125);
        assertThat(clash.err()).contains(Integer.toString(port));

        kpod.ok("pod", "rm", "-f", "front", "back");
        kpod.run("rm", "-a", "-f", "-t", "0");
        assertThat(KpodHarness.eventually(10, () -> {
            try {
                return iptables().equals(before);
            } catch (Exception e) {
                return false;
            }
        })).as("no iptables rules left").isTrue();
        assertThat(links()).as("no bridge or veth left").isEqualTo(linksBefore);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                kpod.root().resolve("networks/ipam/ktnet.json").toFile()).get("allocations").size())
                .as("addresses released").isZero();
        kpod.ok("network", "rm", "ktnet");
    }

    @Test
    void publishAllPublishesTheImagesExposedPortsOnRandomHostPorts() throws Exception {
        kpod.ok("import", KpodHarness.testRootfs().toString(), "exposer", "--change", "EXPOSE 8080",
                "--change", "CMD [\"sh\"]");
        kpod.ok("run", "-d", "--name", "pa", "-P", "exposer", "sh", "-c", HTTPD);
        String ports = kpod.ok("ps", "--format", "{{.Ports}}").trimmed();
        assertThat(ports).matches("0\\.0\\.0\\.0:\\d+->8080/tcp");
        String hostPort = ports.substring(ports.indexOf(':') + 1, ports.indexOf("->"));
        // kpod port tells the random port, as the -P documentation promises
        assertThat(kpod.ok("port", "pa").out()).isEqualTo("8080/tcp -> 0.0.0.0:" + hostPort + "\n");
        assertThat(kpod.ok("port", "pa", "8080/tcp").out()).isEqualTo("0.0.0.0:" + hostPort + "\n");
        assertThat(kpod.ok("port", "-a").out()).contains("\t8080/tcp -> 0.0.0.0:" + hostPort + "\n");
        KpodHarness.Result unpublished = kpod.run("port", "pa", "8081");
        assertThat(unpublished.code()).isEqualTo(125);
        assertThat(unpublished.err()).contains("failed to find published port \"8081\"");
        assertThat(KpodHarness.eventually(10, () -> {
            try {
                Process p = new ProcessBuilder("busybox", "wget", "-qO-", "http://127.0.0.1:" + hostPort + "/").start();
                return new String(p.getInputStream().readAllBytes()).startsWith("from-") && p.waitFor() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        })).as("the random host port answers").isTrue();
        kpod.ok("rm", "-f", "-t", "0", "pa");
        kpod.ok("rmi", "exposer");
    }

    @Test
    void internalNetworkHasNoRouteOut() {
        kpod.ok("network", "create", "--internal", "--subnet", SUBNET.replace("210", "211") + ".0/24", "ktinternal");
        String routes = kpod.ok("run", "--rm", "--network", "ktinternal", IMAGE, "ip", "route").out();
        assertThat(routes).doesNotContain("default");
        String bridged = kpod.ok("run", "--rm", "--network", "ktinternal", IMAGE, "ip", "-4", "addr", "show", "eth0").out();
        assertThat(bridged).contains(SUBNET.replace("210", "211") + ".");
        kpod.ok("network", "rm", "ktinternal");
    }

    @Test
    void twoProcessesStartingTenContainersEachGetTwentyDistinctAddresses() throws Exception {
        kpod.ok("network", "create", "--subnet", SUBNET.replace("210", "212") + ".0/24", "ktbusy");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 10; i++) {
                    kpod.ok("run", "-d", "--network", "ktbusy", IMAGE, "sleep", "300");
                }
            }, pool));
        }
        workers.forEach(CompletableFuture::join);
        pool.shutdown();
        List<String> inspect = new ArrayList<>(List.of("inspect", "--format", "{{.NetworkSettings.IPAddress}}"));
        inspect.addAll(kpod.ok("ps", "-q").out().lines().toList());
        List<String> ips = kpod.ok(inspect.toArray(String[]::new)).out().lines().toList();
        // and one seen from inside, to know inspect reports what the container has
        String first = kpod.ok("ps", "-q").out().lines().findFirst().orElseThrow();
        assertThat(kpod.ok("exec", first, "sh", "-c", "ip -4 -o addr show eth0").out())
                .contains(kpod.ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", first).trimmed() + "/");
        assertThat(ips).hasSize(20);
        assertThat(new HashSet<>(ips)).hasSize(20);
        kpod.ok("rm", "-a", "-f", "-t", "0");
        kpod.ok("network", "rm", "ktbusy");
    }
}
