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

    private java.util.function.Consumer<String> readinessChecked = podId -> { };

    public HealthService(EngineContext ctx, ContainerService containers, ExecService exec) {
        this.ctx = ctx;
        this.containers = containers;
        this.exec = exec;
    }

    /** Called with the pod's id after each readiness check of a pod member (the pod's DNS names follow readiness). */
    public HealthService onReadinessChecked(java.util.function.Consumer<String> hook) {
        this.readinessChecked = hook;
        return this;
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
        ContainerState.Health current = row.state().health();
        if (hc.startup() != null && (current == null || !current.startupPassed())) {
            return runStartup(row.record(), hc);
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
        if (hc.maxLogSize() > 0 && output.length() > hc.maxLogSize()) {
            output = output.substring(0, hc.maxLogSize());
        }
        String status;
        try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), rec.id())) {
            ContainerState st = ctx.store().container(rec.id()).orElseThrow().state();
            boolean inStart = hc.startPeriod() != null && st.startedAt() != null
                    && Duration.between(OffsetDateTime.parse(st.startedAt()).toInstant(), Instant.now())
                    .compareTo(hc.startPeriod()) < 0;
            ContainerState.Health current = readiness ? st.readiness() : st.health();
            ContainerState.Health h = current == null ? ContainerState.Health.starting() : current;
            h = h.record(new ContainerState.HealthLog(start, end, exitCode == 0 ? 0 : 1, output),
                    hc.retries(), inStart, hc.maxLogCount());
            ctx.store().updateContainerState(rec.id(), readiness ? st.withReadiness(h) : st.withHealth(h));
            status = h.status();
        }
        if (!readiness && status.equals("unhealthy")) {
            onFailure(rec, hc.onFailure());
        }
        if (readiness && rec.podId() != null) {
            readinessChecked.accept(rec.podId());
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
