package io.kpod.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Starts the process, feeds stdin and reads stdout and stderr concurrently, so a child that
 * fills one pipe while we wait on the other can never deadlock.
 */
final class SystemProcessLauncher implements ProcessLauncher {
    @Override
    public ProcessResult run(List<String> argv, byte[] stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        // netavark finds iptables through PATH; a bare environment may lack the sbin dirs.
        String path = env.getOrDefault("PATH", "");
        env.put("PATH", path + (path.isEmpty() ? "" : ":") + "/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin");
        Process p = pb.start();
        io.kpod.spec.CrashPoints.reached();
        // own threads, not the common pool: on a 2-core host it has one worker, and a stderr
        // reader holding it would keep the stdin writer from ever running (netavark then waits forever)
        CompletableFuture<byte[]> err = new CompletableFuture<>();
        CompletableFuture<Void> in = new CompletableFuture<>();
        start(() -> err.complete(readAll(p.getErrorStream())), err);
        start(() -> {
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin);
            } catch (IOException e) {
                // the child exited without reading everything; its exit code tells the story
            }
            in.complete(null);
        }, in);
        byte[] out = readAll(p.getInputStream());
        try {
            int rc = p.waitFor();
            in.get();
            ProcessResult result = new ProcessResult(rc, out, err.get());
            // a crash here: netavark did its work and kpod dies before recording it
            io.kpod.spec.CrashPoints.reached();
            return result;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + argv.get(0), e);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + argv.get(0), e.getCause());
        }
    }

    private static void start(Runnable r, CompletableFuture<?> f) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "netavark-io");
        t.setDaemon(true);
        t.start();
    }

    private static byte[] readAll(InputStream s) {
        try (s) {
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
