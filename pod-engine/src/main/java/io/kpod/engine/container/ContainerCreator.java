package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.ImageSource;
import io.kpod.engine.secret.SecretService;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerState;
import io.kpod.engine.volume.VolumeService;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.SecretMount;
import io.kpod.spec.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kpod create}: merges the user's spec with the image's defaults (Docker's rules for
 * entrypoint and command), names anonymous volumes, checks references, and stores the row.
 * Nothing runs yet; a failure leaves nothing behind.
 */
final class ContainerCreator {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final EngineContext ctx;
    private final VolumeService volumes;
    private final SecretService secrets;
    private final io.kpod.engine.network.NetworkService networks;

    ContainerCreator(EngineContext ctx, VolumeService volumes, SecretService secrets,
                     io.kpod.engine.network.NetworkService networks) {
        this.ctx = ctx;
        this.volumes = volumes;
        this.secrets = secrets;
        this.networks = networks;
    }

    /** The pod's infra container: no image, the pause rootfs, catatonit as its process. */
    ContainerRecord createInfra(String podId, String name) {
        checkNameFree(name);
        ContainerSpec spec = new ContainerSpec(name, "pause", null, null, null, null, null, null, "pod", null, null,
                null, "SIGTERM", null, false, false, null, null, podId, null);
        ContainerRecord rec = new ContainerRecord(NameGenerator.newId(), name, spec, "", "",
                List.of("/catatonit", "-P"), Map.of("PATH", DEFAULT_PATH), "/", "", "SIGTERM", 10,
                EngineContext.now(), List.of(), List.of(), true);
        ctx.store().addContainer(rec, ContainerState.created());
        return rec;
    }

    ContainerRecord create(ContainerSpec requested, boolean infra) {
        ContainerSpec spec = requested;
        if (requested.podId() != null) {
            io.kpod.engine.pod.PodRecord pod = ctx.store().listNamed("pods", io.kpod.engine.pod.PodRecord.class).stream()
                    .filter(p -> p.id().equals(requested.podId())).findFirst()
                    .orElseThrow(() -> new io.kpod.spec.NoSuchObjectException("pod", requested.podId()));
            spec = withPodVolumes(spec, pod.spec().volumes());
            if (spec.userns() != null && !spec.userns().equals(pod.spec().userns())) {
                throw KpodException.invalid("a container in a pod uses the pod's user namespace: set --userns, "
                        + "--uidmap or --gidmap on the pod instead");
            }
            // the pod's user namespace is every member's: they join it and see their files owned alike
            spec = spec.withUserns(pod.spec().userns());
        }
        if (spec.userns() != null && RootfsDir.of(spec).isPresent()) {
            throw KpodException.invalid("--rootfs cannot be used with a user namespace: kpod maps image layers, "
                    + "not directories it does not own");
        }
        if (spec.userns() != null && spec.networkMode().startsWith("container:")) {
            throw KpodException.invalid("--network container: cannot be used with a user namespace of its own");
        }
        ImageSource.ResolvedImage img = RootfsDir.of(spec).isPresent() ? RootfsDir.check(spec)
                : ctx.images().resolve(spec.image());
        ImageSource.ImageDefaults d = img.defaults();
        if (spec.podId() != null && !spec.network().publish().isEmpty()) {
            throw KpodException.invalid("published ports of a pod's container must be defined when the pod is created");
        }
        if (spec.network().publishAll() && d.exposedPorts() != null && !d.exposedPorts().isEmpty()) {
            // -P: every port the image EXPOSEs ("80/tcp") goes to a random host port
            java.util.List<String> publish = new ArrayList<>(spec.network().publish());
            publish.addAll(d.exposedPorts());
            io.kpod.spec.NetworkSpec n = spec.network();
            spec = spec.withNetwork(new io.kpod.spec.NetworkSpec(n.networks(), n.aliases(), publish, true, n.ip(), n.mac(),
                    n.attachments(), n.ip6()));
        }
        if (spec.podId() == null && spec.networkMode().equals("bridge")) {
            networks.validate(spec.network());
        } else if (!spec.network().publish().isEmpty()) {
            throw KpodException.invalid("ports can only be published on a bridge network, not with --network "
                    + spec.networkMode());
        }
        if (spec.networkMode().startsWith("container:")) {
            spec = withNetnsOwner(spec);
        }
        String name = spec.name();
        if (name != null) {
            checkNameFree(name);
        } else {
            name = freeGeneratedName();
        }
        for (SecretMount s : spec.secrets()) {
            secrets.inspect(s.name());
        }
        io.kpod.engine.oci.Capabilities.effective(ctx.settings().defaultCapabilities(), spec.security().capAdd(),
                spec.security().capDrop(), spec.security().privileged());
        List<String> entrypoint = spec.process().entrypoint() != null ? spec.process().entrypoint() : nz(d.entrypoint());
        List<String> cmd;
        if (spec.process().command() != null && !spec.process().command().isEmpty()) {
            cmd = spec.process().command();
        } else if (spec.process().entrypoint() != null) {
            cmd = List.of();
        } else {
            cmd = nz(d.cmd());
        }
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        if (args.isEmpty()) {
            throw KpodException.invalid("no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
        }
        Map<String, String> env = new LinkedHashMap<>(ctx.settings().defaultEnv());
        for (String e : nz(d.env())) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.put("container", "kpod");
        if (spec.process().tty()) {
            env.put("TERM", "xterm");
        }
        env.putAll(spec.process().env());
        String workdir = firstNonEmpty(spec.process().workingDir(), d.workingDir(), "/");
        String user = firstNonEmpty(spec.process().user(), d.user(), "");
        String stopSignal = firstNonEmpty(spec.stopSignal(), d.stopSignal(), "SIGTERM");
        Signals.number(stopSignal);
        int stopTimeout = spec.stopTimeout() != null ? spec.stopTimeout() : ctx.settings().stopTimeout();
        List<VolumeMount> inherited = volumesFrom(spec);

        List<String> anonymous = new ArrayList<>();
        try {
            List<VolumeMount> mounts = new ArrayList<>();
            for (VolumeMount m : spec.mounts()) {
                if (m.type() == VolumeMount.Type.VOLUME && (m.source() == null || m.source().isEmpty())) {
                    String vname = volumes.create(null, Map.of(), Map.of(), true, false).name();
                    anonymous.add(vname);
                    mounts.add(new VolumeMount(m.type(), vname, m.destination(), m.options()));
                } else if (m.type() == VolumeMount.Type.IMAGE) {
                    // pinned to the image id: a later tag of the same name does not change what is mounted
                    String id = ctx.images().resolve(m.source()).id();
                    mounts.add(new VolumeMount(m.type(), id, m.destination(), m.options()));
                } else {
                    if (m.type() == VolumeMount.Type.VOLUME && volumes.find(m.source()).isEmpty()) {
                        volumes.create(m.source(), Map.of(), Map.of(), false, true);
                    }
                    mounts.add(m);
                }
            }
            mounts.addAll(inherited);
            for (String imageVolume : nz(d.volumes())) {
                boolean covered = mounts.stream().anyMatch(m -> m.destination().equals(imageVolume));
                if (!covered) {
                    String vname = volumes.create(null, Map.of(), Map.of(), true, false).name();
                    anonymous.add(vname);
                    mounts.add(new VolumeMount(VolumeMount.Type.VOLUME, vname, imageVolume, List.of()));
                }
            }
            ContainerSpec base = spec;
            String cname = name;
            return UserNamespaces.locked(ctx, () -> {
                // an auto range is picked and recorded under one lock, so two kpods never pick the same
                ContainerSpec resolved = base.userns() == null || base.userns().resolved() ? base
                        : base.withUserns(UserNamespaces.resolve(ctx, base.userns(), ctx.images().layerDirs(img.id())));
                ContainerRecord rec = new ContainerRecord(NameGenerator.newId(), cname, resolved, img.id(), img.name(),
                        args, env, workdir, user, stopSignal, stopTimeout, EngineContext.now(), mounts, anonymous, infra);
                ctx.store().addContainer(rec, ContainerState.created());
                return rec;
            });
        } catch (RuntimeException e) {
            for (String v : anonymous) {
                volumes.find(v).ifPresent(volumes::destroy);
            }
            throw e;
        }
    }

    /**
     * {@code --volumes-from}: the source containers' volumes (named and anonymous) and bind
     * mounts, at the same destinations, in their mode unless an entry says ro or rw. A later
     * entry replaces an earlier one at the same destination, and the container's own mounts win
     * over all of them, as in Podman. Tmpfs and image mounts are not shared (Podman shares
     * neither). Anonymous volumes stay the source's: the copy only uses them.
     */
    private List<VolumeMount> volumesFrom(ContainerSpec spec) {
        Map<String, VolumeMount> byDestination = new LinkedHashMap<>();
        for (io.kpod.spec.VolumesFrom from : io.kpod.spec.VolumesFrom.parseList(
                spec.annotations().get(io.kpod.spec.VolumesFrom.ANNOTATION))) {
            var source = ctx.store().lookupContainer(from.container()).orElseThrow(() ->
                    new io.kpod.spec.NoSuchObjectException("container", from.container(), "looking up container \""
                            + from.container() + "\" for volumes-from: no container with name or ID \""
                            + from.container() + "\" found: no such container"));
            for (VolumeMount m : source.record().mounts()) {
                if (m.type() == VolumeMount.Type.BIND || m.type() == VolumeMount.Type.VOLUME) {
                    byDestination.remove(clean(m.destination()));
                    byDestination.put(clean(m.destination()), from.applyTo(m));
                }
            }
        }
        for (VolumeMount own : spec.mounts()) {
            byDestination.remove(clean(own.destination()));
        }
        return new ArrayList<>(byDestination.values());
    }

    private static String clean(String destination) {
        return java.nio.file.Path.of(destination).normalize().toString();
    }

    /** The pod's {@code --volume}s come first; a container's own mount at the same path wins. */
    private static ContainerSpec withPodVolumes(ContainerSpec spec, List<VolumeMount> podVolumes) {
        if (podVolumes.isEmpty()) {
            return spec;
        }
        List<VolumeMount> all = new ArrayList<>();
        for (VolumeMount v : podVolumes) {
            if (spec.mounts().stream().noneMatch(m -> m.destination().equals(v.destination()))) {
                all.add(v);
            }
        }
        all.addAll(spec.mounts());
        return new ContainerSpec(spec.name(), spec.image(), spec.process(), spec.security(), spec.resources(), all,
                spec.secrets(), spec.hostname(), spec.networkMode(), spec.labels(), spec.annotations(),
                spec.restartPolicy(), spec.stopSignal(), spec.stopTimeout(), spec.removeOnExit(), spec.init(),
                spec.healthCheck(), spec.logDriver(), spec.podId(), spec.network(), spec.systemd(), spec.names(),
                spec.logOptions(), spec.userns());
    }

    /** {@code --network container:REF}: REF becomes the full id, which must name another, non-infra container. */
    private ContainerSpec withNetnsOwner(ContainerSpec spec) {
        String ref = spec.networkMode().substring("container:".length());
        if (ref.isEmpty()) {
            throw KpodException.invalid("--network container: needs a container name or ID");
        }
        if (spec.podId() != null) {
            throw KpodException.invalid("a container in a pod joins the pod's network; --network container:" + ref
                    + " cannot be used with --pod");
        }
        var target = ctx.store().lookupContainer(ref).orElseThrow(() -> new io.kpod.spec.NoSuchObjectException(
                "container", ref, "no container with name or ID \"" + ref + "\" found: no such container"));
        return new ContainerSpec(spec.name(), spec.image(), spec.process(), spec.security(), spec.resources(),
                spec.mounts(), spec.secrets(), spec.hostname(), "container:" + target.record().id(), spec.labels(),
                spec.annotations(), spec.restartPolicy(), spec.stopSignal(), spec.stopTimeout(), spec.removeOnExit(),
                spec.init(), spec.healthCheck(), spec.logDriver(), spec.podId(), spec.network(), spec.systemd(),
                spec.names(), spec.logOptions(), spec.userns());
    }

    private void checkNameFree(String name) {
        Optional<String> holder = ctx.store().inTransaction(s -> s.containerIdByName(name));
        if (holder.isPresent()) {
            throw new NameInUseException("container", name, holder.get());
        }
    }

    private String freeGeneratedName() {
        for (int i = 0; i < 50; i++) {
            String n = NameGenerator.newName();
            if (ctx.store().inTransaction(s -> s.containerIdByName(n)).isEmpty()) {
                return n;
            }
        }
        return "kpod_" + NameGenerator.newId().substring(0, 12);
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
