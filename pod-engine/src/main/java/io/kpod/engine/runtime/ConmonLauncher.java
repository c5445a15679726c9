package io.kpod.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts conmon the way a daemonless engine must: conmon double-forks, becomes the
 * container's parent, runs {@code runc create}, and reports the container pid (or runc's
 * error) on a sync pipe at fd 3. Java cannot hand a child fd 3, so the pipe is a FIFO that a
 * tiny {@code exec 3>fifo} shell prologue opens; we hold it O_RDWR so opening never blocks.
 */
public final class ConmonLauncher {
    private static final long SYNC_TIMEOUT_MS = 60_000;

    /** Everything conmon needs for one container. */
    public record Request(
            String containerId,
            String name,
            Path bundle,
            Path pidFile,
            Path conmonPidFile,
            Path exitDir,
            Path logPath,
            String logDriver,
            boolean stdin,
            boolean terminal,
            List<String> exitCommand,
            List<String> extraArgs) {
    }

    private final String conmon;
    private final OciRuntime runtime;

    public ConmonLauncher(String conmon, OciRuntime runtime) {
        this.conmon = conmon;
        this.runtime = runtime;
    }

    /** conmon's argv for a container create (pure, for tests). */
    public List<String> argv(Request r) {
        List<String> a = new ArrayList<>(List.of(conmon, "--api-version", "1",
                "-c", r.containerId(), "-u", r.containerId(), "-n", r.name(),
                "-r", runtime.binary(), "-b", r.bundle().toString(),
                "-p", r.pidFile().toString(), "--conmon-pidfile", r.conmonPidFile().toString(),
                "--exit-dir", r.exitDir().toString(), "--full-attach",
                "-l", logSpec(r), "--log-level", "warning",
                "--runtime-arg", "--root=" + runtime.stateRoot(),
                "--runtime-arg", "--log-format=json",
                "--runtime-arg", "--log=" + r.bundle().resolve("oci-log")));
        if (r.stdin()) {
            a.add("-i");
        }
        if (r.terminal()) {
            a.add("-t");
        }
        if (!r.exitCommand().isEmpty()) {
            a.add("--exit-command");
            a.add(r.exitCommand().get(0));
            for (String arg : r.exitCommand().subList(1, r.exitCommand().size())) {
                a.add("--exit-command-arg");
                a.add(arg);
            }
        }
        a.addAll(r.extraArgs());
        return a;
    }

    private static String logSpec(Request r) {
        String driver = r.logDriver() == null || r.logDriver().isEmpty() ? "k8s-file" : r.logDriver();
        return switch (driver) {
            case "none" -> "none:";
            case "passthrough" -> "passthrough:";
            default -> "k8s-file:" + r.logPath();
        };
    }

    /**
     * Launches conmon and waits for {@code runc create} to finish. Returns the container's
     * pid; throws a RUNTIME error carrying runc's own message when the create failed.
     */
    public int create(Request r) {
        Path fifo = r.bundle().resolve("sync.fifo");
        Path conmonErr = r.bundle().resolve("conmon.err");
        try {
            Files.deleteIfExists(fifo);
            io.kpod.engine.sys.Libc.mknod(fifo, io.kpod.engine.sys.Libc.S_IFIFO | 0600, 0, 0);
            try (RandomAccessFile sync = new RandomAccessFile(fifo.toFile(), "rw")) {
                List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$0\" \"$@\" 3>\"$SYNC_FIFO\""));
                argv.addAll(argv(r));
                ProcessBuilder pb = new ProcessBuilder(argv);
                pb.environment().clear();
                pb.environment().putAll(Map.of(
                        "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                        "_OCI_SYNCPIPE", "3", "SYNC_FIFO", fifo.toString(), "HOME", "/root"));
                pb.directory(new java.io.File("/"));
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                if ("passthrough".equals(r.logDriver())) {
                    // conmon hands its own stdout and stderr to the container: under systemd, the journal
                    pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
                    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
                } else {
                    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    pb.redirectError(conmonErr.toFile());
                }
                Process p = pb.start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw KpodException.runtime("conmon did not detach within 30s");
                }
                if (p.exitValue() != 0) {
                    throw KpodException.runtime("conmon failed: " + (Files.exists(conmonErr)
                            ? OciRuntime.lastLine(Files.readString(conmonErr)) : "exit status " + p.exitValue()));
                }
                // a crash here: conmon runs on its own (and has the FIFO open), its report unread
                io.kpod.spec.CrashPoints.reached();
                String line = readLine(sync);
                JsonNode msg = Json.read(line, JsonNode.class);
                int pid = msg.path("data").asInt(-1);
                if (pid <= 0) {
                    String m = msg.path("message").asText("runtime create failed");
                    throw KpodException.runtime(OciRuntime.lastLine(m));
                }
                return pid;
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot start conmon: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted while starting conmon");
        } finally {
            try {
                Files.deleteIfExists(fifo);
            } catch (IOException ignored) {
                // a stale fifo is replaced by the next start
            }
        }
    }

    /** Reads one line from the sync FIFO; we hold its write end too, so it never sees EOF. */
    private static String readLine(RandomAccessFile sync) throws InterruptedException {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                StringBuilder sb = new StringBuilder();
                int c;
                while ((c = sync.read()) >= 0 && c != '\n') {
                    sb.append((char) c);
                }
                f.complete(new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(e);
            }
        }, "conmon-sync");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(SYNC_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw KpodException.runtime("cannot read conmon's sync pipe: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw KpodException.runtime("conmon did not report the container within " + SYNC_TIMEOUT_MS / 1000 + "s");
        }
    }
}
