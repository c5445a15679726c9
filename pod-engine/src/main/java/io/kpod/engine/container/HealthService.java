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

    /** Returns the new health status: healthy, unhealthy or starting. */
    public String run(String ref) {
        ContainerRow row = containers.lookup(ref);
        ContainerRecord rec = row.record();
        HealthCheck hc = rec.spec().healthCheck();
        if (hc == null) {
            throw KpodException.invalid("container " + rec.name() + " has no defined healthcheck");
        }
        ContainerState.Health current = row.state().health();
        if (hc.startup() != null && (current == null || !current.startupPassed())) {
            return runStartup(rec, hc);
        }
        long timeout = hc.timeout() == null ? 30_000 : hc.timeout().toMillis();
        String start = EngineContext.now();
        ExecService.Captured r = exec.execCaptured(rec.id(), hc.argv(), timeout);
        String end = EngineContext.now();
        String output = r.output();
        if (hc.maxLogSize() > 0 && output.length() > hc.maxLogSize()) {
            output = output.substring(0, hc.maxLogSize());
        }
        String status;
        try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), rec.id())) {
            ContainerState st = ctx.store().container(rec.id()).orElseThrow().state();
            boolean inStart = hc.startPeriod() != null && st.startedAt() != null
                    && Duration.between(OffsetDateTime.parse(st.startedAt()).toInstant(), Instant.now())
                    .compareTo(hc.startPeriod()) < 0;
            ContainerState.Health h = st.health() == null ? ContainerState.Health.starting() : st.health();
            h = h.record(new ContainerState.HealthLog(start, end, r.exitCode() == 0 ? 0 : 1, output),
                    hc.retries(), inStart, hc.maxLogCount());
            ctx.store().updateContainerState(rec.id(), st.withHealth(h));
            status = h.status();
        }
        if (status.equals("unhealthy")) {
            onFailure(rec, hc.onFailure());
        }
        return status;
    }

    /** The startup check: passes in a row end the startup phase; too many failures restart the container. */
    private String runStartup(ContainerRecord rec, HealthCheck hc) {
        io.kpod.spec.StartupCheck sc = hc.startup();
        long timeout = sc.timeout() == null ? 30_000 : sc.timeout().toMillis();
        String start = EngineContext.now();
        ExecService.Captured r = exec.execCaptured(rec.id(), sc.argv(), timeout);
        String end = EngineContext.now();
        String output = r.output();
        if (hc.maxLogSize() > 0 && output.length() > hc.maxLogSize()) {
            output = output.substring(0, hc.maxLogSize());
        }
        ContainerState.Health h;
        try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), rec.id())) {
            ContainerState st = ctx.store().container(rec.id()).orElseThrow().state();
            h = st.health() == null ? ContainerState.Health.starting() : st.health();
            h = h.recordStartup(new ContainerState.HealthLog(start, end, r.exitCode() == 0 ? 0 : 1, output),
                    sc.successes(), hc.maxLogCount());
            ctx.store().updateContainerState(rec.id(), st.withHealth(h));
        }
        if (sc.retries() > 0 && h.startupFailures() >= sc.retries()) {
            // a container that never comes up is restarted, and its startup phase begins again
            containers.restart(rec.id(), null);
        }
        return h.status();
    }

    /** {@code --health-on-failure}: what an unhealthy container gets. */
    private void onFailure(ContainerRecord rec, String action) {
        switch (action) {
            case "kill" -> containers.kill(rec.id(), "KILL");
            case "stop" -> containers.stop(rec.id(), null);
            case "restart" -> containers.restart(rec.id(), null);
            default -> {
                // none: only the status says it
            }
        }
    }
}
