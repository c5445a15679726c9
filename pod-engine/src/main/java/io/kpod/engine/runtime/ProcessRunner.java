package io.kpod.engine.runtime;

import io.kpod.spec.KpodException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one seam through which the engine runs helper programs (runc, conmon). Drains stdout
 * and stderr concurrently so a chatty child can never deadlock us.
 */
public interface ProcessRunner {
    /** What a finished program left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(List<String> argv, Map<String, String> env, String stdin, long timeoutMillis);

    /** Runs real processes. */
    ProcessRunner SYSTEM = (argv, env, stdin, timeoutMillis) -> {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        pb.directory(new java.io.File("/"));
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw KpodException.runtime("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        io.kpod.spec.CrashPoints.reached();
        CompletableFuture<String> out = drainAsync(p.getInputStream());
        CompletableFuture<String> err = drainAsync(p.getErrorStream());
        try {
            if (stdin != null) {
                try (var os = p.getOutputStream()) {
                    os.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw KpodException.runtime(argv.get(0) + " did not finish within " + timeoutMillis / 1000 + "s");
            }
            Result r = new Result(p.exitValue(), out.join(), err.join());
            io.kpod.spec.CrashPoints.reached();
            return r;
        } catch (IOException e) {
            throw KpodException.runtime("cannot talk to " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw KpodException.runtime("interrupted while waiting for " + argv.get(0));
        }
    };

    /** A thread of its own per stream: the common pool may have a single worker on small hosts. */
    private static CompletableFuture<String> drainAsync(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(drain(in));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "process-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
