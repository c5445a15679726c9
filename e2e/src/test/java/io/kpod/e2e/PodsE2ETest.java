package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Pods: shared network, IPC and UTS namespaces through the infra container, on the real runtime. */
class PodsE2ETest extends E2EBase {
    private static final String HTTPD = "echo web-started; mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www";

    @Test
    void membersShareLocalhostHostnameIpcAndShm() throws Exception {
        String podId = kpod.ok("pod", "create", "--name", "p1", "--hostname", "p1host").trimmed();
        kpod.ok("run", "-d", "--pod", "p1", "--name", "web", IMAGE, "sh", "-c", HTTPD);
        kpod.ok("run", "-d", "--pod", "p1", "--name", "cli", IMAGE, "sleep", "300");
        assertThat(KpodHarness.eventually(10, () ->
                kpod.run("exec", "cli", "wget", "-qO-", "http://localhost:8080/").out().equals("hello-from-web\n")))
                .as("web answers cli on localhost").isTrue();
        assertThat(kpod.ok("exec", "web", "hostname").trimmed()).isEqualTo("p1host");
        assertThat(kpod.ok("exec", "cli", "hostname").trimmed()).isEqualTo("p1host");
        assertThat(kpod.ok("exec", "cli", "cat", "/etc/hostname").trimmed()).isEqualTo("p1host");
        kpod.ok("exec", "web", "sh", "-c", "echo shared > /dev/shm/posix && touch /dev/mqueue/q1");
        assertThat(kpod.ok("exec", "cli", "cat", "/dev/shm/posix").trimmed()).isEqualTo("shared");
        assertThat(kpod.ok("exec", "cli", "ls", "/dev/mqueue").trimmed()).isEqualTo("q1");
        assertThat(kpod.ok("exec", "cli", "ps").out()).as("pid namespace not shared by default")
                .doesNotContain("httpd");
        String ps = kpod.ok("ps", "-a", "--pod", "--format", "{{.Names}} {{.PodName}}").out();
        assertThat(ps).contains(podId.substring(0, 12) + "-infra p1").contains("web p1").contains("cli p1");
        JsonNode inspect = kpod.json("pod", "inspect", "p1").get(0);
        assertThat(inspect.get("State").asText()).isEqualTo("Running");
        assertThat(inspect.get("NumContainers").asInt()).isEqualTo(3);
        assertThat(kpod.ok("pod", "ps", "--format", "{{.Name}} {{.Status}}").trimmed()).isEqualTo("p1 Running");
        assertThat(kpod.ok("pod", "logs", "p1").out()).isEqualTo("web web-started\n");
        assertThat(kpod.ok("pod", "logs", "-c", "cli", "p1").out()).isEmpty();
        assertThat(kpod.ok("pod", "top", "p1").out()).contains("httpd -f -p 8080").contains("sleep 300");
        kpod.ok("pod", "rm", "-f", "p1");
        assertPodGone(podId);
    }

    @Test
    void sharedPidNamespaceShowsTheOtherContainersProcesses() {
        kpod.ok("pod", "create", "--name", "pp", "--share", "+pid");
        kpod.ok("run", "-d", "--pod", "pp", "--name", "a", IMAGE, "sleep", "301");
        kpod.ok("run", "-d", "--pod", "pp", "--name", "b", IMAGE, "sleep", "302");
        String ps = kpod.ok("exec", "b", "ps").out();
        assertThat(ps).contains("/catatonit -P").contains("sleep 301").contains("sleep 302");
        kpod.ok("pod", "rm", "-f", "pp");
    }

    @Test
    void aNewPodTakesTheContainersNetworkFlags() {
        kpod.ok("run", "-d", "--pod", "new:np", "--network", "none", "--name", "np-a", IMAGE, "sleep", "303");
        assertThat(kpod.ok("exec", "np-a", "ls", "/sys/class/net").trimmed()).as("only loopback").isEqualTo("lo");
        assertThat(kpod.ok("pod", "inspect", "--format", "{{.Name}}", "np").trimmed()).isEqualTo("np");
        kpod.ok("pod", "rm", "-f", "-t", "0", "np");
    }

    @Test
    void stopStartKeepsThePodAndInfraCrashIsRecovered() throws Exception {
        String podId = kpod.ok("pod", "create", "--name", "p2").trimmed();
        kpod.ok("run", "-d", "--pod", "p2", "--name", "web2", IMAGE, "sh", "-c", HTTPD);
        kpod.ok("run", "-d", "--pod", "p2", "--name", "cli2", IMAGE, "sleep", "300");
        kpod.ok("pod", "stop", "-t", "0", "p2");
        assertThat(kpod.ok("pod", "ps", "--format", "{{.Status}}").trimmed()).isEqualTo("Exited");
        assertThat(kpod.mounts()).as("stopped pod holds no mounts").isEmpty();
        kpod.ok("pod", "start", "p2");
        assertThat(KpodHarness.eventually(10, () ->
                kpod.run("exec", "cli2", "wget", "-qO-", "http://localhost:8080/").out().equals("hello-from-web\n")))
                .isTrue();
        assertThat(kpod.ok("exec", "cli2", "hostname").trimmed()).isEqualTo("p2");

        int infraPid = kpod.json("inspect", podId.substring(0, 12) + "-infra").get(0).get("State").get("Pid").asInt();
        new ProcessBuilder("kill", "-9", Integer.toString(infraPid)).start().waitFor();
        assertThat(KpodHarness.eventually(10, () ->
                kpod.run("pod", "ps", "--format", "{{.Status}}").trimmed().equals("Degraded")))
                .as("a dead infra is reported").isTrue();
        assertThat(kpod.ok("inspect", "--format", "{{.State.Status}}", podId.substring(0, 12) + "-infra").trimmed())
                .isEqualTo("exited");
        kpod.ok("pod", "start", "p2");
        assertThat(kpod.ok("pod", "ps", "--format", "{{.Status}}").trimmed()).isEqualTo("Running");
        assertThat(kpod.ok("exec", "cli2", "wget", "-qO-", "http://localhost:8080/").out()).isEqualTo("hello-from-web\n");
        String infraNet = Files.readSymbolicLink(Path.of("/proc",
                kpod.json("inspect", podId.substring(0, 12) + "-infra").get(0).get("State").get("Pid").asText(),
                "ns/net")).toString();
        String memberNet = Files.readSymbolicLink(Path.of("/proc",
                kpod.json("inspect", "cli2").get(0).get("State").get("Pid").asText(), "ns/net")).toString();
        assertThat(infraNet).as("the restarted infra rejoined the pinned netns").isEqualTo(memberNet);
        kpod.ok("pod", "rm", "-f", "p2");
        assertPodGone(podId);
    }

    @Test
    void membersStartInCreationOrderAndStopInReverse() throws Exception {
        Path dir = Files.createDirectories(kpod.base().resolve("order"));
        kpod.ok("pod", "create", "--name", "po");
        for (String name : new String[] {"first", "second"}) {
            kpod.ok("create", "--pod", "po", "--name", name, "-v", dir + ":/h", IMAGE, "sh", "-c",
                    "trap 'echo stop-" + name + " >> /h/order; exit 0' TERM; echo start-" + name
                            + " >> /h/order; while true; do sleep 0.1; done");
        }
        kpod.ok("pod", "start", "po");
        kpod.ok("pod", "stop", "-t", "10", "po");
        assertThat(Files.readAllLines(dir.resolve("order")))
                .containsExactly("start-first", "start-second", "stop-second", "stop-first");
        kpod.ok("pod", "rm", "po");
    }

    /** stop, rm and pod rm act on all their targets at once; what they print keeps the given order. */
    @Test
    void severalTargetsAtOnceKeepTheirOrderAndTheirErrors() throws Exception {
        for (String n : List.of("m1", "m2", "m3")) {
            kpod.ok("run", "-d", "--name", n, IMAGE, "sleep", "1d");
        }
        KpodHarness.Result stop = kpod.run("stop", "-t", "1", "m3", "nope", "m1", "m2");
        assertThat(stop.code()).isEqualTo(125);
        assertThat(stop.out().strip().split("\n")).containsExactly("m3", "m1", "m2");
        assertThat(stop.err()).contains("no container with name or ID \"nope\"");
        for (String n : List.of("m1", "m2", "m3")) {
            assertThat(kpod.ok("inspect", "--format", "{{.State.Status}}", n).trimmed()).isEqualTo("exited");
        }
        // a container that joins another's network namespace goes first in rm -a
        kpod.ok("start", "m1");
        kpod.ok("run", "-d", "--name", "joiner", "--network", "container:m1", IMAGE, "sleep", "1d");
        assertThat(kpod.ok("rm", "-a", "-f", "-t", "0").out().strip().split("\n")).hasSize(4);
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();

        List<String> ids = new ArrayList<>();
        for (String n : List.of("pa", "pb", "pc")) {
            ids.add(kpod.ok("pod", "create", "--name", n).trimmed());
            kpod.ok("run", "-d", "--pod", n, "--name", n + "-c", IMAGE, "sleep", "1d");
        }
        kpod.ok("pod", "start", "pa", "pb", "pc");
        KpodHarness.Result rm = kpod.ok("pod", "rm", "-f", "-t", "0", "pc", "pa", "pb");
        assertThat(rm.out().strip().split("\n")).containsExactly(ids.get(2), ids.get(0), ids.get(1));
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
    }

    @Test
    void podErrors() throws Exception {
        kpod.ok("pod", "create", "--name", "p3");
        kpod.ok("create", "--pod", "p3", "--name", "dup", IMAGE, "sleep", "300");
        KpodHarness.Result dup = kpod.run("create", "--pod", "p3", "--name", "dup", IMAGE, "true");
        assertThat(dup.code()).isEqualTo(125);
        assertThat(dup.err()).contains("\"dup\" is already in use");
        KpodHarness.Result noPod = kpod.run("run", "--pod", "ghost", IMAGE, "true");
        assertThat(noPod.code()).isEqualTo(125);
        assertThat(noPod.err()).contains("no pod with name or ID ghost found");
        assertThat(kpod.run("pod", "create", "--name", "p3").err()).contains("\"p3\" is already in use");
        kpod.ok("pod", "start", "p3");
        KpodHarness.Result running = kpod.run("pod", "rm", "p3");
        assertThat(running.code()).isEqualTo(2);
        assertThat(running.err()).contains("running containers");
        KpodHarness.Result infraRm = kpod.run("rm", "-f", kpod.ok("pod", "inspect", "--format", "{{.InfraContainerID}}", "p3").trimmed());
        assertThat(infraRm.err()).contains("infra container");
        kpod.ok("pod", "stop", "-t", "0", "p3");
        // the image disappears from the store behind kpod's back
        Path index = kpod.root().resolve("images/images.json");
        String saved = Files.readString(index);
        Files.writeString(index, saved.replaceAll("\"id\"\\s*:\\s*\"[0-9a-f]{64}\"", "\"id\" : \"" + "0".repeat(64) + "\""));
        KpodHarness.Result noImage = kpod.run("pod", "start", "p3");
        assertThat(noImage.code()).isEqualTo(125);
        assertThat(noImage.err()).contains("dup").contains("no longer exists");
        Files.writeString(index, saved);
        kpod.ok("pod", "rm", "-f", "p3");
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
    }

    private void assertPodGone(String podId) throws Exception {
        assertThat(kpod.ok("ps", "-a", "--filter", "pod=" + podId, "-q").trimmed()).isEmpty();
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).doesNotContain(podId.substring(0, 12));
        assertThat(kpod.mounts()).isEmpty();
        assertThat(Files.exists(kpod.runRoot().resolve("pods").resolve(podId))).isFalse();
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            assertThat(s.map(h -> h.resolve("kpod").resolve(podId)).filter(Files::exists).toList())
                    .as("pod cgroups removed").isEmpty();
        }
        assertThat(KpodHarness.eventually(10, () -> kpod.conmons().isEmpty())).isTrue();
    }
}
