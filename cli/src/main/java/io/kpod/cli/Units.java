package io.kpod.cli;

import io.kpod.spec.KpodException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the unit-bearing values Podman's flags take: sizes (64m, 1g) and Go durations (1m30s, 500ms). */
public final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b?)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Units() {
    }

    /** "64m", "1g", "512k", "1024", "2GiB" → bytes, with binary multiples as Podman's units.RAMInBytes. */
    public static long bytes(String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw KpodException.invalid("invalid size: '" + value + "'");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> 1;
        };
        return (long) (n * mult);
    }

    /** Go's time.ParseDuration for the units people use: "30s", "1m30s", "500ms", "2h". */
    public static Duration duration(String value) {
        String v = value.trim();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(v);
        int pos = 0;
        double nanos = 0;
        while (m.find()) {
            if (m.start() != pos) {
                throw KpodException.invalid("invalid duration \"" + value + "\"");
            }
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            pos = m.end();
        }
        if (pos != v.length() || pos == 0) {
            throw KpodException.invalid("invalid duration \"" + value + "\": use a Go duration such as 30s or 1m30s");
        }
        return Duration.ofNanos((long) nanos);
    }
}
