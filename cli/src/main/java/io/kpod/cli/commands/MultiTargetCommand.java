package io.kpod.cli.commands;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Commands that act on several containers (start, stop, kill, rm…): each target is tried,
 * errors are printed as they come, and the exit code says whether all went well.
 */
abstract class MultiTargetCommand extends BaseCommand {
    /** Acts on one target and returns what to print for it, or null for nothing. */
    protected abstract String act(String target);

    /** Podman's rm returns 1 when a target does not exist and 2 when one is running. */
    protected int codeFor(KpodException e) {
        return 125;
    }

    /**
     * Whether the targets may be acted on all at once: independent objects whose stops mostly
     * wait (stop, rm, kill of containers and pods), as Podman does. Lines are still printed in
     * the order the targets were given.
     */
    protected boolean parallel() {
        return false;
    }

    protected int forEach(List<String> targets) {
        if (!parallel() || targets.size() < 2) {
            int code = 0;
            for (String t : targets) {
                code = report(() -> act(t), code);
            }
            return code;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(targets.size(), MAX_PARALLEL), r -> {
            Thread th = new Thread(r, "kpod-target-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            for (String t : targets) {
                results.add(pool.submit(() -> act(t)));
            }
            int code = 0;
            for (Future<String> f : results) {
                code = report(() -> {
                    try {
                        return f.get();
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IllegalStateException(e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw KpodException.runtime("interrupted");
                    }
                }, code);
            }
            return code;
        } finally {
            pool.shutdown();
        }
    }

    private static final int MAX_PARALLEL = 64;

    /** Prints what one target gave (its line, or its error) and returns the exit code so far. */
    private int report(Supplier<String> outcome, int code) {
        try {
            String line = outcome.get();
            if (line != null) {
                out().println(line);
                out().flush();
            }
            return code;
        } catch (KpodException e) {
            err().println("Error: " + e.getMessage());
            err().flush();
            int c = codeFor(e);
            return code == 0 ? c : Math.max(code, c);
        }
    }

    static boolean notFound(KpodException e) {
        return e.kind() == ErrorKind.NOT_FOUND;
    }
}
