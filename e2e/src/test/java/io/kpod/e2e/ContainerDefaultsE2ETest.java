package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a process in a container made with no security options may not do (issue #10), each
 * fact observed from inside on the real runtime, and {@code --privileged} as the one way back.
 * Each container answers many questions in one {@code sh -c}, to keep the class fast. Every
 * container and pod has {@code --network none}, so the class never makes the default bridge
 * that tests running beside it use. Complements {@link SecurityAndResourcesE2ETest}.
 */
class ContainerDefaultsE2ETest extends E2EBase {
    private static final long CAP_SYS_ADMIN = 1L << 21;

    /** Runs {@code script} in a new container; what it printed as {@code key=value} lines. */
    private Map<String, String> facts(List<String> runArgs, String script) {
        List<String> argv = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        argv.addAll(runArgs);
        argv.addAll(List.of(IMAGE, "sh", "-c", script));
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : kpod.ok(argv.toArray(String[]::new)).out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return facts;
    }

    /** A script line printing {@code key=<exit code> <first line of its output>} for {@code cmd}. */
    private static String status(String key, String cmd) {
        return "out=$( (" + cmd + ") 2>&1 ); echo \"" + key + "=$? $out\" | head -1\n";
    }

    /** A {@link #status} of a command that failed, saying {@code why}. */
    private static void assertRefused(Map<String, String> facts, String key, String why) {
        assertThat(facts.get(key)).as(key).isNotNull().doesNotStartWith("0 ").contains(why);
    }

    private static String hostFile(String path) {
        try {
            return Files.exists(Path.of(path)) ? Files.readString(Path.of(path)).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asked of the default and of the privileged container alike. */
    private static final String PROBES = ""
            + "echo \"capeff=$(sed -n 's/^CapEff:\\t//p' /proc/self/status)\"\n"
            + "echo \"seccomp=$(sed -n 's/^Seccomp:\\t//p' /proc/self/status)\"\n"
            + status("mount", "mount -t tmpfs probe /tmp")
            + "echo \"firmware=$(ls -A /sys/firmware | wc -l)\"\n"
            + "echo \"sysmount=$(awk '$2 == \"/sys\" {print $4}' /proc/mounts | cut -d, -f1)\"\n"
            + "echo \"procsysmount=$(awk '$2 == \"/proc/sys\" {print $4}' /proc/mounts | cut -d, -f1)\"\n";

    @Test
    void defaultContainerCannotAdministerTheKernelNorSeeTheHost() {
        Map<String, String> f = facts(List.of(), "# kpod-defaults-probe\n" + PROBES
                + "echo \"kcore=$(wc -c 2>/dev/null < /proc/kcore || echo absent)\"\n"
                + "echo \"timer_list=$(stat -c '%F %t:%T' /proc/timer_list) $(wc -c < /proc/timer_list)\"\n"
                + "echo \"firmwarefs=$(awk '$2 == \"/sys/firmware\" {print $3, $4}' /proc/mounts | cut -d, -f1)\"\n"
                + "echo \"devblock=$(ls -A /sys/dev/block | wc -l)\"\n"
                + status("hostname", "echo probe > /proc/sys/kernel/hostname")
                + status("systouch", "touch /sys/fs/probe")
                + status("unshare_m", "unshare -m true")
                + status("unshare_U", "unshare -U true")
                + "for p in " + kpod.root() + " " + kpod.runRoot() + " " + kpod.base() + "; do"
                + " [ -e \"$p\" ] && echo \"visible=$p\"; done\n"
                + "echo \"pid1=$(tr '\\0\\n' '  ' < /proc/1/cmdline)\"\n"
                + "echo \"pids=$(ls /proc | grep -c '^[0-9]')\"\n");

        // no CAP_SYS_ADMIN, so no mount
        assertThat(Long.parseUnsignedLong(f.get("capeff"), 16) & CAP_SYS_ADMIN).as("CAP_SYS_ADMIN in CapEff %s",
                f.get("capeff")).isZero();
        assertThat(f.get("seccomp")).isEqualTo("2");
        assertRefused(f, "mount", "permission denied");

        // masked files are /dev/null bound over them, masked dirs an empty read-only tmpfs
        assertThat(hostFile("/proc/timer_list")).as("the host has something to hide").isNotEmpty();
        assertThat(f.get("timer_list")).isEqualTo("character special file 1:3 0");
        assertThat(f.get("kcore")).as("/proc/kcore, where this host's kernel has one")
                .isEqualTo(Files.exists(Path.of("/proc/kcore")) ? "0" : "absent");
        assertThat(Path.of("/sys/firmware")).as("the host has firmware entries to hide").isNotEmptyDirectory();
        assertThat(f.get("firmware")).isEqualTo("0");
        assertThat(f.get("firmwarefs")).isEqualTo("tmpfs ro");
        assertThat(Path.of("/sys/dev/block")).isNotEmptyDirectory();
        assertThat(f.get("devblock")).isEqualTo("0");

        // /proc/sys and /sys are read-only mounts
        assertThat(f.get("procsysmount")).isEqualTo("ro");
        assertRefused(f, "hostname", "Read-only file system");
        assertThat(f.get("sysmount")).isEqualTo("ro");
        assertRefused(f, "systouch", "Read-only file system");

        // no new mount namespace
        assertRefused(f, "unshare_m", "Operation not permitted");
        // kpod's default seccomp filter refuses new user namespaces without CAP_SYS_ADMIN, as Kubernetes'
        // RuntimeDefault does (Podman's profile allows them)
        assertRefused(f, "unshare_U", "Operation not permitted");

        // neither kpod's state nor the host's processes are in sight
        assertThat(kpod.root()).as("the graph root, on the host").isDirectory();
        assertThat(kpod.runRoot()).as("the run root, on the host").isDirectory();
        assertThat(f).as("kpod's dirs inside the container").doesNotContainKey("visible");
        assertThat(f.get("pid1")).as("pid 1 is the container's own command").startsWith("sh -c # kpod-defaults-probe ");
        assertThat(Integer.parseInt(f.get("pids"))).as("processes in sight (the host has dozens)").isLessThan(6);
    }

    @Test
    void privilegedIsTheOneWayBackAndItsSysctlsStayInItsOwnUtsNamespace() throws IOException {
        Path hostDomainFile = Path.of("/proc/sys/kernel/domainname");
        String hostDomain = hostFile(hostDomainFile.toString());
        String mine = "kpod-e2e-" + ProcessHandle.current().pid();
        Map<String, String> f;
        try {
            f = facts(List.of("--privileged"), PROBES
                    + status("domainname", "echo " + mine + " > /proc/sys/kernel/domainname")
                    + "echo \"domain=$(cat /proc/sys/kernel/domainname)\"\n");
        } finally {
            if (!hostFile(hostDomainFile.toString()).equals(hostDomain)) {
                Files.writeString(hostDomainFile, hostDomain); // the assertion below reports it
            }
        }
        String hostDomainAfter = hostFile(hostDomainFile.toString());

        assertThat(Long.parseUnsignedLong(f.get("capeff"), 16) & CAP_SYS_ADMIN).as("CAP_SYS_ADMIN").isNotZero();
        assertThat(f.get("seccomp")).isEqualTo("0");
        assertThat(f.get("mount")).isEqualTo("0 ");
        assertThat(f.get("firmware")).as("/sys/firmware shows the host's entries").isNotEqualTo("0");
        assertThat(f.get("sysmount")).isEqualTo("rw");
        assertThat(f.get("procsysmount")).as("/proc/sys is no separate read-only mount").isEmpty();
        assertThat(f.get("domainname")).isEqualTo("0 ");
        assertThat(f.get("domain")).isEqualTo(mine);
        assertThat(hostDomainAfter).as("the host's domain name, after the container set its own")
                .isEqualTo(hostDomain).isNotEqualTo(mine);
    }

    @Test
    void podsLoopbackIsReachableOnlyFromInsideThePod() {
        kpod.ok("pod", "create", "--network", "none", "--name", "defaults-lo-a");
        kpod.ok("pod", "create", "--network", "none", "--name", "defaults-lo-b");
        kpod.ok("run", "-d", "--pod", "defaults-lo-a", "--name", "defaults-lo-server", IMAGE, "sh", "-c",
                "mkdir /www && echo hi-from-a > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www");
        // (no wget -T: busybox 1.35's wget crashes with it)
        String fetch = "for i in $(seq 50); do wget -qO- http://127.0.0.1:8080/ 2>/dev/null && exit; sleep 0.1;"
                + " done; echo unreachable";
        assertThat(kpod.ok("run", "--rm", "--pod", "defaults-lo-a", IMAGE, "sh", "-c", fetch).out())
                .as("a container of the same pod shares its loopback").isEqualTo("hi-from-a\n");
        String other = "wget -qO- http://127.0.0.1:8080/ 2>&1; echo \"exit=$?\"";
        assertThat(kpod.ok("run", "--rm", "--pod", "defaults-lo-b", IMAGE, "sh", "-c", other).out())
                .as("another pod's loopback").contains("Connection refused").endsWith("exit=1\n");
    }

    @Test
    void kubeRunAsNonRootAndAllowPrivilegeEscalation() throws IOException {
        // the busybox image sets no USER: runAsNonRoot without a runAsUser refuses it, wherever it is set
        Map<String, String> refused = Map.of(
                "spec.containers[0].securityContext.runAsNonRoot", """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: defaults-root}
                        spec:
                          containers:
                          - {name: c, image: %s, command: [sleep, 1d], securityContext: {runAsNonRoot: true}}
                        """.formatted(IMAGE),
                "spec.template.spec.securityContext.runAsNonRoot", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: defaults-root}
                        spec:
                          selector: {matchLabels: {app: r}}
                          template:
                            metadata: {labels: {app: r}}
                            spec:
                              securityContext: {runAsNonRoot: true}
                              volumes: [{name: v, persistentVolumeClaim: {claimName: defaults-claim}}]
                              containers:
                              - {name: c, image: %s, command: [sleep, 1d], volumeMounts: [{name: v, mountPath: /data}]}
                        ---
                        apiVersion: v1
                        kind: PersistentVolumeClaim
                        metadata: {name: defaults-claim}
                        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}
                        """.formatted(IMAGE));
        Path dir = Files.createTempDirectory(kpod.base(), "defaults-yaml");
        for (var c : refused.entrySet()) {
            Path f = dir.resolve(c.getKey() + ".yaml");
            Files.writeString(f, c.getValue());
            KpodHarness.Result r = kpod.run("kube", "play", "--network", "none", f.toString());
            assertThat(r.code()).as(c.getKey()).isNotZero();
            assertThat(r.err().strip().lines().toList()).as("one line").singleElement().asString()
                    .startsWith("Error: " + f + ": document 1, line 1: " + c.getKey() + ": image " + IMAGE
                            + " runs as root");
        }
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).as("pods left").isEmpty();
        assertThat(kpod.ok("ps", "-aq").trimmed()).as("containers left").isEmpty();
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).as("the claim's volume").isEmpty();

        // each container reports from its own pid 1
        Path f = dir.resolve("sc.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: Pod
                metadata: {name: defaults-sc}
                spec:
                  containers:
                  - name: plain
                    image: %1$s
                    command: [sh, -c, "%2$s"]
                  - name: noescalation
                    image: %1$s
                    command: [sh, -c, "%2$s"]
                    securityContext: {allowPrivilegeEscalation: false}
                  - name: nonroot
                    image: %1$s
                    command: [sh, -c, "%2$s"]
                    securityContext: {runAsNonRoot: true, runAsUser: 1000}
                """.formatted(IMAGE, "echo `grep NoNewPrivs /proc/1/status` uid=`id -u`; exec sleep 1d"));
        kpod.ok("kube", "play", "--network", "none", f.toString());
        String[] logs = {""};
        assertThat(KpodHarness.eventually(10, () -> {
            logs[0] = kpod.ok("logs", "-n", "defaults-sc-plain", "defaults-sc-noescalation", "defaults-sc-nonroot")
                    .out();
            return logs[0].lines().count() == 3;
        })).as("every container reported: %s", (Object) logs).isTrue();
        assertThat(logs[0].lines().sorted().toList()).containsExactly(
                "defaults-sc-noescalation NoNewPrivs: 1 uid=0",
                "defaults-sc-nonroot NoNewPrivs: 0 uid=1000",
                "defaults-sc-plain NoNewPrivs: 0 uid=0");
    }
}
