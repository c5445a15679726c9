package io.kpod.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the pause rootfs for real with runc (root only): a hand-written config.json with a
 * read-only root, the plan's namespaces and the generated hosts file bind-mounted, then pins
 * the uts namespace the way the engine will and checks it outlives the pause process.
 */
@Tag("root")
class PauseRootfsRuncTest {
    private static final Path RUNC = Path.of("/usr/sbin/runc");

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsRootAndRunc() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(Files.isExecutable(RUNC), "needs runc");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/catatonit")), "needs catatonit");
    }

    @Test
    void pauseContainerRunsFromTheReadOnlyRootfsAndItsNamespacePinSurvivesIt() throws Exception {
        String id = "kpod-infratest-" + UUID.randomUUID().toString().substring(0, 8);
        Path runcRoot = tmp.resolve("runc");
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle);
        Path rootfs = PauseRootfs.ensure(tmp.resolve("pause"));
        InfraContainerPlan plan = InfraContainerPlan.of(SandboxRequest.builder(id, "pausetest", tmp.resolve("run")).build());
        EtcFileWriter.writePodFiles(plan, EtcFiles.forPod(plan, "", "nameserver 10.0.0.2\n", false));
        Files.writeString(bundle.resolve("config.json"), config(plan, rootfs, id));
        NamespacePin utsPin = plan.pins().stream().filter(p -> p.type() == Namespace.UTS).findFirst().orElseThrow();
        boolean pinned = false;
        try {
            run(List.of(RUNC.toString(), "--root", runcRoot.toString(), "create", "--bundle", bundle.toString(),
                    "--pid-file", bundle.resolve("pid").toString(), id));
            long pid = Long.parseLong(Files.readString(bundle.resolve("pid")).trim());
            run(List.of(RUNC.toString(), "--root", runcRoot.toString(), "start", id));

            byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            assertThat(new String(cmdline, StandardCharsets.UTF_8)).isEqualTo("/catatonit\0-P\0");
            assertThat(Files.readString(Path.of("/proc/" + pid + "/root/etc/hosts")))
                    .isEqualTo(Files.readString(plan.hostsFile())).contains("127.0.0.1\tpausetest");

            // pin uts as the engine will: bind the infra's ns file onto an empty file
            Files.createDirectories(utsPin.target().getParent());
            Files.createFile(utsPin.target());
            run(List.of("mount", "--bind", utsPin.source(pid).toString(), utsPin.target().toString()));
            pinned = true;

            run(List.of(RUNC.toString(), "--root", runcRoot.toString(), "kill", id, "TERM"));
            waitUntilStopped(runcRoot, id);
            run(List.of(RUNC.toString(), "--root", runcRoot.toString(), "delete", id));
            assertThat(isGoneOrZombie(pid)).as("pause process %d has exited", pid).isTrue();

            assertThat(run(List.of("nsenter", "--uts=" + utsPin.target(), "hostname")).trim()).isEqualTo("pausetest");
        } finally {
            if (pinned) {
                runQuietly(List.of("umount", utsPin.target().toString()));
            }
            runQuietly(List.of(RUNC.toString(), "--root", runcRoot.toString(), "delete", "--force", id));
            for (String c : List.of("pids", "memory", "cpu", "cpuacct", "cpuset", "devices", "freezer", "blkio", "systemd", "unified")) {
                Path leftover = Path.of("/sys/fs/cgroup", c, id);
                if (Files.isDirectory(leftover)) {
                    runQuietly(List.of("rmdir", leftover.toString()));
                }
            }
        }
        assertThat(Path.of("/sys/fs/cgroup/pids", id)).doesNotExist();
    }

    private static String config(InfraContainerPlan plan, Path rootfs, String id) {
        String namespaces = plan.infraNamespaces().stream()
                .map(e -> e.isNew() ? "{\"type\":\"" + e.ociType() + "\"}" : "{\"type\":\"" + e.ociType() + "\",\"path\":\"" + e.path() + "\"}")
                .collect(Collectors.joining(","));
        String args = plan.pauseArgs().stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(","));
        return "{\"ociVersion\":\"1.0.2\","
                + "\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},\"args\":[" + args + "],"
                + "\"env\":[\"PATH=/\"],\"cwd\":\"/\",\"noNewPrivileges\":true},"
                + "\"root\":{\"path\":\"" + rootfs + "\",\"readonly\":true},"
                + "\"hostname\":\"" + plan.hostname() + "\","
                + "\"mounts\":["
                + "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\",\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                + "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
                + "{\"destination\":\"/etc/hostname\",\"type\":\"bind\",\"source\":\"" + plan.hostnameFile() + "\",\"options\":[\"bind\",\"rprivate\"]},"
                + "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"" + plan.hostsFile() + "\",\"options\":[\"bind\",\"rprivate\"]},"
                + "{\"destination\":\"/etc/resolv.conf\",\"type\":\"bind\",\"source\":\"" + plan.resolvConfFile() + "\",\"options\":[\"bind\",\"rprivate\"]}"
                + "],"
                + "\"linux\":{\"cgroupsPath\":\"/" + id + "\",\"namespaces\":[" + namespaces + "]}}";
    }

    private static void waitUntilStopped(Path runcRoot, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String state = run(List.of(RUNC.toString(), "--root", runcRoot.toString(), "state", id));
            if (state.contains("\"status\": \"stopped\"")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("catatonit did not stop on SIGTERM within 5 s");
    }

    /** PID 1 on this host reaps orphans lazily, so an exited process may linger as a zombie. */
    private static boolean isGoneOrZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /** Runs a command with stdin from /dev/null; stdout to a file so the container's fds never hold a pipe. */
    private static String run(List<String> argv) throws IOException, InterruptedException {
        File out = File.createTempFile("kpod-test", ".out");
        File err = File.createTempFile("kpod-test", ".err");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(argv))
                    .redirectInput(new File("/dev/null")).redirectOutput(out).redirectError(err).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(argv + " failed with " + p.exitValue() + ": " + Files.readString(err.toPath()));
            }
            return Files.readString(out.toPath());
        } finally {
            out.delete();
            err.delete();
        }
    }

    private static void runQuietly(List<String> argv) {
        try {
            new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            // cleanup is best effort; the assertion after it reports leaks
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
