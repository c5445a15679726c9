package io.kpod.engine.image;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How often a failed pull is tried again ({@code --retry}, {@code --retry-delay}), as Podman
 * does: 3 more attempts by default, waiting 1s, 2s, 4s… unless a fixed delay is given. Only
 * failures that may pass are retried (network errors, registry 5xx); a missing image, refused
 * credentials or a TLS error fail at once.
 *
 * @param attempts how many times to try again after the first failure (0: never)
 * @param delay    a fixed wait between attempts; empty = exponential from one second
 */
public record PullRetry(int attempts, Optional<Duration> delay) {
    public static final PullRetry DEFAULT = new PullRetry(3, Optional.empty());

    public PullRetry {
        if (attempts < 0) {
            throw KpodException.invalid("--retry must not be negative: " + attempts);
        }
        if (delay.isPresent() && delay.get().isNegative()) {
            throw KpodException.invalid("--retry-delay must not be negative: " + delay.get());
        }
    }

    /** The wait before retry number {@code retry} (1-based). */
    public Duration delayBefore(int retry) {
        return delay.orElse(Duration.ofSeconds(1L << Math.min(retry - 1, 30)));
    }

    /** Whether {@code e} is worth another attempt. */
    public static boolean retryable(KpodException e) {
        String m = String.valueOf(e.getMessage());
        return e.kind() == ErrorKind.RUNTIME && !m.contains("TLS verification failed")
                && !m.contains("HTTP response to an HTTPS client") && !m.contains("no such host")
                && !m.endsWith("interrupted");
    }

    /** Runs {@code pull}, again after each retryable failure, saying so on {@code warn} (may be null). */
    public <T> T run(Supplier<T> pull, PrintStream warn) {
        for (int retry = 1; ; retry++) {
            try {
                return pull.get();
            } catch (KpodException e) {
                if (retry > attempts || !retryable(e)) {
                    throw e;
                }
                Duration d = delayBefore(retry);
                if (warn != null) {
                    warn.println("Warning: failed, retrying in " + format(d) + " ... (" + retry + "/" + attempts
                            + "). Error: " + e.getMessage());
                    warn.flush();
                }
                try {
                    Thread.sleep(d.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A Go duration as {@code --retry-delay} takes it: {@code 10s}, {@code 1m30s}, {@code 500ms}, {@code 2h}. */
    public static Duration parseDelay(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)").matcher(s);
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end == 0 || end != s.length()) {
            throw KpodException.invalid("time: invalid duration \"" + text + "\"");
        }
        return Duration.ofNanos((long) nanos);
    }
}
