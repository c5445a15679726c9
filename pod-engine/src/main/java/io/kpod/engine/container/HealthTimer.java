package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.spec.HealthCheck;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a container's health check every interval while it runs, as Podman's systemd timer
 * does, without a daemon: a small detached shell loop started with the container calls
 * {@code kpod healthcheck run ID} each interval and ends when the container's conmon exits.
 * A restarted container gets a new loop with its new conmon.
 */
final class HealthTimer {
    private HealthTimer() {
    }

    static void start(EngineContext ctx, ContainerRecord rec, int conmonPid) {
        loop(ctx, rec, conmonPid, rec.spec().healthCheck(), "");
        loop(ctx, rec, conmonPid, HealthService.readinessCheck(rec), "--readiness ");
    }

    private static void loop(EngineContext ctx, ContainerRecord rec, int conmonPid, HealthCheck hc, String flag) {
        if (hc == null || conmonPid <= 0 || hc.interval() == null || hc.interval().isZero()
                || hc.interval().isNegative() || ctx.settings().selfCommand().isEmpty()) {
            return;
        }
        long interval = Math.max(1, hc.interval().toSeconds());
        // the first check comes one interval after the start, as Podman's timer fires (or after a start period)
        long delay = hc.startPeriod() != null && !hc.startPeriod().isZero()
                ? Math.min(hc.startPeriod().toSeconds(), interval) : interval;
        StringBuilder kpod = new StringBuilder();
        for (String a : ctx.settings().selfCommand()) {
            kpod.append(quote(a)).append(' ');
        }
        kpod.append("healthcheck run ").append(flag).append(rec.id());
        String script = "sleep " + Math.max(1, delay) + "; while kill -0 " + conmonPid + " 2>/dev/null; do "
                + kpod + " >/dev/null 2>&1; sleep " + interval + "; done";
        List<String> argv = new ArrayList<>(List.of("setsid", "-f", "sh", "-c", script));
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            // the crash-test hook is for the command that started the container, not for its timer's checks
            pb.environment().remove("KPOD_CRASH_AT");
            Process p = pb.start();
            p.waitFor();
        } catch (IOException e) {
            // a missing timer is not worth failing the start for: `kpod healthcheck run` still works
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Duration interval(HealthCheck hc) {
        return hc.interval();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
