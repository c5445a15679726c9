package io.kpod.engine.runtime.attach;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.runtime.ConmonLauncher;
import io.kpod.engine.runtime.OciRuntime;
import io.kpod.engine.runtime.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A throwaway busybox container under conmon, created exactly as the engine's ConmonLauncher does. */
final class BusyboxContainer implements AutoCloseable {
    static final String RUNC = "/usr/sbin/runc";
    static final String CONMON = "/usr/bin/conmon";

    final Path top;
    final Path bundle;
    final Path exitDir;
    final String id;
    final OciRuntime runtime;
    final ConmonLauncher.Request request;

    /** {@code nest} adds that many long directory levels above the bundle to test long paths. */
    BusyboxContainer(List<String> args, boolean stdin, boolean terminal, int nest) throws IOException {
        top = Files.createTempDirectory("kpod-attach-test-");
        id = "kpodatt-" + Long.toHexString(System.nanoTime());
        Path base = top;
        for (int i = 0; i < nest; i++) {
            base = base.resolve("a-rather-long-directory-name-to-push-socket-paths-past-sun-path-" + i);
        }
        bundle = base.resolve("bundle");
        exitDir = top.resolve("exits");
        Path bin = bundle.resolve("rootfs/bin");
        Files.createDirectories(bin);
        Files.createDirectories(exitDir);
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String tool : List.of("sh", "cat", "echo", "tty", "stty", "sleep")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("busybox"));
        }
        writeConfig(args, terminal);
        runtime = new OciRuntime(RUNC, top.resolve("runc-root"), ProcessRunner.SYSTEM);
        request = new ConmonLauncher.Request(id, id, bundle, bundle.resolve("pidfile"), bundle.resolve("conmon.pid"),
                exitDir, bundle.resolve("ctr.log"), "k8s-file", stdin, terminal, List.of(), List.of());
    }

    private void writeConfig(List<String> args, boolean terminal) throws IOException {
        ProcessRunner.Result r = ProcessRunner.SYSTEM.run(List.of(RUNC, "spec", "--bundle", bundle.toString()),
                OciRuntime.cleanEnv(), null, 30_000);
        if (!r.ok()) {
            throw new IOException("runc spec failed: " + r.stderr());
        }
        ObjectMapper m = new ObjectMapper();
        Path config = bundle.resolve("config.json");
        ObjectNode root = (ObjectNode) m.readTree(config.toFile());
        ObjectNode process = (ObjectNode) root.get("process");
        process.put("terminal", terminal);
        ArrayNode a = process.putArray("args");
        args.forEach(a::add);
        m.writeValue(config.toFile(), root);
    }

    /** Runs conmon (which runs runc create); returns the container pid. */
    int create() {
        return new ConmonLauncher(CONMON, runtime).create(request);
    }

    void start() {
        runtime.start(id);
    }

    Path attachSocket() {
        return AttachClient.socketPath(bundle);
    }

    /** The exit code conmon recorded, waiting up to 10 s for the file to appear. */
    String exitCode() throws Exception {
        Path f = exitDir.resolve(id);
        for (int i = 0; i < 100 && !Files.exists(f); i++) {
            Thread.sleep(100);
        }
        return Files.readString(f).strip();
    }

    @Override
    public void close() throws Exception {
        try {
            runtime.delete(id, true);
        } finally {
            Path pidFile = request.conmonPidFile();
            if (Files.exists(pidFile)) {
                int pid = Integer.parseInt(Files.readString(pidFile).strip());
                ProcessHandle.of(pid)
                        .filter(h -> h.info().command().map(c -> c.endsWith("conmon")).orElse(false))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
            try (Stream<Path> walk = Files.walk(top)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
