package io.kpod.engine.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compares kernel releases such as {@code 6.18.0-1-amd64} by major and minor number. */
final class KernelVersion {
    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    private KernelVersion() {
    }

    /** Whether {@code release} is at least {@code minimum} ("5.8"); an unreadable release counts as old. */
    static boolean atLeast(String release, String minimum) {
        int[] have = parse(release);
        int[] want = parse(minimum);
        if (want == null) {
            throw io.kpod.spec.KpodException.invalid("invalid minKernel \"" + minimum + "\"");
        }
        if (have == null) {
            return false;
        }
        return have[0] != want[0] ? have[0] > want[0] : have[1] >= want[1];
    }

    private static int[] parse(String v) {
        if (v == null) {
            return null;
        }
        Matcher m = MAJOR_MINOR.matcher(v.trim());
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }
}
