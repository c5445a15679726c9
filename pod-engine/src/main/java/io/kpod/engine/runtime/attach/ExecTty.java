package io.kpod.engine.runtime.attach;

import io.kpod.spec.KpodException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code runc exec --tty} in the foreground. runc 1.1 refuses {@code --console-socket}
 * unless it also detaches ({@code -d}), which loses the exit code; in the foreground it makes
 * the container's pty itself and proxies it to its own stdio, provided one of them is a
 * terminal. So we give runc a terminal: a pty pair of ours, raw, whose slave is runc's
 * stdin/stdout and whose master {@link TerminalProxy} serves. runc's stderr stays a pipe (its
 * error messages), and runc's exit status is the process's exit code.
 */
public final class ExecTty {
    /** SIGWINCH: runc re-reads its terminal's size on it and resizes the container's pty. */
    private static final int SIGWINCH = 28;

    /** runc's exit code (the process's, or 255 when runc failed) and what runc printed on stderr. */
    public record Result(int exitCode, String stderr) {
    }

    private ExecTty() {
    }

    /**
     * Inserts {@code --tty} right after the {@code exec} subcommand of a runc argv such as
     * {@code runc --root=R exec [opts] <id> cmd…}. Pure.
     */
    public static List<String> withTty(List<String> runcExecArgv) {
        int exec = runcExecArgv.indexOf("exec");
        if (exec < 1) {
            throw KpodException.invalid("not a runc exec command line: " + runcExecArgv);
        }
        List<String> a = new ArrayList<>(runcExecArgv.subList(0, exec + 1));
        a.add("--tty");
        a.addAll(runcExecArgv.subList(exec + 1, runcExecArgv.size()));
        return a;
    }

    /**
     * Runs {@code runcExecArgv} (without {@code --tty}; it is added) with a terminal proxied
     * through {@code proxy}. runc's stderr is copied to {@code errOrNull} as it comes and
     * returned. Blocks until runc exits.
     */
    public static Result run(List<String> runcExecArgv, Map<String, String> env, TerminalProxy proxy,
                             OutputStream errOrNull) {
        int master = -1;
        int slave = -1;
        try {
            master = PosixIo.openPtyMaster();
            Path slavePath = PosixIo.ptsName(master);
            // held until runc is gone: a master whose slave was never opened reads EIO at once
            slave = PosixIo.open(slavePath, PosixIo.O_RDWR | PosixIo.O_NOCTTY);
            // raw, so our pty neither echoes nor rewrites; the container's own pty does that
            PosixIo.makeRaw(slave);
            PosixIo.WinSize size = proxy.initialSize();
            if (size != null) {
                PosixIo.setWindowSize(master, size);
            }
            ProcessBuilder pb = new ProcessBuilder(withTty(runcExecArgv));
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.directory(new java.io.File("/"));
            pb.redirectInput(ProcessBuilder.Redirect.from(slavePath.toFile()));
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(slavePath.toFile()));
            Process p = pb.start();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Thread errPump = copy(p.getErrorStream(), errOrNull, stderr);
            // if we are killed, runc gets SIGTERM, which it forwards to the exec'd process
            Thread forward = new Thread(p::destroy, "kpod-exec-forward-term");
            Runtime.getRuntime().addShutdownHook(forward);
            try {
                int owned = master;
                master = -1;
                proxy.run(owned, () -> !p.isAlive(), () -> signal(p, SIGWINCH));
                int code = p.waitFor();
                errPump.join();
                synchronized (stderr) {
                    return new Result(code, stderr.toString(StandardCharsets.UTF_8));
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(forward);
                } catch (IllegalStateException alreadyExiting) {
                    // the hook is running; it only signals runc
                }
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot run " + runcExecArgv.get(0) + " exec with a terminal: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted");
        } finally {
            PosixIo.close(slave);
            PosixIo.close(master);
        }
    }

    private static void signal(Process p, int sig) {
        try {
            if (p.isAlive()) {
                io.kpod.engine.sys.Libc.kill((int) p.pid(), sig);
            }
        } catch (IOException ignored) {
            // runc just exited; there is nothing left to resize
        }
    }

    private static Thread copy(InputStream in, OutputStream out, ByteArrayOutputStream keep) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            int n;
            try (in) {
                while ((n = in.read(buf)) > 0) {
                    if (out != null) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                    synchronized (keep) {
                        if (keep.size() < 65536) {
                            keep.write(buf, 0, n);
                        }
                    }
                }
            } catch (IOException ignored) {
                // runc closed its stderr
            }
        }, "runc-exec-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
