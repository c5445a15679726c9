package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.secret.SecretService;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerState;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.state.ObjectLock;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.engine.sys.FileTrees;
import io.kpod.engine.volume.VolumeService;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The container life cycle on runc through conmon: create, start, stop, kill, restart,
 * remove, wait, and the cleanup conmon calls back for. Every change happens under the
 * container's file lock; every read syncs the stored state with the runtime's truth.
 */
public final class ContainerService {
    private final EngineContext ctx;
    private final VolumeService volumes;
    private final ContainerCreator creator;
    private final RootfsMounter mounter;
    private final ContainerStarter starter;
    private final io.kpod.engine.network.NetworkService networks;
    private java.util.function.Consumer<String> podMemberExited;

    public ContainerService(EngineContext ctx, VolumeService volumes, SecretService secrets,
                            io.kpod.engine.network.NetworkService networks) {
        this.ctx = ctx;
        this.volumes = volumes;
        this.networks = networks;
        this.creator = new ContainerCreator(ctx, volumes, secrets, networks);
        this.mounter = new RootfsMounter(ctx.paths());
        this.starter = new ContainerStarter(ctx, new MountPlanner(ctx, volumes, secrets, mounter), mounter, networks);
    }

    public ContainerRecord create(ContainerSpec spec) {
        return creator.create(spec, false);
    }

    /** Creates a pod's infra container record (started by {@link #start}). */
    public ContainerRecord createInfra(String podId, String name) {
        return creator.createInfra(podId, name);
    }

    /** Finds a container by name or id (prefix) and brings its state up to date. */
    public ContainerRow lookup(String ref) {
        ContainerRow row = ctx.store().lookupContainer(ref)
                .orElseThrow(() -> new NoSuchObjectException("container", ref));
        return new ContainerRow(row.record(), sync(row.record(), row.state()));
    }

    /** All containers, read in one query, each synced with the runtime. */
    public List<ContainerRow> list() {
        List<ContainerRow> out = new ArrayList<>();
        for (ContainerRow r : ctx.store().containers()) {
            out.add(new ContainerRow(r.record(), sync(r.record(), r.state())));
        }
        return out;
    }

    /**
     * Reconciles the stored state with conmon, the exit file and runc. Running containers
     * whose conmon is gone are exited (with the code conmon wrote, if any) unless runc still
     * runs them unsupervised.
     */
    ContainerState sync(ContainerRecord rec, ContainerState st) {
        if (!st.status().isActive()) {
            return st;
        }
        Optional<Integer> code = RuntimeProbe.exitCode(ctx.paths().exitFile(rec.id()));
        ContainerState next = st;
        if (code.isPresent()) {
            next = st.exited(code.get(), true, finishedAt(rec.id()));
        } else if (!RuntimeProbe.processAlive(st.conmonPid(), "conmon")) {
            Optional<io.kpod.engine.runtime.OciRuntime.State> rs = ctx.runtime().state(rec.id());
            if (rs.isPresent() && rs.get().status().equals("running")) {
                return st;
            }
            code = RuntimeProbe.exitCode(ctx.paths().exitFile(rec.id()));
            next = code.isPresent() ? st.exited(code.get(), true, finishedAt(rec.id()))
                    : st.exited(-1, false, EngineContext.now());
        }
        if (next != st) {
            ContainerState fin = next;
            try {
                ctx.store().updateContainerState(rec.id(), fin);
            } catch (KpodException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return next;
    }

    private String finishedAt(String id) {
        try {
            return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    Files.getLastModifiedTime(ctx.paths().exitFile(id)).toInstant().atOffset(java.time.ZoneOffset.UTC));
        } catch (IOException e) {
            return EngineContext.now();
        }
    }

    private ObjectLock lock(String id) {
        return ObjectLock.acquire(ctx.paths().locksDir(), id);
    }

    public ContainerRecord start(String ref) {
        return start(ref, null);
    }

    /** Starts a container; {@code beforeStart} runs between create and start (for attaching). */
    public ContainerRecord start(String ref, ContainerStarter.BeforeStart beforeStart) {
        ContainerRecord rec = lookup(ref).record();
        if (rec.podId() != null && !rec.infra()) {
            startInfraOf(rec.podId());
        }
        if (rec.spec().networkMode().startsWith("container:")) {
            // the container whose network it joins runs first, as Podman starts dependencies
            String owner = rec.spec().networkMode().substring("container:".length());
            if (ctx.store().container(owner).isPresent()) {
                start(owner);
            }
        }
        try (ObjectLock l = lock(rec.id())) {
            ContainerRow row = fresh(rec.id());
            if (row.state().status().isActive()) {
                return rec;
            }
            startLocked(rec, row.state(), false, beforeStart);
        }
        return rec;
    }

    /** A member needs its pod's infra running first, as Podman starts dependencies. */
    private void startInfraOf(String podId) {
        ctx.store().containers().stream()
                .filter(r -> r.record().infra() && podId.equals(r.record().podId()))
                .findFirst().ifPresent(r -> start(r.record().id()));
    }

    private ContainerRow fresh(String id) {
        ContainerRow row = ctx.store().container(id).orElseThrow(() -> new NoSuchObjectException("container", id));
        return new ContainerRow(row.record(), sync(row.record(), row.state()));
    }

    private void startLocked(ContainerRecord rec, ContainerState st, boolean restarted) {
        startLocked(rec, st, restarted, null);
    }

    private void startLocked(ContainerRecord rec, ContainerState st, boolean restarted,
                             ContainerStarter.BeforeStart beforeStart) {
        if (!st.cleanedUp()) {
            st = cleanupRuntime(rec, st);
        } else if (leftOverByAKilledStart(rec)) {
            releaseRuntime(rec);
        }
        try {
            Files.deleteIfExists(ctx.paths().containerRunDir(rec.id()).resolve(STOPPING_MARKER));
        } catch (IOException e) {
            // a stale marker only makes bin/kpod skip one exit callback that a later sync covers
        }
        try {
            ContainerStarter.Started s = starter.start(rec, beforeStart);
            ContainerState next = st.running(s.pid(), s.conmonPid(), EngineContext.now(), restarted,
                    rec.spec().healthCheck() == null ? null : ContainerState.Health.starting())
                    .withReadiness(HealthService.readinessCheck(rec) == null ? null : ContainerState.Health.starting());
            ctx.store().updateContainerState(rec.id(), next.withStoppedByUser(false));
            HealthTimer.start(ctx, rec, s.conmonPid());
            runHook(rec, POST_START, s.pid(), 30_000);
        } catch (RuntimeException e) {
            releaseRuntime(rec);
            ctx.store().updateContainerState(rec.id(), st.withCleanedUp(true));
            throw e;
        }
    }

    /** A command (JSON array) run in the container right after it started; failing it stops the container. */
    public static final String POST_START = "io.kpod.hook.poststart";
    /** A command (JSON array) run in the container before its stop signal, within the stop timeout. */
    public static final String PRE_STOP = "io.kpod.hook.prestop";

    /**
     * Kubernetes' lifecycle hooks: an exec command in the container, or (when the array starts
     * with KPOD-HTTP-GET / KPOD-TCP) a request kpod makes from the container's network namespace.
     */
    private void runHook(ContainerRecord rec, String key, int pid, long timeoutMillis) {
        String json = rec.spec().annotations().get(key);
        if (json == null) {
            return;
        }
        List<String> argv;
        try {
            argv = List.of(io.kpod.engine.Json.MAPPER.readValue(json, String[].class));
        } catch (java.io.IOException e) {
            throw KpodException.invalid("annotation " + key + " of " + rec.name() + " is not a JSON array of strings");
        }
        boolean ok;
        String output;
        if (NetnsProbe.handles(argv)) {
            NetnsProbe.Outcome o = NetnsProbe.run(pid, argv, timeoutMillis);
            ok = o.ok();
            output = o.output();
        } else {
            ExecService.Captured c = new ExecService(ctx, this).execCaptured(rec.id(), argv, timeoutMillis);
            ok = c.exitCode() == 0;
            output = c.output();
        }
        if (!ok) {
            String hook = key.equals(POST_START) ? "postStart" : "preStop";
            if (key.equals(POST_START)) {
                ctx.runtime().kill(rec.id(), "KILL", false);
            }
            throw KpodException.runtime("the " + hook + " hook of " + rec.name() + " failed: "
                    + output.strip().lines().reduce((a, b) -> b).orElse("no output"));
        }
    }

    /**
     * Marks a container kpod itself is stopping: it cleans up after the exit right away, so
     * bin/kpod answers conmon's exit callback for it without starting a JVM. Not for
     * {@code --rm} containers, whose callback removes them.
     */
    public static final String STOPPING_MARKER = "kpod-stopping";

    /**
     * Marks a {@code --rm} container whose attached {@code kpod run} removes it once it exited:
     * the file holds that process's pid, and bin/kpod answers conmon's exit callback without a
     * JVM while that process lives (if it was killed, the callback removes the container).
     */
    public static final String REMOVER_MARKER = "kpod-remover";

    public void markAttachedRemover(String id) {
        try {
            Path dir = ctx.paths().containerRunDir(id);
            if (Files.isDirectory(dir)) {
                Files.writeString(dir.resolve(REMOVER_MARKER), Long.toString(ProcessHandle.current().pid()));
            }
        } catch (IOException e) {
            // without the marker the callback runs in a JVM and removes it first
        }
    }

    private void markStopping(ContainerRecord rec) {
        if (rec.spec().removeOnExit()) {
            return;
        }
        try {
            Path dir = ctx.paths().containerRunDir(rec.id());
            if (Files.isDirectory(dir)) {
                Files.writeString(dir.resolve(STOPPING_MARKER), "");
            }
        } catch (IOException e) {
            // without the marker the callback runs in a JVM, as before
        }
    }

    /** Stops a running container: its stop signal, then SIGKILL after {@code timeout} seconds. */
    public ContainerRecord stop(String ref, Integer timeout) {
        ContainerRecord rec = lookup(ref).record();
        try (ObjectLock l = lock(rec.id())) {
            stopLocked(rec, fresh(rec.id()).state(), timeout == null ? rec.stopTimeout() : timeout);
        }
        return rec;
    }

    private ContainerState stopLocked(ContainerRecord rec, ContainerState st, int timeout) {
        if (st.status().isActive()) {
            st = st.withStoppedByUser(true);
            ctx.store().updateContainerState(rec.id(), st);
            markStopping(rec);
            if (timeout > 0 && rec.spec().annotations().containsKey(PRE_STOP)) {
                long t0 = System.nanoTime();
                try {
                    runHook(rec, PRE_STOP, st.pid(), timeout * 1000L);
                } catch (KpodException e) {
                    // a failing preStop hook does not keep the container from stopping
                }
                timeout = (int) Math.max(1, timeout - (System.nanoTime() - t0) / 1_000_000_000L);
            }
            boolean alive = timeout > 0 && ctx.runtime().kill(rec.id(), signalName(rec.stopSignal()), false);
            if (!alive || !waitExit(rec, timeout * 1000L)) {
                ctx.runtime().kill(rec.id(), "KILL", false);
                waitExit(rec, 10_000);
            }
            st = sync(rec, st);
            if (st.status().isActive()) {
                // conmon is gone and runc still runs it: delete --force ends it
                ctx.runtime().delete(rec.id(), true);
                st = st.exited(137, false, EngineContext.now());
            }
        }
        if (!st.cleanedUp()) {
            st = cleanupRuntime(rec, st);
        }
        ctx.store().updateContainerState(rec.id(), st);
        return st;
    }

    private static String signalName(String s) {
        return Integer.toString(Signals.number(s));
    }

    private boolean waitExit(ContainerRecord rec, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        Path exit = ctx.paths().exitFile(rec.id());
        while (true) {
            if (Files.exists(exit)) {
                return true;
            }
            Optional<io.kpod.engine.runtime.OciRuntime.State> rs = ctx.runtime().state(rec.id());
            if (rs.isEmpty() || rs.get().status().equals("stopped")) {
                // give conmon a moment to write the exit file it owes us
                for (int i = 0; i < 50 && !Files.exists(exit); i++) {
                    sleep(10);
                }
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(20);
        }
    }

    /** Sends a signal to a running container; the restart policy then leaves it alone. */
    public ContainerRecord kill(String ref, String signal) {
        ContainerRecord rec = lookup(ref).record();
        try (ObjectLock l = lock(rec.id())) {
            ContainerState st = fresh(rec.id()).state();
            if (!st.status().isActive()) {
                throw KpodException.conflict("can only kill running containers. " + rec.shortId()
                        + " is in state " + st.status().text() + ": container state improper");
            }
            ctx.store().updateContainerState(rec.id(), st.withStoppedByUser(true));
            ctx.runtime().kill(rec.id(), Integer.toString(Signals.number(signal)), false);
        }
        return rec;
    }

    public ContainerRecord restart(String ref, Integer timeout) {
        ContainerRecord rec = lookup(ref).record();
        try (ObjectLock l = lock(rec.id())) {
            ContainerState st = stopLocked(rec, fresh(rec.id()).state(), timeout == null ? rec.stopTimeout() : timeout);
            startLocked(rec, st, true);
        }
        return rec;
    }

    /** Removes a container; a running one needs {@code force}. {@code volumes} also removes its anonymous volumes. */
    public ContainerRecord remove(String ref, boolean force, boolean removeVolumes, Integer timeout) {
        ContainerRecord rec = lookup(ref).record();
        if (rec.infra()) {
            throw KpodException.conflict("container " + rec.name() + " is the infra container of pod "
                    + rec.podId().substring(0, 12) + " and cannot be removed without removing the pod");
        }
        removeAny(rec, force, removeVolumes, timeout);
        if (rec.podId() != null && podMemberExited != null) {
            podMemberExited.accept(rec.podId());
        }
        return rec;
    }

    /** Removes any container, infra included: for pod removal. */
    public ContainerRecord removeAny(ContainerRecord rec, boolean force, boolean removeVolumes, Integer timeout) {
        List<String> dependents = ctx.store().containers().stream()
                .filter(r -> r.record().spec().networkMode().equals("container:" + rec.id()))
                .map(r -> r.record().name()).toList();
        if (!dependents.isEmpty()) {
            throw KpodException.conflict("container " + rec.name() + " has dependent containers which must be removed "
                    + "before it: " + String.join(", ", dependents));
        }
        try (ObjectLock l = lock(rec.id())) {
            ContainerState st = fresh(rec.id()).state();
            if (st.status().isActive()) {
                if (!force) {
                    throw KpodException.conflict("cannot remove container " + rec.id() + " as it is "
                            + st.status().text() + " - running or paused containers cannot be removed without force");
                }
                st = stopLocked(rec, st, timeout == null ? rec.stopTimeout() : timeout);
            }
            removeLocked(rec, st, removeVolumes);
        }
        return rec;
    }

    private void removeLocked(ContainerRecord rec, ContainerState st, boolean removeVolumes) {
        if (!st.cleanedUp()) {
            cleanupRuntime(rec, st);
        } else if (leftOverByAKilledStart(rec)) {
            releaseRuntime(rec);
        }
        ctx.runtime().delete(rec.id(), true);
        mounter.unmount(rec.id());
        try {
            FileTrees.delete(ctx.paths().containerDir(rec.id()));
            FileTrees.delete(ctx.paths().containerRunDir(rec.id()));
            Files.deleteIfExists(ctx.paths().exitFile(rec.id()));
        } catch (IOException e) {
            throw KpodException.internal("cannot remove the files of container " + rec.shortId() + ": "
                    + e.getMessage(), e);
        }
        ctx.store().removeContainer(rec.id());
        UserNamespaces.releaseCopies(ctx, rec.spec().userns(), List.of(rec.imageId()));
        String cidFile = rec.spec().systemd().cidFile();
        if (cidFile != null) {
            try {
                Path f = Path.of(cidFile);
                if (Files.isRegularFile(f) && Files.readString(f).trim().equals(rec.id())) {
                    Files.delete(f);
                }
            } catch (IOException e) {
                // the container is gone; a cidfile that cannot be removed only misleads a later --cidfile
            }
        }
        if (ContainerStarter.ownsBridge(rec)) {
            networks.releaseAll(rec.id());
        }
        if (removeVolumes) {
            for (String v : rec.anonymousVolumes()) {
                if (!volumeInUse(v)) {
                    volumes.find(v).ifPresent(volumes::destroy);
                }
            }
        }
        try {
            Files.deleteIfExists(ctx.paths().locksDir().resolve(rec.id() + ".lock"));
        } catch (IOException ignored) {
            // a stale lock file costs nothing
        }
    }

    /** Whether any container mounts the named volume. */
    public boolean volumeInUse(String volume) {
        return ctx.store().containers().stream().anyMatch(r -> r.record().mounts().stream()
                .anyMatch(m -> m.type() == io.kpod.spec.VolumeMount.Type.VOLUME && volume.equals(m.source())));
    }

    /** The name of a container that uses the image, if any: images in use cannot be removed. */
    public Optional<String> containerUsingImage(String imageId) {
        return containersUsingImage(imageId).stream().map(ContainerRecord::name).findFirst();
    }

    /** The containers that run from the image or mount it ({@code --mount type=image}). */
    public List<ContainerRecord> containersUsingImage(String imageId) {
        return ctx.store().containers().stream().map(ContainerRow::record)
                .filter(r -> r.imageId().equals(imageId) || r.mounts().stream().anyMatch(m ->
                        m.type() == io.kpod.spec.VolumeMount.Type.IMAGE && imageId.equals(m.source())))
                .toList();
    }

    /** runc delete, unmount, drop per-run files; the container stays and can start again. */
    private ContainerState cleanupRuntime(ContainerRecord rec, ContainerState st) {
        releaseRuntime(rec);
        ContainerState next = st.withCleanedUp(true);
        ctx.store().updateContainerState(rec.id(), next);
        return next;
    }

    /**
     * Whether a kpod killed while it started this container (its row still says it never ran)
     * left runtime state behind: conmon, runc's state, the pinned netns. A live conmon of that
     * start is killed here, before anything else, so that it neither reports an exit nor runs
     * the exit callback for the start that follows; the caller then releases the rest.
     */
    private boolean leftOverByAKilledStart(ContainerRecord rec) {
        Path runDir = ctx.paths().containerRunDir(rec.id());
        int conmon = RuntimeProbe.readPid(runDir.resolve("conmon.pid"));
        boolean left = false;
        if (RuntimeProbe.processAlive(conmon, "conmon") && conmonOf(conmon, rec.id())) {
            ProcessHandle.of(conmon).ifPresent(ProcessHandle::destroyForcibly);
            left = true;
        }
        return left || Files.isDirectory(ctx.runtime().stateRoot().resolve(rec.id()))
                || (ContainerStarter.ownsBridge(rec) && Files.exists(starter.netnsPin(rec)));
    }

    /** Whether pid {@code pid} is conmon itself (not a process naming it) working for container {@code id}. */
    private static boolean conmonOf(int pid, String id) {
        try {
            String[] argv = Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline")).split("\0");
            return argv.length > 0 && Path.of(argv[0]).getFileName().toString().equals("conmon")
                    && java.util.Arrays.asList(argv).contains(id);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void releaseRuntime(ContainerRecord rec) {
        ctx.runtime().delete(rec.id(), true);
        if (ContainerStarter.ownsBridge(rec)) {
            starter.teardownNetwork(rec);
        }
        mounter.unmount(rec.id());
        try {
            // a conmon pid file outlives its conmon; gone, it can only mean a start that was killed
            Files.deleteIfExists(ctx.paths().containerRunDir(rec.id()).resolve("conmon.pid"));
            FileTrees.delete(ctx.paths().containerRunDir(rec.id()).resolve("secrets"));
        } catch (IOException ignored) {
            // recreated on the next start
        }
    }

    /**
     * What conmon's exit command runs: record the exit, release the runtime resources, then
     * remove a {@code --rm} container or restart it as its policy says.
     */
    public void cleanup(String ref) {
        Optional<ContainerRow> found = ctx.store().lookupContainer(ref);
        if (found.isEmpty()) {
            return;
        }
        ContainerRecord rec = found.get().record();
        cleanupLocked(rec);
        if (rec.podId() != null && !rec.infra() && podMemberExited != null) {
            podMemberExited.accept(rec.podId());
        }
    }

    /** Told the pod id after a member container exited and was cleaned up (for {@code --exit-policy=stop}). */
    public void onPodMemberExit(java.util.function.Consumer<String> hook) {
        this.podMemberExited = hook;
    }

    private void cleanupLocked(ContainerRecord rec) {
        try (ObjectLock l = lock(rec.id())) {
            Optional<ContainerRow> row = ctx.store().container(rec.id());
            if (row.isEmpty()) {
                return;
            }
            ContainerState st = sync(rec, row.get().state());
            if (st.status().isActive()) {
                return;
            }
            boolean exitHandled = st.cleanedUp();
            if (!exitHandled) {
                st = cleanupRuntime(rec, st);
            }
            if (rec.spec().removeOnExit()) {
                ctx.store().recordExitCode(rec.id(), st.exitCode());
                removeLocked(rec, st, true);
            } else if (!exitHandled && rec.spec().restartPolicy().shouldRestart(st.exitCode(), st.restartCount(),
                    st.stoppedByUser())) {
                startLocked(rec, st, true);
            }
        }
    }

    /** Blocks until the container is not running; returns its exit code. */
    public int waitFor(String ref, long pollMillis) {
        ContainerRecord rec = lookup(ref).record();
        while (true) {
            Optional<ContainerRow> row = ctx.store().container(rec.id());
            if (row.isEmpty()) {
                return ctx.store().exitCode(rec.id()).orElseThrow(() -> new NoSuchObjectException("container", ref,
                        "container " + ref + " was removed before its exit code could be read"));
            }
            ContainerState st = sync(rec, row.get().state());
            if (!st.status().isActive() && st.status() != ContainerStatus.CREATED) {
                return st.exitCode();
            }
            sleep(pollMillis);
        }
    }

    /**
     * {@code network connect}: joins the container (a pod member or infra: its pod) to one
     * more network, live when it runs, and records it so that later starts keep it.
     */
    public void connect(String networkRef, String containerRef, io.kpod.spec.NetworkAttachment attachment) {
        new NetworkConnector(ctx, this, networks).connect(networkRef, containerRef, attachment);
    }

    /** {@code network disconnect}; {@code force} records the change even when netavark teardown fails. */
    public void disconnect(String networkRef, String containerRef, boolean force) {
        new NetworkConnector(ctx, this, networks).disconnect(networkRef, containerRef, force);
    }

    /** {@code network reload} of one container; false when it has no bridge network set up. */
    public boolean reloadNetwork(String containerRef) {
        return new NetworkConnector(ctx, this, networks).reload(containerRef);
    }

    ContainerStarter starter() {
        return starter;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted");
        }
    }

    /** The paths conmon writes for a container, for logs and attach. */
    public Path logPath(ContainerRecord rec) {
        String path = rec.spec().logOptions().get("path");
        return path != null ? Path.of(path) : ctx.paths().bundleDir(rec.id()).resolve("ctr.log");
    }
}
