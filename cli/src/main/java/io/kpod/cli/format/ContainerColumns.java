package io.kpod.cli.format;

import java.time.Instant;
import java.util.List;

/** The computed columns of {@code podman ps}: ID, COMMAND, STATUS and SIZE, worded as Podman words them. */
public final class ContainerColumns {
    private ContainerColumns() {
    }

    /** Twelve characters unless {@code --no-trunc}. */
    public static String shortId(String id, boolean noTrunc) {
        return noTrunc || id.length() <= 12 ? id : id.substring(0, 12);
    }

    /** The argv joined by spaces; over 17 characters it is cut to 17 and "..." appended unless {@code --no-trunc}. */
    public static String command(List<String> argv, boolean noTrunc) {
        String c = String.join(" ", argv);
        if (!noTrunc && c.codePointCount(0, c.length()) > 17) {
            return c.substring(0, c.offsetByCodePoints(0, 17)) + "...";
        }
        return c;
    }

    /**
     * The STATUS column: "Up 5 seconds" while running, "Exited (0) 3 seconds ago" once exited or stopped,
     * otherwise the state title-cased ("Created", "Paused"); a health status is appended in parentheses.
     * Times count in whole seconds, as Podman keeps them as Unix seconds.
     */
    public static String status(String state, Instant startedAt, Instant exitedAt, int exitCode, String health,
                                Instant now) {
        String s = switch (state) {
            case "running" -> "Up " + HumanUnits.duration(java.time.Duration.ofSeconds(
                    now.getEpochSecond() - startedAt.getEpochSecond()).plusNanos(now.getNano()));
            case "exited", "stopped" -> "Exited (" + exitCode + ") " + HumanUnits.duration(java.time.Duration
                    .ofSeconds(now.getEpochSecond() - exitedAt.getEpochSecond()).plusNanos(now.getNano())) + " ago";
            default -> GoStrings.title(state);
        };
        return health == null || health.isEmpty() ? s : s + " (" + health + ")";
    }

    /** The CREATED column: "About a minute ago". */
    public static String created(Instant created, Instant now) {
        return HumanUnits.ago(created, now);
    }

    /** The SIZE column of {@code ps --size}: "12.3kB (virtual 5.8MB)". */
    public static String size(long rwSize, long rootFsSize) {
        return HumanUnits.size(rwSize, 3) + " (virtual " + HumanUnits.size(rootFsSize, 3) + ")";
    }
}
