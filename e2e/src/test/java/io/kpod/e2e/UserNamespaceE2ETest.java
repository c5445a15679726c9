package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * User namespaces: {@code --uidmap/--gidmap}, {@code --userns=auto}, a pod's user namespace
 * shared by its members, kube play's {@code --userns} and the Podman annotation. What is
 * checked is what the container and the host see: the maps, who owns the image's files inside,
 * which host IDs the process and its files get, and that the per-mapping layer copies go with
 * the last container using them.
 */
class UserNamespaceE2ETest extends E2EBase {
    /** Ends on SIGTERM (a PID 1 without a handler would ignore it and make every stop wait). */
    private static final String SLEEPER = "trap 'exit 0' TERM; sleep 600 & wait";

    /** container:host:size lines of /proc/self/uid_map (or gid_map), spaces squeezed. */
    private String map(String container, String file) {
        return kpod.ok("exec", container, "cat", "/proc/self/" + file).out().strip().replaceAll("\\s+", " ");
    }

    private static String hostStatus(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith(field + ":"))
                .findFirst().orElseThrow().split("\\s+")[1];
    }

    /** The per-mapping copies of image layers that exist now. */
    private List<Path> mappedCopies() throws IOException {
        Path layers = kpod.root().resolve("images/layers");
        try (Stream<Path> s = Files.list(layers)) {
            return s.map(l -> l.resolve("mapped")).filter(Files::isDirectory).flatMap(m -> {
                try (Stream<Path> c = Files.list(m)) {
                    return c.toList().stream();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void uidAndGidMapsShiftTheProcessTheImageAndNewVolumes() throws Exception {
        kpod.ok("run", "-d", "--name", "mapped", "--uidmap", "0:300000:65536", "--gidmap", "0:400000:65536",
                "-v", "unsdata:/data", IMAGE, "sh", "-c", SLEEPER);
        assertThat(map("mapped", "uid_map")).isEqualTo("0 300000 65536");
        assertThat(map("mapped", "gid_map")).isEqualTo("0 400000 65536");
        // root inside, an unprivileged ID outside
        assertThat(kpod.ok("exec", "mapped", "id", "-u").trimmed()).isEqualTo("0");
        long pid = Long.parseLong(kpod.ok("inspect", "--format", "{{.State.Pid}}", "mapped").trimmed());
        assertThat(hostStatus(pid, "Uid")).isEqualTo("300000");
        assertThat(hostStatus(pid, "Gid")).isEqualTo("400000");
        // the image's files belong to the container's root (a shifted copy), and root may write anywhere
        assertThat(kpod.ok("exec", "mapped", "stat", "-c", "%u:%g", "/bin/busybox", "/").out())
                .isEqualTo("0:0\n0:0\n");
        kpod.ok("exec", "mapped", "sh", "-c", "echo up > /rootfile && echo vol > /data/f && mkdir /data/d");
        Path vol = Path.of(kpod.ok("volume", "inspect", "--format", "{{.Mountpoint}}", "unsdata").trimmed());
        assertThat(Files.getAttribute(vol.resolve("f"), "unix:uid")).isEqualTo(300000);
        assertThat(Files.getAttribute(vol.resolve("f"), "unix:gid")).isEqualTo(400000);
        assertThat(Files.getAttribute(vol, "unix:uid")).as("a new volume is given to the container's root")
                .isEqualTo(300000);
        assertThat(kpod.json("inspect", "mapped").get(0).at("/HostConfig/IDMappings/UidMap/0").asText())
                .isEqualTo("0:300000:65536");
        assertThat(mappedCopies()).hasSize(1);

        // host network: sysfs cannot be mounted from the namespace, /sys is bound from the host
        String sys = kpod.ok("run", "--rm", "--network", "host", "--uidmap", "0:300000:65536", IMAGE,
                "sh", "-c", "cat /proc/self/uid_map; ls /sys/class/net").out();
        assertThat(sys).contains("300000").contains("lo");

        // commit gives the image the owners the container saw, not the host IDs behind them
        kpod.ok("commit", "mapped", "unscommitted");
        assertThat(kpod.ok("run", "--rm", "unscommitted", "stat", "-c", "%u:%g", "/rootfile").out()).isEqualTo("0:0\n");
        kpod.ok("rmi", "unscommitted");

        kpod.ok("rm", "-f", "-t", "0", "mapped");
        assertThat(mappedCopies()).as("the layer copy goes with the last container using the mapping").isEmpty();
        kpod.ok("volume", "rm", "unsdata");
    }

    @Test
    void autoGivesEachContainerItsOwnRangeFromThePool() throws Exception {
        kpod.ok("run", "-d", "--name", "auto1", "--userns=auto", IMAGE, "sh", "-c", SLEEPER);
        kpod.ok("run", "-d", "--name", "auto2", "--userns=auto:size=2048", IMAGE, "sh", "-c", SLEEPER);
        String[] a = map("auto1", "uid_map").split(" ");
        String[] b = map("auto2", "uid_map").split(" ");
        assertThat(a[0]).isEqualTo("0");
        // sized from the image (its highest owner, at least 1024), or as asked
        assertThat(Long.parseLong(a[2])).isEqualTo(1024);
        assertThat(Long.parseLong(b[2])).isEqualTo(2048);
        long startA = Long.parseLong(a[1]);
        long startB = Long.parseLong(b[1]);
        // kpod's pool (no "containers" entry in /etc/subuid here) starts at 2^30; ranges never overlap
        assertThat(startA).isGreaterThanOrEqualTo(1L << 30);
        assertThat(startB).isGreaterThanOrEqualTo(1L << 30);
        assertThat(startA + 1024 <= startB || startB + 2048 <= startA).as("%s and %s overlap", startA, startB).isTrue();
        assertThat(kpod.ok("inspect", "--format", "{{.HostConfig.UsernsMode}}", "auto1").trimmed()).isEqualTo("auto");
        assertThat(kpod.ok("exec", "auto2", "sh", "-c", "touch /tmp/x && stat -c %u /tmp/x").trimmed()).isEqualTo("0");

        // what cannot work is refused with the reason, and nothing is created
        KpodHarness.Result keepId = kpod.run("run", "--rm", "--userns=keep-id", IMAGE, "true");
        assertThat(keepId.code()).isEqualTo(125);
        assertThat(keepId.err()).contains("only supported in rootless mode");
        assertThat(kpod.run("run", "--rm", "--uidmap", "0:1000:10", "--uidmap", "5:5000:10", IMAGE, "true").err())
                .contains("overlap in the container");
        assertThat(kpod.run("run", "--rm", "--userns=auto", "--uidmap", "0:1:1", IMAGE, "true").err())
                .contains("cannot be used with");
        assertThat(kpod.ok("ps", "-a", "-q").out().lines().count()).isEqualTo(2);
    }

    @Test
    void aPodsMembersShareItsUserNamespace() throws Exception {
        kpod.ok("pod", "create", "--name", "upod", "--userns=auto");
        kpod.ok("run", "-d", "--pod", "upod", "--name", "uweb", IMAGE, "sh", "-c",
                "mkdir -p /w && echo pod-page > /w/index.html && trap 'exit 0' TERM; httpd -f -p 8080 -h /w & wait");
        kpod.ok("run", "-d", "--pod", "upod", "--name", "ucli", IMAGE, "sh", "-c", SLEEPER);
        String userns = kpod.ok("exec", "uweb", "readlink", "/proc/self/ns/user").trimmed();
        assertThat(kpod.ok("exec", "ucli", "readlink", "/proc/self/ns/user").trimmed()).isEqualTo(userns);
        assertThat(userns).isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString());
        assertThat(map("ucli", "uid_map")).matches("0 \\d+ 65536");
        assertThat(KpodHarness.eventually(10, () -> kpod.run("exec", "ucli", "wget", "-qO-", "http://localhost:8080/")
                .out().equals("pod-page\n"))).as("members reach each other in the pod's network").isTrue();
        assertThat(kpod.ok("pod", "inspect", "--format", "{{json .SharedNamespaces}}", "upod").out()).contains("user");

        KpodHarness.Result own = kpod.run("run", "--rm", "--pod", "upod", "--userns=auto", IMAGE, "true");
        assertThat(own.code()).isEqualTo(125);
        assertThat(own.err()).contains("uses the pod's user namespace");

        // a restarted pod makes its namespace again with the same mappings
        String before = map("ucli", "uid_map");
        kpod.ok("pod", "restart", "upod");
        assertThat(map("ucli", "uid_map")).isEqualTo(before);
        assertThat(KpodHarness.eventually(10, () -> kpod.run("exec", "ucli", "wget", "-qO-", "http://localhost:8080/")
                .out().equals("pod-page\n"))).isTrue();
        kpod.ok("pod", "rm", "-f", "-t", "0", "upod");
        assertThat(mappedCopies()).isEmpty();
        assertThat(kpod.root().resolve("pause-mapped")).isEmptyDirectory();
    }

    @Test
    void kubePlayTakesTheAnnotationAndTheFlag() throws Exception {
        Path yaml = kpod.base().resolve("userns.yaml");
        Files.writeString(yaml, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: unsa
                  annotations:
                    io.podman.annotations.userns: "auto:size=4096"
                spec:
                  containers:
                  - name: c
                    image: IMAGE
                    command: [sh, -c, "SLEEPER"]
                    volumeMounts: [{name: scratch, mountPath: /scratch}]
                  volumes: [{name: scratch, emptyDir: {}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: unsb}
                spec:
                  containers:
                  - name: c
                    image: IMAGE
                    command: [sh, -c, "SLEEPER"]
                """.replace("IMAGE", IMAGE).replace("SLEEPER", SLEEPER));
        kpod.ok("kube", "play", yaml.toString());
        assertThat(map("unsa-c", "uid_map")).matches("0 \\d+ 4096");
        assertThat(kpod.ok("exec", "unsa-c", "sh", "-c", "touch /scratch/f && stat -c %u /scratch/f").trimmed())
                .as("an emptyDir is the pod root's").isEqualTo("0");
        assertThat(map("unsb-c", "uid_map")).as("no annotation, no flag: the host's").isEqualTo("0 0 4294967295");
        assertThat(kpod.ok("kube", "generate", "unsa").out()).as("generate gives the annotation back")
                .contains("io.podman.annotations.userns: auto:size=4096");
        // played again unchanged: the pods are kept with their ranges
        String id = kpod.ok("pod", "inspect", "--format", "{{.Id}}", "unsa").trimmed();
        String range = map("unsa-c", "uid_map");
        kpod.ok("kube", "play", yaml.toString());
        assertThat(kpod.ok("pod", "inspect", "--format", "{{.Id}}", "unsa").trimmed()).isEqualTo(id);
        assertThat(map("unsa-c", "uid_map")).isEqualTo(range);
        kpod.ok("kube", "down", yaml.toString());

        kpod.ok("kube", "play", "--userns=auto", yaml.toString());
        assertThat(map("unsb-c", "uid_map")).matches("0 \\d+ 65536");
        assertThat(map("unsa-c", "uid_map")).as("the annotation wins over the flag").matches("0 \\d+ 4096");
        kpod.ok("kube", "down", yaml.toString());
        assertThat(kpod.run("kube", "play", "--userns=nomap", yaml.toString()).err()).contains("rootless");
        assertThat(mappedCopies()).isEmpty();
    }
}
