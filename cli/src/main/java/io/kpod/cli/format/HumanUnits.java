package io.kpod.cli.format;

import java.time.Duration;
import java.time.Instant;

/** docker/go-units as Podman prints with it: HumanDuration and HumanSize(WithPrecision). */
public final class HumanUnits {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private HumanUnits() {
    }

    /** units.HumanDuration: "Less than a second", "1 second", "About a minute", "3 hours", "2 weeks", … */
    public static String duration(Duration d) {
        double secs = d.getSeconds() + d.getNano() / 1e9;
        long seconds = (long) secs;
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = (long) (secs / 60);
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = (long) (secs / 3600 + 0.5);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return (long) (secs / 3600) / 24 / 365 + " years";
    }

    /** HumanDuration(now - then) + " ago", the CREATED column of ps, images, pod ps. */
    public static String ago(Instant then, Instant now) {
        return duration(Duration.between(then, now)) + " ago";
    }

    /** units.HumanSizeWithPrecision: decimal units, Go's %.*g, no space ("4.33MB", "1e+03kB"). */
    public static String size(double bytes, int precision) {
        double s = bytes;
        int i = 0;
        while (s >= 1000.0 && i < DECIMAL.length - 1) {
            s /= 1000.0;
            i++;
        }
        return GoNumbers.format(s, 'g', precision) + DECIMAL[i];
    }

    /** units.HumanSize: precision 4 ("2.746MB"). */
    public static String size(double bytes) {
        return size(bytes, 4);
    }

    /** The SIZE column of {@code podman images}: precision 3 with a space before the unit ("4.33 MB"). */
    public static String imageSize(long bytes) {
        String s = size(bytes, 3);
        int j = s.length() - 1;
        while (j >= 0 && !Character.isDigit(s.charAt(j))) {
            j--;
        }
        return s.substring(0, j + 1) + " " + s.substring(j + 1);
    }
}
