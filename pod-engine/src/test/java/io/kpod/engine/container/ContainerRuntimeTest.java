package io.kpod.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.engine.EngineContext;
import io.kpod.engine.EnginePaths;
import io.kpod.engine.EngineSettings;
import io.kpod.engine.ImageSource;
import io.kpod.engine.oci.Capabilities;
import io.kpod.engine.runtime.ProcessRunner;
import io.kpod.engine.secret.SecretService;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.volume.VolumeService;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.NoSuchObjectException;
import io.kpod.spec.ProcessSpec;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container life cycle against the real runc and conmon (root): a busybox rootfs dir
 * stands in for an image layer, and the exit callback is /bin/true because the CLI that
 * would handle it is tested end to end in the e2e module.
 */
class ContainerRuntimeTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ALWAYS)
    Path dir;

    private EngineContext ctx;
    private ContainerService containers;

    @BeforeEach
    void setUp() throws Exception {
        Path layer = Files.createDirectories(dir.resolve("layer"));
        Files.createDirectories(layer.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), layer.resolve("bin/busybox"));
        for (String applet : List.of("sh", "sleep", "echo", "cat", "hostname", "id", "true")) {
            Files.createSymbolicLink(layer.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        for (String d : List.of("proc", "sys", "dev", "etc", "tmp")) {
            Files.createDirectories(layer.resolve(d));
        }
        Files.writeString(layer.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n");
        ImageSource images = new ImageSource() {
            @Override
            public ResolvedImage resolve(String reference) {
                if (!reference.equals("test")) {
                    throw new NoSuchObjectException("image", reference);
                }
                return new ResolvedImage("a".repeat(64), "localhost/test:latest", List.of(layer),
                        new ImageDefaults(List.of("PATH=/bin"), null, List.of("sh"), null, null, List.of(), null, Map.of(), List.of()));
            }

            @Override
            public boolean exists(String imageId) {
                return true;
            }

            @Override
            public List<Path> layerDirs(String imageId) {
                return List.of(layer);
            }
        };
        String runc = Files.exists(Path.of("/usr/sbin/runc")) ? "/usr/sbin/runc" : "/usr/bin/runc";
        EngineSettings settings = new EngineSettings(runc, "/usr/bin/conmon", "/usr/bin/catatonit",
                Capabilities.DEFAULT, 2048, 10, 64L << 20, "k8s-file",
                List.of(new io.kpod.spec.ResourceSpec.Ulimit("nofile", 1024, 1024)), Map.of(), Map.of("TERM", "xterm"), (caps, p) -> null,
                List.of("/bin/true"));
        ctx = new EngineContext(new EnginePaths(dir.resolve("root"), dir.resolve("run"), dir.resolve("net")),
                settings, images, ProcessRunner.SYSTEM);
        VolumeService volumes = new VolumeService(ctx);
        containers = new ContainerService(ctx, volumes, new SecretService(ctx),
                new io.kpod.engine.network.NetworkService(ctx));
    }

    @AfterEach
    void tearDown() {
        for (var row : containers.list()) {
            containers.remove(row.record().id(), true, true, 0);
        }
        ctx.close();
    }

    private static ContainerSpec spec(String name, String... cmd) {
        return new ContainerSpec(name, "test", new ProcessSpec(null, List.of(cmd), Map.of("GREETING", "hi"), null,
                null, false, false), null, null, null, null, "box1", "private", null, null, null, null, null, false, false,
                null, null, null, null);
    }

    @Test
    void createStartExecStopRemove() {
        ContainerRecord rec = containers.create(spec("c1", "sleep", "300"));
        assertThat(containers.lookup("c1").state().status()).isEqualTo(ContainerStatus.CREATED);
        containers.start("c1");
        var row = containers.lookup("c1");
        assertThat(row.state().status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(Path.of("/proc", Integer.toString(row.state().pid()))).exists();
        ExecService exec = new ExecService(ctx, containers);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = exec.execAttached("c1", new ExecService.ExecRequest(List.of("sh", "-c", "echo $GREETING $(hostname)"),
                Map.of(), null, null, false, false, false), System.in, out, System.err);
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("hi box1\n");
        assertThat(exec.execCaptured("c1", List.of("sh", "-c", "exit 5"), 10_000).exitCode()).isEqualTo(5);
        containers.stop("c1", 0);
        var stopped = containers.lookup("c1").state();
        assertThat(stopped.status()).isEqualTo(ContainerStatus.EXITED);
        assertThat(stopped.exitCode()).isEqualTo(137);
        assertThat(stopped.cleanedUp()).isTrue();
        containers.remove("c1", false, true, null);
        assertThat(Files.exists(ctx.paths().containerDir(rec.id()))).isFalse();
        assertThatThrownBy(() -> containers.lookup("c1")).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void exitCodeAndLogsOfAShortContainer() throws Exception {
        ContainerRecord rec = containers.create(spec("c2", "sh", "-c", "echo out; echo err >&2; exit 3"));
        containers.start("c2");
        assertThat(containers.waitFor("c2", 20)).isEqualTo(3);
        String log = Files.readString(containers.logPath(rec));
        assertThat(log).contains(" stdout F out").contains(" stderr F err");
        containers.cleanup(rec.id());
        assertThat(containers.lookup("c2").state().cleanedUp()).isTrue();
    }

    @Test
    void missingCommandIsNotFoundAndLeavesNothingRunning() {
        containers.create(spec("c3", "no-such-binary"));
        assertThatThrownBy(() -> containers.start("c3")).isInstanceOf(KpodException.class)
                .satisfies(e -> assertThat(((KpodException) e).kind()).isEqualTo(ErrorKind.COMMAND_NOT_FOUND));
        var st = containers.lookup("c3").state();
        assertThat(st.status()).isEqualTo(ContainerStatus.CREATED);
        assertThat(ctx.runtime().state(containers.lookup("c3").record().id())).isEmpty();
    }

    @Test
    void runningContainerNeedsForceToBeRemoved() {
        containers.create(spec("c4", "sleep", "300"));
        containers.start("c4");
        assertThatThrownBy(() -> containers.remove("c4", false, false, null))
                .hasMessageContaining("cannot remove container");
        containers.remove("c4", true, false, 0);
        assertThat(containers.list()).isEmpty();
    }
}
