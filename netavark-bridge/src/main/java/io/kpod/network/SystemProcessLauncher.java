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
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin);
            } catch (IOException e) {
                // the child exited without reading everything; its exit code tells the story
            }
        });
        byte[] out = readAll(p.getInputStream());
        try {
            int rc = p.waitFor();
            in.get();
            return new ProcessResult(rc, out, err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + argv.get(0), e);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + argv.get(0), e.getCause());
        }
    }

    private static byte[] readAll(InputStream s) {
        try (s) {
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
