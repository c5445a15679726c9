package io.kpod.engine.systemd;

import io.kpod.engine.container.ContainerService;
import io.kpod.engine.container.HealthService;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.KpodException;
import io.kpod.spec.SystemdOptions;
import java.time.Duration;

/**
 * What a started container tells systemd, as its {@code --sdnotify} mode says: MAINPID is
 * always conmon (it outlives kpod and supervises the container); READY=1 comes from kpod at
 * once (conmon), from the container itself through the mounted socket (container), or from
 * kpod once the health check passes (healthy), which it polls at the check's interval.
 */
public final class ServiceNotifier {
    private final ContainerService containers;
    private final HealthService health;

    public ServiceNotifier(ContainerService containers, HealthService health) {
        this.containers = containers;
        this.health = health;
    }

    /** Called after a container was started on a user's request; a no-op without a socket. */
    public void started(String id) {
        ContainerRow row = containers.lookup(id);
        SystemdOptions s = row.record().spec().systemd();
        if (s.notifySocket() == null || s.sdNotify().equals("ignore")) {
            return;
        }
        if (!s.notifySocket().startsWith("@") && !java.nio.file.Files.exists(java.nio.file.Path.of(s.notifySocket()))) {
            // created under a service that is gone, started again by hand: nobody listens any more
            return;
        }
        String mainPid = row.state().conmonPid() > 0 ? "MAINPID=" + row.state().conmonPid() + "\n" : "";
        switch (s.sdNotify()) {
            case "conmon" -> SdNotify.send(s.notifySocket(), mainPid + "READY=1\n");
            case "healthy" -> {
                if (!mainPid.isEmpty()) {
                    SdNotify.send(s.notifySocket(), mainPid);
                }
                waitHealthy(row);
                SdNotify.send(s.notifySocket(), "READY=1\n");
            }
            default -> {
                if (!mainPid.isEmpty()) {
                    SdNotify.send(s.notifySocket(), mainPid);
                }
            }
        }
    }

    private void waitHealthy(ContainerRow row) {
        io.kpod.spec.HealthCheck hc = row.record().spec().healthCheck();
        Duration interval = hc.startup() != null && hc.startup().interval() != null ? hc.startup().interval()
                : hc.interval();
        if (hc.startup() != null && hc.interval() != null && interval != null && hc.interval().compareTo(interval) < 0) {
            interval = hc.interval();
        }
        long pause = interval == null || interval.isZero() ? 1000 : Math.max(100, interval.toMillis());
        String id = row.record().id();
        while (true) {
            if (!containers.lookup(id).state().status().isActive()) {
                throw KpodException.runtime("container " + row.record().name() + " exited before it became healthy");
            }
            if (health.run(id).equals("healthy")) {
                return;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KpodException.runtime("interrupted while waiting for " + row.record().name() + " to be healthy");
            }
        }
    }
}
