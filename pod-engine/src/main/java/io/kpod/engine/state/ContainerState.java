package io.kpod.engine.state;

import java.util.ArrayList;
import java.util.List;

/**
 * A container's mutable run-time state, written under the container's lock.
 *
 * @param stoppedByUser set by stop/kill so the restart policy leaves the container down
 * @param cleanedUp true once runc delete and unmount ran after the last exit
 * @param exitCodeKnown false when the container stopped without conmon recording a code
 */
public record ContainerState(
        ContainerStatus status,
        int pid,
        int conmonPid,
        int exitCode,
        boolean exitCodeKnown,
        String startedAt,
        String finishedAt,
        int restartCount,
        boolean stoppedByUser,
        boolean cleanedUp,
        String error,
        Health health,
        Health readiness) {

    /** Health as {@code kpod healthcheck run} last found it. */
    public record Health(String status, int failingStreak, List<HealthLog> log, int startupSuccesses,
                         int startupFailures, boolean startupPassed) {
        public Health {
            log = log == null ? List.of() : List.copyOf(log);
        }

        public Health(String status, int failingStreak, List<HealthLog> log) {
            this(status, failingStreak, log, 0, 0, false);
        }

        public static Health starting() {
            return new Health("starting", 0, List.of());
        }

        /**
         * One more startup check result: {@code needed} passes in a row end the startup phase.
         * The status stays starting; the regular check decides healthy or unhealthy.
         */
        public Health recordStartup(HealthLog entry, int needed, int keep) {
            List<HealthLog> entries = new ArrayList<>(log);
            entries.add(entry);
            while (keep > 0 && entries.size() > keep) {
                entries.remove(0);
            }
            if (entry.exitCode() == 0) {
                int ok = startupSuccesses + 1;
                return new Health(status, failingStreak, entries, ok, 0, ok >= Math.max(1, needed));
            }
            return new Health(status, failingStreak, entries, 0, startupFailures + 1, false);
        }

        /** A new health state with one more result, keeping the last five results as Podman does. */
        public Health record(HealthLog entry, int retries, boolean inStartPeriod) {
            return record(entry, retries, inStartPeriod, 5);
        }

        /** The same, keeping the last {@code keep} results (0: all). */
        public Health record(HealthLog entry, int retries, boolean inStartPeriod, int keep) {
            List<HealthLog> entries = new ArrayList<>(log);
            entries.add(entry);
            while (keep > 0 && entries.size() > keep) {
                entries.remove(0);
            }
            if (entry.exitCode() == 0) {
                return new Health("healthy", 0, entries, startupSuccesses, startupFailures, startupPassed);
            }
            if (inStartPeriod) {
                return new Health(status, failingStreak, entries, startupSuccesses, startupFailures, startupPassed);
            }
            int streak = failingStreak + 1;
            String next = streak >= Math.max(1, retries) ? "unhealthy" : status;
            return new Health(next, streak, entries, startupSuccesses, startupFailures, startupPassed);
        }
    }

    /** One health check run. */
    public record HealthLog(String start, String end, int exitCode, String output) {
    }

    public static ContainerState created() {
        return new ContainerState(ContainerStatus.CREATED, 0, 0, 0, false, null, null, 0, false, true, null, null, null);
    }

    public ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(s, pid, conmonPid, exitCode, exitCodeKnown, startedAt, finishedAt, restartCount,
                stoppedByUser, cleanedUp, error, health, readiness);
    }

    public ContainerState running(int newPid, int newConmonPid, String now, boolean restarted, Health initialHealth) {
        return new ContainerState(ContainerStatus.RUNNING, newPid, newConmonPid, 0, false, now, null,
                restarted ? restartCount + 1 : restartCount, false, false, null, initialHealth,
                readiness == null ? null : Health.starting());
    }

    public ContainerState exited(int code, boolean known, String now) {
        return new ContainerState(ContainerStatus.EXITED, 0, 0, code, known, startedAt, now, restartCount,
                stoppedByUser, cleanedUp, error, health, readiness);
    }

    public ContainerState withStoppedByUser(boolean v) {
        return new ContainerState(status, pid, conmonPid, exitCode, exitCodeKnown, startedAt, finishedAt, restartCount,
                v, cleanedUp, error, health, readiness);
    }

    public ContainerState withCleanedUp(boolean v) {
        return new ContainerState(status, pid, conmonPid, exitCode, exitCodeKnown, startedAt, finishedAt, restartCount,
                stoppedByUser, v, error, health, readiness);
    }

    public ContainerState withHealth(Health h) {
        return new ContainerState(status, pid, conmonPid, exitCode, exitCodeKnown, startedAt, finishedAt, restartCount,
                stoppedByUser, cleanedUp, error, h, readiness);
    }

    /** Readiness (a Kubernetes readinessProbe) as the last check found it: status healthy means ready. */
    public ContainerState withReadiness(Health r) {
        return new ContainerState(status, pid, conmonPid, exitCode, exitCodeKnown, startedAt, finishedAt, restartCount,
                stoppedByUser, cleanedUp, error, health, r);
    }

    /** Whether the container counts as ready: running, and its readiness check (if any) passed last. */
    public boolean ready() {
        return status.isActive() && (readiness == null || readiness.status().equals("healthy"));
    }

    public ContainerState withRestartCount(int n) {
        return new ContainerState(status, pid, conmonPid, exitCode, exitCodeKnown, startedAt, finishedAt, n,
                stoppedByUser, cleanedUp, error, health, readiness);
    }
}
