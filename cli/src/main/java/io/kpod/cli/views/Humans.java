package io.kpod.cli.views;

import io.kpod.cli.format.ContainerColumns;
import io.kpod.cli.format.HumanUnits;
import io.kpod.engine.state.ContainerState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The human columns of listings, from stored RFC 3339 times. */
final class Humans {
    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.nnnnnnnnn Z 'UTC'").withZone(ZoneOffset.UTC);

    private Humans() {
    }

    static String status(ContainerState s) {
        Instant now = Instant.now();
        String st = ContainerColumns.status(s.status().text(), time(s.startedAt(), now), time(s.finishedAt(), now),
                s.exitCode(), s.health() == null ? null : s.health().status(), now);
        if (s.readiness() != null && s.status().isActive()) {
            st += s.ready() ? " (ready)" : " (not ready)";
        }
        return st;
    }

    static String ago(String rfc3339) {
        return HumanUnits.ago(time(rfc3339, Instant.now()), Instant.now());
    }

    /** Go's time.Time String(), as Podman prints CreatedAt. */
    static String createdAt(String rfc3339) {
        return GO_TIME.format(time(rfc3339, Instant.now()));
    }

    static String command(List<String> argv, boolean noTrunc) {
        return ContainerColumns.command(argv, noTrunc);
    }

    static String labels(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    private static Instant time(String rfc3339, Instant dflt) {
        if (rfc3339 == null) {
            return dflt;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant();
        } catch (RuntimeException e) {
            return dflt;
        }
    }
}
