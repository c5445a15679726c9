package io.kpod.engine.pod;

import io.kpod.engine.EngineContext;
import io.kpod.engine.container.ContainerService;
import io.kpod.engine.container.NameGenerator;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.state.ObjectLock;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.NoSuchObjectException;
import io.kpod.spec.PodSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Pods: an infra container holding the shared namespaces plus member containers. The infra
 * starts first and stops last; members start in creation order and stop in reverse; removing
 * a pod removes its containers, its infra and its pinned namespaces.
 */
public final class PodService {
    /** Podman's annotation for init containers: "always" or "once". */
    public static final String INIT_TYPE = "io.podman.annotations.init.container.type";

    private final EngineContext ctx;
    private final ContainerService containers;
    private final PodSandbox sandbox;

    /** A pod with its containers (infra first, then members in creation order) as last synced. */
    public record PodView(PodRecord pod, ContainerRow infra, List<ContainerRow> members) {
        /** Podman's pod status: Created, Running, Degraded, Exited or Stopped. */
        public String status() {
            List<ContainerRow> all = new ArrayList<>(members);
            if (infra != null) {
                all.add(infra);
            }
            long running = all.stream().filter(r -> r.state().status().isActive()).count();
            long created = all.stream().filter(r -> r.state().status() == ContainerStatus.CREATED).count();
            if (running == all.size() && running > 0) {
                return "Running";
            }
            if (running > 0) {
                return "Degraded";
            }
            if (created == all.size()) {
                return "Created";
            }
            return members.isEmpty() || members.stream().allMatch(m -> m.state().status() == ContainerStatus.EXITED)
                    ? "Exited" : "Stopped";
        }
    }

    private final io.kpod.engine.network.NetworkService networks;

    public PodService(EngineContext ctx, ContainerService containers, io.kpod.engine.network.NetworkService networks) {
        this.ctx = ctx;
        this.containers = containers;
        this.networks = networks;
        this.sandbox = new PodSandbox(ctx, networks);
        containers.onPodMemberExit(this::memberExited);
    }

    /**
     * conmon's exit callback of a member, after the container was cleaned up: a Job's pod
     * counts a successful run and starts the next one or stops when finished; with
     * {@code --exit-policy=stop}, once no member runs any more, the pod stops (its infra with it).
     */
    public void memberExited(String podId) {
        refreshReadyNames(podId);
        PodRecord pod = find(podId);
        try {
            applyExitPolicy(pod);
        } finally {
            String play = pod == null ? null : pod.spec().labels().get(PLAY_MANIFEST);
            if (play != null && !pod.spec().labels().containsKey(PLAY_SERVICE)) {
                stopServiceIfPlayEnded(play);
            }
        }
    }

    /** The label kube play puts on the pods it makes: the manifest they came from. */
    public static final String PLAY_MANIFEST = "io.kpod.kube.manifest";
    /** The label on the service pod of {@code kube play --service-container}. */
    public static final String PLAY_SERVICE = "io.kpod.kube.service-container";

    /**
     * {@code kube play --service-container}: once no container of the play's pods runs any more,
     * the play's service pod stops, so that the systemd service whose main process is its conmon
     * ends, as Podman's service container does. Called when a member exits, and by the play
     * after it started the service pod (its pods may have finished already).
     */
    public void stopServiceIfPlayEnded(String manifestKey) {
        // most plays have no service pod: find out from the pod rows alone, without the containers
        if (list().stream().noneMatch(p -> manifestKey.equals(p.spec().labels().get(PLAY_MANIFEST))
                && p.spec().labels().containsKey(PLAY_SERVICE))) {
            return;
        }
        PodView service = null;
        boolean played = false;
        for (PodView v : views()) {
            Map<String, String> labels = v.pod().spec().labels();
            if (!manifestKey.equals(labels.get(PLAY_MANIFEST))) {
                continue;
            }
            if (labels.containsKey(PLAY_SERVICE)) {
                service = v;
                continue;
            }
            played = true;
            if (v.members().stream().anyMatch(m -> m.state().status().isActive())) {
                return;
            }
        }
        if (service == null || !played || service.infra() == null || !service.infra().state().status().isActive()) {
            return;
        }
        try {
            stop(service.pod().id(), null);
        } catch (KpodException e) {
            // stopped or removed meanwhile (kube down): nothing left to do
        }
    }

    private void applyExitPolicy(PodRecord pod) {
        if (pod != null && pod.spec().completions() != null) {
            jobMemberExited(pod);
            return;
        }
        if (pod == null || !pod.spec().exitPolicy().equals("stop")) {
            return;
        }
        PodView v = view(pod);
        if (v.infra() == null || !v.infra().state().status().isActive()
                || v.members().stream().anyMatch(m -> m.state().status().isActive())) {
            return;
        }
        try {
            stop(pod.id(), null);
        } catch (KpodException e) {
            // removed or stopped meanwhile by someone else: nothing left to do
        }
    }

    /**
     * The pod label listing the names (a Kubernetes Service's) that DNS gives the pod only
     * while it is ready: every member that is not an init container runs and passed its last
     * readiness check, if it has one. kube play sets it for pods with readiness probes.
     */
    public static final String READY_NAMES = "io.kpod.ready-names";

    /**
     * Puts the pod's {@link #READY_NAMES} into DNS (aardvark-dns) when the pod is ready, takes
     * them out when it is not; a no-op for pods without them or whose infra does not run.
     * Called after every readiness check of a member and when a member exits.
     */
    public void refreshReadyNames(String podId) {
        PodRecord pod = find(podId);
        String names = pod == null ? null : pod.spec().labels().get(READY_NAMES);
        if (names == null || names.isEmpty() || !pod.spec().networkMode().equals("bridge")) {
            return;
        }
        PodView v = view(pod);
        if (v.infra() == null || !v.infra().state().status().isActive()) {
            return;
        }
        boolean ready = v.members().stream()
                .filter(m -> !m.record().spec().annotations().containsKey(INIT_TYPE))
                .allMatch(m -> m.state().ready());
        try {
            // the pod's network was set up under the pod's id (PodSandbox), so aardvark knows it by that
            networks.setDnsNames(pod.id(), pod.spec().network(), List.of(names.split(",")), ready);
        } catch (KpodException e) {
            System.err.println("kpod: pod " + pod.name() + ": updating its DNS names: " + e.getMessage());
        }
    }

    private PodRecord find(String podId) {
        return list().stream().filter(p -> p.id().equals(podId)).findFirst().orElse(null);
    }

    /**
     * Under the pod's lock, so that the callbacks of containers exiting together count their run
     * once, and so that a start in progress (which holds the lock until its app containers run)
     * is not taken for a finished run.
     */
    private void jobMemberExited(PodRecord stale) {
        try (ObjectLock l = lock(stale)) {
            PodRecord pod = find(stale.id());
            if (pod == null) {
                return;
            }
            PodView v = view(pod);
            List<ContainerRow> apps = v.members().stream()
                    .filter(m -> !m.record().spec().annotations().containsKey(INIT_TYPE)).toList();
            JobRuns.Step step = JobRuns.afterExit(pod, apps);
            if (step.waiting()) {
                return;
            }
            if (!java.util.Objects.equals(step.progress(), pod.job())) {
                pod = pod.withJob(step.progress());
                ctx.store().updateNamed("pods", pod.name(), pod);
            }
            boolean infraUp = v.infra() != null && v.infra().state().status().isActive();
            if (!infraUp) {
                return; // stopped by the user: the Job waits for the pod's next start
            }
            if (step.runAgain()) {
                try {
                    startMembers(pod, v);
                    return;
                } catch (KpodException e) {
                    // an init container failed: the run failed, and the Job ends as after any failed run
                }
            }
            stopLocked(pod, null);
        }
    }

    public PodRecord create(PodSpec spec) {
        String id = NameGenerator.newId();
        String name = spec.name() != null ? spec.name() : NameGenerator.newName() + "_pod";
        PodRecord pod = new PodRecord(id, name, spec, EngineContext.now(), null);
        sandbox.plan(pod);
        if (spec.networkMode().equals("bridge")) {
            networks.validate(spec.network());
        } else if (!spec.network().publish().isEmpty()) {
            throw KpodException.invalid("ports can only be published on a bridge network");
        }
        boolean inserted;
        if (spec.userns() == null || spec.userns().resolved()) {
            inserted = ctx.store().insertNamed("pods", id, name, pod);
        } else {
            // a pod's auto range: its members run images the pod does not know yet, so 65536 IDs
            // unless a size was asked, picked and recorded under one lock
            io.kpod.spec.IdMappings req = spec.userns().autoSize() != null ? spec.userns()
                    : io.kpod.spec.IdMappings.auto(65536L);
            PodRecord[] made = new PodRecord[1];
            PodSpec asked = spec;
            String created = pod.created();
            inserted = io.kpod.engine.container.UserNamespaces.locked(ctx, () -> {
                made[0] = new PodRecord(id, name, asked.withUserns(
                        io.kpod.engine.container.UserNamespaces.resolve(ctx, req, List.of())), created, null);
                return ctx.store().insertNamed("pods", id, name, made[0]);
            });
            pod = made[0];
            spec = pod.spec();
        }
        if (!inserted) {
            String holder = list().stream().filter(p -> p.name().equals(name)).map(PodRecord::id).findFirst().orElse(null);
            throw new NameInUseException("pod", name, holder);
        }
        try {
            String infraName = spec.infraName() != null ? spec.infraName() : id.substring(0, 12) + "-infra";
            ContainerRecord infra = containers.createInfra(id, infraName);
            PodRecord done = new PodRecord(id, name, spec, pod.created(), infra.id());
            ctx.store().updateNamed("pods", name, done);
            return done;
        } catch (RuntimeException e) {
            ctx.store().deleteNamed("pods", name);
            throw e;
        }
    }

    public io.kpod.infra.InfraContainerPlan plan(PodRecord pod) {
        return sandbox.plan(pod);
    }

    public List<PodRecord> list() {
        return ctx.store().listNamed("pods", PodRecord.class);
    }

    /** By name, full id or unique id prefix. */
    public PodRecord lookup(String ref) {
        List<PodRecord> all = list();
        for (PodRecord p : all) {
            if (p.name().equals(ref) || p.id().equals(ref)) {
                return p;
            }
        }
        List<PodRecord> byPrefix = all.stream().filter(p -> ref.matches("[0-9a-f]+") && p.id().startsWith(ref)).toList();
        if (byPrefix.size() > 1) {
            throw KpodException.conflict("more than one pod matches the ID prefix \"" + ref + "\"");
        }
        if (byPrefix.isEmpty()) {
            throw new NoSuchObjectException("pod", ref, "no pod with name or ID " + ref + " found: no such pod");
        }
        return byPrefix.get(0);
    }

    public PodView view(PodRecord pod) {
        return view(pod, containers.list());
    }

    /** Every pod with its containers, from one read of the pods and one of the containers. */
    public List<PodView> views() {
        List<ContainerRow> all = containers.list();
        java.util.Map<String, List<ContainerRow>> byPod = new java.util.HashMap<>();
        for (ContainerRow r : all) {
            if (r.record().podId() != null) {
                byPod.computeIfAbsent(r.record().podId(), k -> new ArrayList<>()).add(r);
            }
        }
        List<PodView> out = new ArrayList<>();
        for (PodRecord p : list()) {
            out.add(view(p, byPod.getOrDefault(p.id(), List.of())));
        }
        return out;
    }

    private static PodView view(PodRecord pod, List<ContainerRow> rows) {
        ContainerRow infra = null;
        List<ContainerRow> members = new ArrayList<>();
        for (ContainerRow r : rows) {
            if (!pod.id().equals(r.record().podId())) {
                continue;
            }
            if (r.record().infra()) {
                infra = r;
            } else {
                members.add(r);
            }
        }
        return new PodView(pod, infra, members);
    }

    private ObjectLock lock(PodRecord pod) {
        return ObjectLock.acquire(ctx.paths().locksDir(), "pod-" + pod.id());
    }

    /** Starts the infra, then every member that is not running, in creation order. */
    public PodRecord start(String ref) {
        PodRecord pod = lookup(ref);
        try (ObjectLock l = lock(pod)) {
            PodView v = view(pod);
            if (v.infra() != null) {
                containers.start(v.infra().record().id());
            }
            startMembers(pod, v);
        }
        return pod;
    }

    /** Init containers run to completion in order, then every other member that is not running starts. */
    private void startMembers(PodRecord pod, PodView v) {
        List<String> failed = new ArrayList<>();
        for (ContainerRow m : v.members()) {
            String initType = m.record().spec().annotations().get(INIT_TYPE);
            if (initType != null) {
                runInit(pod, m, initType);
                continue;
            }
            if (!m.state().status().isActive()) {
                try {
                    containers.start(m.record().id());
                } catch (KpodException e) {
                    failed.add(m.record().name() + ": " + e.getMessage());
                }
            }
        }
        if (!failed.isEmpty()) {
            throw KpodException.runtime("starting pod " + pod.name() + ": " + String.join("; ", failed));
        }
    }

    /**
     * Runs an init container to completion before the members after it start, as Kubernetes
     * does: {@code always} runs at every pod start, {@code once} only until it has succeeded
     * (then it is removed, as Podman does). A failure stops the pod's start.
     */
    private void runInit(PodRecord pod, ContainerRow m, String type) {
        String id = m.record().id();
        containers.start(id);
        int code = containers.waitFor(id, 50);
        if (code != 0) {
            throw KpodException.runtime("starting pod " + pod.name() + ": init container " + m.record().name()
                    + " exited with code " + code);
        }
        if (type.equals("once")) {
            containers.removeAny(m.record(), true, false, 0);
        }
    }

    /** Stops members in reverse creation order, then the infra, then releases the sandbox. */
    public PodRecord stop(String ref, Integer timeout) {
        PodRecord pod = lookup(ref);
        try (ObjectLock l = lock(pod)) {
            stopLocked(pod, timeout);
        }
        // the last played pod stopped by hand ends the play's service too (its members' exit
        // callbacks do nothing for containers kpod itself stops)
        String play = pod.spec().labels().get(PLAY_MANIFEST);
        if (play != null && !pod.spec().labels().containsKey(PLAY_SERVICE)) {
            stopServiceIfPlayEnded(play);
        }
        return pod;
    }

    private void stopLocked(PodRecord pod, Integer timeout) {
        PodView v = view(pod);
        List<ContainerRow> members = new ArrayList<>(v.members());
        Collections.reverse(members);
        for (ContainerRow m : members) {
            containers.stop(m.record().id(), timeout);
        }
        if (v.infra() != null) {
            containers.stop(v.infra().record().id(), timeout);
        }
        sandbox.teardown(pod);
    }

    public PodRecord restart(String ref, Integer timeout) {
        stop(ref, timeout);
        return start(ref);
    }

    /** Sends a signal to every running container of the pod, members first. */
    public PodRecord kill(String ref, String signal) {
        PodRecord pod = lookup(ref);
        PodView v = view(pod);
        List<ContainerRow> all = new ArrayList<>(v.members());
        if (v.infra() != null) {
            all.add(v.infra());
        }
        for (ContainerRow r : all) {
            if (r.state().status().isActive()) {
                containers.kill(r.record().id(), signal);
            }
        }
        return pod;
    }

    /** Removes the pod; one with running containers needs {@code force}. */
    public PodRecord remove(String ref, boolean force, Integer timeout) {
        PodRecord pod = lookup(ref);
        try (ObjectLock l = lock(pod)) {
            PodView v = view(pod);
            boolean running = v.members().stream().anyMatch(m -> m.state().status().isActive())
                    || (v.infra() != null && v.infra().state().status().isActive());
            if (running && !force) {
                throw KpodException.conflict("pod " + pod.name() + " has running containers: stop the pod first or "
                        + "use --force");
            }
            stopLocked(pod, force ? Integer.valueOf(timeout == null ? 0 : timeout) : timeout);
            for (ContainerRow m : v.members()) {
                containers.removeAny(m.record(), true, true, 0);
            }
            if (v.infra() != null) {
                containers.removeAny(v.infra().record(), true, true, 0);
            }
            sandbox.teardown(pod);
            if (pod.spec().networkMode().equals("bridge")) {
                networks.releaseAll(pod.id());
            }
            ctx.store().deleteNamed("pods", pod.name());
            io.kpod.engine.container.UserNamespaces.releaseCopies(ctx, pod.spec().userns(),
                    v.members().stream().map(m -> m.record().imageId()).toList());
        }
        return pod;
    }
}
