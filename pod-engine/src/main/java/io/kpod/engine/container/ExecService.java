package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.oci.OciSpecBuilder;
import io.kpod.engine.runtime.OciRuntime;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.KpodException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code kpod exec}: a new process in a running container through {@code runc exec}, which
 * takes the container's own process spec as its base (env, capabilities, seccomp). The exit
 * code passes through; a command that cannot be found or run gives Podman's 127 or 126.
 */
public final class ExecService {
    private final EngineContext ctx;
    private final ContainerService containers;

    /** What to run and how. */
    public record ExecRequest(List<String> command, Map<String, String> env, String user, String workdir,
                              boolean interactive, boolean tty, boolean privileged) {
    }

    /** The captured result of a non-interactive exec (used by health checks). */
    public record Captured(int exitCode, String output) {
    }

    public ExecService(EngineContext ctx, ContainerService containers) {
        this.ctx = ctx;
        this.containers = containers;
    }

    List<String> argv(ContainerRecord rec, ExecRequest req) {
        List<String> a = ctx.runtime().argv("exec");
        for (Map.Entry<String, String> e : req.env().entrySet()) {
            a.add("--env");
            a.add(e.getKey() + "=" + e.getValue());
        }
        if (req.workdir() != null && !req.workdir().isEmpty()) {
            a.add("--cwd");
            a.add(req.workdir());
        }
        if (req.user() != null && !req.user().isEmpty()) {
            OciSpecBuilder.User u = UserResolver.resolve(RootfsDir.of(rec.spec())
                    .filter(d -> !d.overlay()).map(RootfsDir.Source::dir).orElse(ctx.paths().rootfsMount(rec.id())),
                    req.user());
            a.add("--user");
            a.add(u.uid() + ":" + u.gid());
            for (int g : u.additionalGids()) {
                a.add("--additional-gids");
                a.add(Integer.toString(g));
            }
        }
        a.add(rec.id());
        a.addAll(req.command());
        return a;
    }

    private ContainerRecord running(String ref) {
        ContainerRow row = containers.lookup(ref);
        if (row.state().status() != io.kpod.engine.state.ContainerStatus.RUNNING) {
            throw KpodException.conflict("can only create exec sessions on running containers: container state improper");
        }
        return row.record();
    }

    /** Runs the command with this process's stdio; returns the command's exit code. */
    public int execAttached(String ref, ExecRequest req, InputStream in, OutputStream out, OutputStream err) {
        ContainerRecord rec = running(ref);
        if (req.command().isEmpty()) {
            throw KpodException.invalid("exec requires the name or ID of a container and a command to run");
        }
        if (req.tty()) {
            // runc makes the container's pty and copies it to a terminal we give it
            io.kpod.engine.runtime.attach.ExecTty.Result r = io.kpod.engine.runtime.attach.ExecTty.run(argv(rec, req),
                    OciRuntime.cleanEnv(), io.kpod.engine.runtime.attach.TerminalProxy.console(req.interactive()), err);
            return mapExit(r.exitCode(), r.stderr());
        }
        ProcessBuilder pb = new ProcessBuilder(argv(rec, req));
        pb.environment().clear();
        pb.environment().putAll(OciRuntime.cleanEnv());
        pb.redirectInput(req.interactive() ? ProcessBuilder.Redirect.INHERIT
                : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (out == System.out) {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        try {
            Process p = pb.start();
            Thread o = out == System.out ? null : pump(p.getInputStream(), out, null);
            ByteArrayOutputStream sniff = new ByteArrayOutputStream();
            Thread e = pump(p.getErrorStream(), err, sniff);
            int code = p.waitFor();
            if (o != null) {
                o.join();
            }
            e.join();
            return mapExit(code, sniff.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw KpodException.runtime("cannot run " + ctx.runtime().binary() + " exec: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted");
        }
    }

    /** Runs the command with output captured, killing it after {@code timeoutMillis}. */
    public Captured execCaptured(String ref, List<String> command, long timeoutMillis) {
        ContainerRecord rec = running(ref);
        ProcessBuilder pb = new ProcessBuilder(argv(rec, new ExecRequest(command, Map.of(), null, null,
                false, false, false)));
        pb.environment().clear();
        pb.environment().putAll(OciRuntime.cleanEnv());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Thread t = pump(p.getInputStream(), buf, null);
            if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                t.join(1000);
                return new Captured(-1, "health check timed out");
            }
            t.join();
            String output = buf.toString(StandardCharsets.UTF_8);
            return new Captured(mapExit(p.exitValue(), output), output);
        } catch (IOException e) {
            throw KpodException.runtime("cannot run " + ctx.runtime().binary() + " exec: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted");
        }
    }

    /** runc exits 255 when it could not start the process; its message says why. */
    static int mapExit(int code, String stderr) {
        if (code == 255 && stderr.contains("exec failed")) {
            if (stderr.contains("executable file not found") || stderr.contains("no such file or directory")) {
                return 127;
            }
            if (stderr.contains("permission denied")) {
                return 126;
            }
        }
        return code;
    }

    private static Thread pump(InputStream in, OutputStream out, ByteArrayOutputStream copy) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            int n;
            try (in) {
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    if (copy != null && copy.size() < 65536) {
                        copy.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process closed its end; nothing more to copy
            }
        }, "exec-pump");
        t.start();
        return t;
    }

    List<String> healthArgv(ContainerRecord rec) {
        return new ArrayList<>(rec.spec().healthCheck().argv());
    }
}
