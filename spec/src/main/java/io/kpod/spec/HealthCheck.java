package io.kpod.spec;

import java.time.Duration;
import java.util.List;

/**
 * A health check as {@code --health-cmd} and friends define it. {@code test} follows the
 * image config convention: ["CMD-SHELL", "cmd"] or ["CMD", "arg0", …].
 */
public record HealthCheck(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
    public HealthCheck {
        test = List.copyOf(test);
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
