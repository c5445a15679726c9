package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerState;
import io.kpod.engine.state.ObjectLock;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.HealthCheck;
import io.kpod.spec.KpodException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** {@code kpod healthcheck run}: runs a container's health command once and records the result as Podman does. */
public final class HealthService {
    private final EngineContext ctx;
    private final ContainerService containers;
    private final ExecService exec;

    public HealthService(EngineContext ctx, ContainerService containers, ExecService exec) {
        this.ctx = ctx;
        this.containers = containers;
        this.exec = exec;
    }

    /** The annotation holding a readiness check (JSON of a {@link HealthCheck}), as kube play sets it. */
    public static final String READINESS = "io.kpod.readiness";

    /** The container's readiness check, or null. */
    public static HealthCheck readinessCheck(ContainerRecord rec) {
        String json = rec.spec().annotations().get(READINESS);
        if (json == null) {
            return null;
        }
        try {
            return io.kpod.engine.Json.MAPPER.readValue(json, HealthCheck.class);
        } catch (java.io.IOException e) {
            throw KpodException.invalid("annotation " + READINESS + " of " + rec.name() + " is not a health check");
        }
    }

    /** Runs the readiness check once; returns healthy (ready) or unhealthy/starting (not ready). */
    public String runReadiness(String ref) {
        ContainerRow row = containers.lookup(ref);
        HealthCheck hc = readinessCheck(row.record());
        if (hc == null) {
            throw KpodException.invalid("container " + row.record().name() + " has no readiness check");
        }
        return check(row, hc, true);
    }

    /** Returns the new health status: healthy, unhealthy or starting. */
    public String run(String ref) {
        ContainerRow row = containers.lookup(ref);
        HealthCheck hc = row.record().spec().healthCheck();
        if (hc == null) {
            throw KpodException.invalid("container " + row.record().name() + " has no defined healthcheck");
        }
        return check(row, hc, false);
    }

    private String check(ContainerRow row, HealthCheck hc, boolean readiness) {
        ContainerRecord rec = row.record();
        long timeout = hc.timeout() == null ? 30_000 : hc.timeout().toMillis();
        String start = EngineContext.now();
        int exitCode;
        String output;
        if (NetnsProbe.handles(hc.test())) {
            if (!row.state().status().isActive() || row.state().pid() <= 0) {
                throw KpodException.conflict("container " + rec.name() + " is not running");
            }
            NetnsProbe.Outcome o = NetnsProbe.run(row.state().pid(), hc.test(), timeout);
            exitCode = o.ok() ? 0 : 1;
            output = o.output();
        } else {
            ExecService.Captured r = exec.execCaptured(rec.id(), hc.argv(), timeout);
            exitCode = r.exitCode();
            output = r.output();
        }
        String end = EngineContext.now();
        String before;
        String after;
        try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), rec.id())) {
            ContainerState st = ctx.store().container(rec.id()).orElseThrow().state();
            boolean inStart = hc.startPeriod() != null && st.startedAt() != null
                    && Duration.between(OffsetDateTime.parse(st.startedAt()).toInstant(), Instant.now())
                    .compareTo(hc.startPeriod()) < 0;
            ContainerState.Health current = readiness ? st.readiness() : st.health();
            ContainerState.Health h = current == null ? ContainerState.Health.starting() : current;
            before = h.status();
            h = h.record(new ContainerState.HealthLog(start, end, exitCode == 0 ? 0 : 1, output),
                    hc.retries(), inStart);
            ctx.store().updateContainerState(rec.id(), readiness ? st.withReadiness(h) : st.withHealth(h));
            after = h.status();
        }
        if (!readiness && after.equals("unhealthy") && !before.equals("unhealthy")) {
            onFailure(rec);
        }
        return after;
    }

    /**
     * Podman's {@code --health-on-failure} (kept in the annotation {@value #ON_FAILURE}):
     * restart, kill or stop the container when it turns unhealthy; none does nothing. A
     * Kubernetes liveness probe uses restart (kill under restartPolicy Never).
     */
    private void onFailure(ContainerRecord rec) {
        String action = rec.spec().annotations().getOrDefault(ON_FAILURE, "none");
        switch (action) {
            case "restart" -> containers.restart(rec.id(), null);
            case "kill" -> containers.kill(rec.id(), "KILL");
            case "stop" -> containers.stop(rec.id(), null);
            default -> {
                // none: only the status changes
            }
        }
    }

    /** The annotation that holds the health-on-failure action. */
    public static final String ON_FAILURE = "io.kpod.health.on-failure";
}
