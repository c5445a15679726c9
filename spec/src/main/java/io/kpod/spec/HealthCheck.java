package io.kpod.spec;

import java.time.Duration;
import java.util.List;

/**
 * A health check as {@code --health-cmd} and friends define it. {@code test} follows the
 * image config convention: ["CMD-SHELL", "cmd"] or ["CMD", "arg0", …].
 *
 * @param onFailure what happens when the container turns unhealthy: none, kill, restart or stop
 * @param maxLogCount results kept (0: all)
 * @param maxLogSize characters of output kept per result (0: all)
 * @param startup the startup check that runs first, or null
 */
public record HealthCheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod,
                          String onFailure, int maxLogCount, int maxLogSize, StartupCheck startup) {
    public static final List<String> ON_FAILURE = List.of("none", "kill", "restart", "stop");

    /** Podman's defaults: no action on failure, the last 5 results of up to 500 characters each. */
    public HealthCheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
        this(test, interval, timeout, retries, startPeriod, null, 5, 500, null);
    }

    /** Without a startup check. */
    public HealthCheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod,
                       String onFailure, int maxLogCount, int maxLogSize) {
        this(test, interval, timeout, retries, startPeriod, onFailure, maxLogCount, maxLogSize, null);
    }

    public HealthCheck {
        test = List.copyOf(test);
        onFailure = onFailure == null || onFailure.isEmpty() ? "none" : onFailure;
        if (!ON_FAILURE.contains(onFailure)) {
            throw KpodException.invalid("invalid health check on-failure action \"" + onFailure
                    + "\": use none, kill, restart or stop");
        }
        if (maxLogCount < 0 || maxLogSize < 0) {
            throw KpodException.invalid("health check log limits must not be negative");
        }
        if (retries < 0) {
            throw KpodException.invalid("healthcheck retries must be at least 0");
        }
    }

    /** The argv to exec in the container. */
    public List<String> argv() {
        if (!test.isEmpty() && test.get(0).equals("CMD-SHELL")) {
            return List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
        }
        if (!test.isEmpty() && test.get(0).equals("CMD")) {
            return test.subList(1, test.size());
        }
        return test;
    }
}
