package io.kpod.spec;

import java.time.Duration;
import java.util.List;

/**
 * A startup health check ({@code --health-startup-*}): it runs instead of the regular check
 * until it has passed {@code successes} times in a row (1 when 0); after {@code retries}
 * failures (0: never) the container is restarted.
 */
public record StartupCheck(List<String> test, Duration interval, Duration timeout, int retries, int successes) {
    public StartupCheck {
        test = List.copyOf(test);
        if (test.isEmpty()) {
            throw KpodException.invalid("a startup health check needs a command");
        }
        if (retries < 0 || successes < 0) {
            throw KpodException.invalid("startup health check retries and successes must not be negative");
        }
    }

    /** The argv to exec in the container, as {@link HealthCheck#argv()}. */
    public List<String> argv() {
        return new HealthCheck(test, interval, timeout, 0, null).argv();
    }
}
