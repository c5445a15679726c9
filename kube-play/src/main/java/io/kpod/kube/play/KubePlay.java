package io.kpod.kube.play;

import io.fabric8.kubernetes.api.model.Secret;
import io.kpod.engine.ImageSource;
import io.kpod.engine.container.ContainerService;
import io.kpod.engine.image.ImagePuller;
import io.kpod.engine.image.PullPolicy;
import io.kpod.engine.network.NetworkService;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.pod.PodService;
import io.kpod.engine.secret.SecretService;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.engine.volume.VolumeRecord;
import io.kpod.engine.volume.VolumeService;
import io.kpod.kube.yaml.ParseResult;
import io.kpod.kube.yaml.ParsedDocument;
import io.kpod.network.NetworkCreateRequest;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code kpod kube play} and {@code kube down}: the manifest becomes a list of desired pods,
 * which is compared with the pods earlier plays made (found by their labels) and the
 * difference is applied. Everything that can be checked (names, references, images, ports)
 * is checked before anything changes. Independent pods are created and removed in parallel;
 * the replicas of one workload are replaced one at a time so that some keep running.
 */
public final class KubePlay {
    /** kpod's network for played pods when {@code --network} is not given: shared by every play, DNS on. */
    public static final String KUBE_NETWORK = "kpod-kube";

    /** The engine services a play works through. */
    public record Engine(PodService pods, ContainerService containers, VolumeService volumes, SecretService secrets,
                         NetworkService networks, ImageSource images, ImagePuller puller, PlaySources sources) {
    }

    /** What happened to one pod. */
    public record PodResult(String name, String id, String action, List<String> containerIds, List<String> initIds) {
    }

    /** The result of a play: each desired pod, pods removed, and warning lines. */
    public record Report(List<PodResult> pods, List<String> removedPods, List<String> volumes, List<String> secrets,
                         List<String> warnings) {
    }

    /** The result of a down. */
    public record DownReport(List<String> stoppedPods, List<String> removedPods, List<String> removedVolumes,
                             List<String> removedSecrets) {
    }

    private final Engine engine;
    private final int parallelism;

    public KubePlay(Engine engine) {
        this.engine = engine;
        this.parallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    // ------------------------------------------------------------------ play

    public Report play(ParseResult parsed, List<ParsedDocument> configMaps, String manifestKey, PlayOptions opts) {
        Warnings warnings = new Warnings(opts.strict());
        for (var w : parsed.warnings()) {
            warnings.note(w.toString());
        }
        Manifest manifest = Manifest.of(parsed, configMaps);
        for (String kind : manifest.ignoredKinds()) {
            warnings.note("ignoring " + kind + ": kpod does not run this kind");
        }
        List<String> networkNames = networkNames(opts);
        PodTranslator translator = new PodTranslator(manifest, opts, manifestKey, networkNames, warnings);

        // 1. the desired state, fully validated
        Map<String, String> extraPublish = new LinkedHashMap<>();
        for (String p : opts.publish()) {
            extraPublish.put(containerPortOf(p), p);
        }
        List<DesiredPod> desired = new ArrayList<>();
        Set<String> podNames = new LinkedHashSet<>();
        for (Manifest.Workload w : manifest.workloads()) {
            for (int i = 0; i < w.replicas(); i++) {
                DesiredPod d = translator.translate(w, i, extraPublish);
                if (!podNames.add(d.name())) {
                    throw Manifest.error(w.origin(), "metadata.name", "pod name " + d.name()
                            + " is made by two objects of the manifest");
                }
                desired.add(d);
            }
        }
        applyIpsAndMacs(desired, opts);
        checkHostPorts(desired);
        checkClaims(manifest, desired);

        // 2. what exists
        Map<String, PodRecord> existing = new LinkedHashMap<>();
        for (PodRecord p : engine.pods().list()) {
            existing.put(p.name(), p);
        }
        Set<String> replacedNames = new LinkedHashSet<>();
        for (DesiredPod d : desired) {
            PodRecord p = existing.get(d.name());
            if (p != null && !opts.replace() && !d.workload().equals(p.spec().labels().get(KubeLabels.WORKLOAD))) {
                throw new NameInUseException("pod", d.name(), p.id());
            }
            if (p != null) {
                replacedNames.add(d.name());
            }
        }
        checkContainerNames(desired, existing, replacedNames, opts.replace());
        VolumesFromSources.check(desired, this::containerExists);

        // 3. images: present or pulled, once each, before anything changes; then what runAsNonRoot asks of them
        ensureImages(desired, opts);
        NonRootPolicy.check(desired, engine.images());

        // 4. shared objects: the network, claims' volumes, secrets
        if (networkNames.equals(List.of(KUBE_NETWORK)) && desired.stream().anyMatch(
                d -> d.pod().networkMode().equals("bridge"))) {
            ensureKubeNetwork();
        }
        List<String> volumesMade = new ArrayList<>();
        for (DesiredPod d : desired) {
            for (DesiredVolume v : d.volumes()) {
                if ((v.kind() == DesiredVolume.Kind.CLAIM || v.kind() == DesiredVolume.Kind.NAMED)
                        && engine.volumes().find(v.name()).isEmpty()) {
                    Map<String, String> labels = new LinkedHashMap<>(v.labels());
                    labels.put(KubeLabels.MANIFEST, manifestKey);
                    engine.volumes().create(v.name(), labels, Map.of(), false, true);
                    volumesMade.add(v.name());
                }
            }
        }
        List<String> secretsMade = new ArrayList<>();
        for (Secret s : manifest.secrets().values()) {
            byte[] value = secretJson(s);
            if (value.length > 0 && !sameSecret(s.getMetadata().getName(), value)) {
                engine.secrets().create(s.getMetadata().getName(), value,
                        Map.of(KubeLabels.MANIFEST, manifestKey), true);
                secretsMade.add(s.getMetadata().getName());
            }
        }

        // 5. the plan: keep, create, replace, remove
        Map<String, DesiredPod> byName = new LinkedHashMap<>();
        desired.forEach(d -> byName.put(d.name(), d));
        List<PodRecord> stale = new ArrayList<>();
        String serviceName = servicePodName(manifestKey);
        for (PodRecord p : existing.values()) {
            boolean service = p.spec().labels().containsKey(KubeLabels.SERVICE);
            if (service && opts.serviceContainer() && p.name().equals(serviceName) && !opts.replace()) {
                continue;
            }
            if (manifestKey.equals(p.spec().labels().get(KubeLabels.MANIFEST)) && !byName.containsKey(p.name())) {
                stale.add(p);
            }
        }
        // every existing pod with its containers, read once (not once per pod)
        Map<String, PodService.PodView> views = new java.util.HashMap<>();
        if (!existing.isEmpty()) {
            for (PodService.PodView v : engine.pods().views()) {
                views.put(v.pod().id(), v);
            }
        }
        Map<String, PodResult> results = new LinkedHashMap<>();
        List<Callable<Void>> independent = new ArrayList<>();
        Map<String, List<DesiredPod>> rolling = new LinkedHashMap<>();
        for (DesiredPod d : desired) {
            PodRecord p = existing.get(d.name());
            if (p == null) {
                independent.add(() -> {
                    put(results, d.name(), create(d, opts, "created"));
                    return null;
                });
            } else if (!opts.replace() && d.hash().equals(p.spec().labels().get(KubeLabels.HASH))
                    && complete(d, views.get(p.id()))) {
                independent.add(() -> {
                    put(results, d.name(), keep(d, p, views.get(p.id()), opts));
                    return null;
                });
            } else {
                rolling.computeIfAbsent(d.workload(), k -> new ArrayList<>()).add(d);
            }
        }
        for (List<DesiredPod> group : rolling.values()) {
            independent.add(() -> {
                for (DesiredPod d : group) {
                    removePod(existing.get(d.name()));
                    put(results, d.name(), create(d, opts, "replaced"));
                }
                return null;
            });
        }
        List<String> removed = new ArrayList<>();
        for (PodRecord p : stale) {
            independent.add(() -> {
                removePod(p);
                synchronized (removed) {
                    removed.add(p.id());
                }
                return null;
            });
        }
        runAll(independent);
        if (engine.sources() != null) {
            engine.sources().record(manifest);
        }
        if (opts.serviceContainer()) {
            serviceContainer(manifestKey, opts);
        }
        List<PodResult> ordered = new ArrayList<>();
        for (DesiredPod d : desired) {
            ordered.add(results.get(d.name()));
        }
        return new Report(ordered, removed, volumesMade, secretsMade, warnings.lines());
    }

    private boolean containerExists(String ref) {
        try {
            engine.containers().lookup(ref);
            return true;
        } catch (NoSuchObjectException e) {
            return false;
        }
    }

    /** A pod a killed play left half-made (not all its containers exist) is replaced, not kept. */
    private static boolean complete(DesiredPod d, PodService.PodView view) {
        if (view == null) {
            return false;
        }
        Set<String> have = new LinkedHashSet<>();
        for (ContainerRow r : view.members()) {
            have.add(r.record().name());
        }
        return d.containers().stream().allMatch(c -> have.contains(c.spec().name()));
    }

    /** The service pod of a manifest: one per manifest, named from its key. */
    static String servicePodName(String manifestKey) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(manifestKey.getBytes(StandardCharsets.UTF_8));
            return "kube-" + java.util.HexFormat.of().formatHex(d).substring(0, 12) + "-service";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code --service-container}, for systemd (Quadlet {@code .kube} units): a pod of only an
     * infra process, without network, that lives as long as the play's service; its conmon is
     * the service's main process. With {@code NOTIFY_SOCKET} set, systemd is told so and that
     * the play is ready, once every pod started.
     */
    private void serviceContainer(String manifestKey, PlayOptions opts) {
        String name = servicePodName(manifestKey);
        PodRecord pod = engine.pods().list().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
        if (pod == null) {
            io.kpod.spec.PodSpec spec = new io.kpod.spec.PodSpec(name, null, null, "none",
                    Map.of(KubeLabels.MANIFEST, manifestKey, KubeLabels.SERVICE, "true"), null, null, null, null,
                    null, true, null);
            pod = engine.pods().create(spec);
        }
        engine.pods().start(pod.id());
        // the play's pods may all have finished while it ran (one-shot Jobs): then the service ends now
        engine.pods().stopServiceIfPlayEnded(manifestKey);
        String socket = System.getenv("NOTIFY_SOCKET");
        if (socket != null && !socket.isEmpty()) {
            var infra = engine.pods().view(pod).infra().state();
            // a service that already ended (every pod finished) leaves systemd with this process
            io.kpod.engine.systemd.SdNotify.send(socket, infra.status().isActive()
                    ? "MAINPID=" + infra.conmonPid() + "\nREADY=1" : "READY=1");
        }
    }

    private static void put(Map<String, PodResult> results, String name, PodResult r) {
        synchronized (results) {
            results.put(name, r);
        }
    }

    private List<String> networkNames(PlayOptions opts) {
        List<String> names = new ArrayList<>();
        for (String n : opts.networks()) {
            for (String part : n.split(",")) {
                if (!part.isBlank() && !part.equals("host") && !part.equals("none")) {
                    names.add(part.strip());
                }
            }
        }
        if (names.isEmpty()) {
            return List.of(KUBE_NETWORK);
        }
        for (String n : names) {
            engine.networks().store().inspect(n);
        }
        return names;
    }

    private void ensureKubeNetwork() {
        if (engine.networks().store().find(KUBE_NETWORK).isEmpty()) {
            engine.networks().store().create(NetworkCreateRequest.builder(KUBE_NETWORK).ignoreIfExists(true).build());
        }
    }

    private static String containerPortOf(String publish) {
        String p = publish;
        int slash = p.indexOf('/');
        if (slash >= 0) {
            p = p.substring(0, slash);
        }
        int colon = p.lastIndexOf(':');
        String port = colon >= 0 ? p.substring(colon + 1) : p;
        if (!port.matches("[0-9]{1,5}")) {
            throw KpodException.invalid("invalid --publish \"" + publish + "\": expected [hostIP:][hostPort:]containerPort");
        }
        return port;
    }

    private static void applyIpsAndMacs(List<DesiredPod> desired, PlayOptions opts) {
        if (opts.ips().isEmpty() && opts.macs().isEmpty()) {
            return;
        }
        for (int i = 0; i < desired.size(); i++) {
            DesiredPod d = desired.get(i);
            String ip = i < opts.ips().size() ? opts.ips().get(i) : null;
            String mac = i < opts.macs().size() ? opts.macs().get(i) : null;
            var n = d.pod().network();
            var net = new io.kpod.spec.NetworkSpec(n.networks(), n.aliases(), n.publish(), n.publishAll(), ip, mac);
            var spec = d.pod().withNetwork(net);
            desired.set(i, new DesiredPod(d.name(), d.workload(), d.replica(), d.job(), spec, d.containers(),
                    d.volumes(), d.hash()));
        }
    }

    /** Two pods of one play cannot publish the same host port. */
    private static void checkHostPorts(List<DesiredPod> desired) {
        Map<String, String> taken = new HashMap<>();
        for (DesiredPod d : desired) {
            for (String p : d.pod().network().publish()) {
                String[] parts = p.split("/", 2);
                String proto = parts.length > 1 ? parts[1] : "tcp";
                String[] hp = parts[0].split(":");
                if (hp.length < 2) {
                    continue;
                }
                String key = hp[hp.length - 2] + "/" + proto;
                String other = taken.putIfAbsent(key, d.name());
                if (other != null && !other.equals(d.name())) {
                    throw KpodException.conflict("host port " + key + " is published by pods " + other + " and "
                            + d.name());
                }
            }
        }
    }

    private void checkClaims(Manifest manifest, List<DesiredPod> desired) {
        for (DesiredPod d : desired) {
            for (DesiredVolume v : d.volumes()) {
                if (v.kind() == DesiredVolume.Kind.CLAIM && !manifest.claims().containsKey(v.name())
                        && engine.volumes().find(v.name()).isEmpty()) {
                    throw KpodException.invalid("pod " + d.name() + ": " + v.options().get("field")
                            + ": PersistentVolumeClaim \"" + v.name()
                            + "\" is neither in the manifest nor an existing volume");
                }
                if (v.kind() == DesiredVolume.Kind.HOST_PATH) {
                    checkHostPath(d, v);
                }
            }
        }
    }

    private static void checkHostPath(DesiredPod d, DesiredVolume v) {
        Path p = Path.of(v.name());
        String type = v.options().get("type");
        String where = "pod " + d.name() + ": " + v.options().get("field") + ": ";
        boolean exists = Files.exists(p);
        switch (type) {
            case "Directory" -> {
                if (!Files.isDirectory(p)) {
                    throw KpodException.invalid(where + v.name() + " is not a directory (type Directory)");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(p)) {
                    throw KpodException.invalid(where + v.name() + " is not a file (type File)");
                }
            }
            case "DirectoryOrCreate" -> {
                if (exists && !Files.isDirectory(p)) {
                    throw KpodException.invalid(where + v.name() + " exists and is not a directory");
                }
            }
            case "FileOrCreate" -> {
                if (exists && !Files.isRegularFile(p)) {
                    throw KpodException.invalid(where + v.name() + " exists and is not a file");
                }
            }
            case "Socket", "CharDevice", "BlockDevice" -> {
                String want = type.equals("Socket") ? "socket" : type.equals("CharDevice") ? "character device"
                        : "block device";
                if (!exists || !fileType(p).equals(want)) {
                    throw KpodException.invalid(where + v.name() + " is not a " + want + " (type " + type + ")");
                }
            }
            default -> {
                if (!exists) {
                    throw KpodException.invalid(where + "host path " + v.name() + " does not exist");
                }
            }
        }
    }

    private static String fileType(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return switch (mode & 0170000) {
                case 0140000 -> "socket";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                default -> "other";
            };
        } catch (IOException | UnsupportedOperationException e) {
            return "other";
        }
    }

    private void checkContainerNames(List<DesiredPod> desired, Map<String, PodRecord> existing,
                                     Set<String> replaced, boolean replace) {
        // container names are global: one held by a container outside the pods being replaced is a conflict
        Set<String> replacedIds = new LinkedHashSet<>();
        for (String n : replaced) {
            replacedIds.add(existing.get(n).id());
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (DesiredPod d : desired) {
            for (DesiredContainer c : d.containers()) {
                wanted.add(c.spec().name());
            }
            wanted.add(d.pod().infraName());
        }
        for (ContainerRow r : engine.containers().list()) {
            String name = r.record().name();
            if (wanted.contains(name) && (r.record().podId() == null || !replacedIds.contains(r.record().podId()))) {
                if (replace && r.record().podId() == null) {
                    engine.containers().remove(r.record().id(), true, false, 0);
                    continue;
                }
                throw new NameInUseException("container", name, r.record().id());
            }
        }
    }

    private void ensureImages(List<DesiredPod> desired, PlayOptions opts) {
        Map<String, PullPolicy> wanted = new LinkedHashMap<>();
        for (DesiredPod d : desired) {
            for (DesiredContainer c : d.containers()) {
                wanted.merge(c.spec().image(), c.pullPolicy(), (a, b) -> a == PullPolicy.ALWAYS ? a : b);
            }
            for (DesiredVolume v : d.volumes()) {
                if (v.kind() == DesiredVolume.Kind.IMAGE) {
                    wanted.merge(v.name(), PullPolicy.valueOf(v.options().get(DesiredVolume.PULL_POLICY)),
                            (a, b) -> a == PullPolicy.ALWAYS ? a : b);
                }
            }
        }
        List<Callable<Void>> tasks = new ArrayList<>();
        for (Map.Entry<String, PullPolicy> e : wanted.entrySet()) {
            tasks.add(() -> {
                ensureImage(e.getKey(), e.getValue(), opts);
                return null;
            });
        }
        runAll(tasks);
    }

    private void ensureImage(String image, PullPolicy policy, PlayOptions opts) {
        if (engine.puller() != null) {
            engine.puller().ensure(image, policy, opts.pull());
            return;
        }
        try {
            engine.images().resolve(image);
        } catch (NoSuchObjectException e) {
            throw new NoSuchObjectException("image", image, "image " + image + " is not in the local store");
        }
    }

    // ------------------------------------------------------------------ one pod

    private PodResult keep(DesiredPod d, PodRecord p, PodService.PodView v, PlayOptions opts) {
        boolean running = v.infra() != null && v.infra().state().status().isActive()
                && v.members().stream().allMatch(m -> m.state().status().isActive()
                || m.record().spec().annotations().containsKey(KubeLabels.INIT_TYPE));
        if (opts.start() && !d.job() && !running) {
            engine.pods().start(p.id());
        }
        return new PodResult(d.name(), p.id(), "unchanged", ids(v, false), ids(v, true));
    }

    private static List<String> ids(PodService.PodView v, boolean init) {
        List<String> out = new ArrayList<>();
        for (ContainerRow r : v.members()) {
            boolean isInit = r.record().spec().annotations().containsKey(KubeLabels.INIT_TYPE);
            if (isInit == init) {
                out.add(r.record().id());
            }
        }
        return out;
    }

    /** Creates (and starts) one pod; on failure removes what it made and names the pod in the error. */
    private PodResult create(DesiredPod d, PlayOptions opts, String action) {
        PodRecord pod = null;
        List<String> ownVolumes = new ArrayList<>();
        try {
            prepareVolumes(d, ownVolumes);
            // with a service pod, a pod stops once its containers exited, and the last one to stop
            // stops the service pod (PodService.stopServiceIfPlayEnded), as Podman's pods do then
            pod = engine.pods().create(opts.serviceContainer() ? d.pod().withExitPolicy("stop") : d.pod());
            List<String> ctrIds = new ArrayList<>();
            List<String> initIds = new ArrayList<>();
            for (DesiredContainer c : d.containers()) {
                ContainerRecord rec = engine.containers().create(inPod(c.spec(), pod.id()));
                (c.init() ? initIds : ctrIds).add(rec.id());
            }
            if (opts.start()) {
                engine.pods().start(pod.id());
            }
            return new PodResult(d.name(), pod.id(), action, ctrIds, initIds);
        } catch (RuntimeException e) {
            if (pod != null) {
                try {
                    engine.pods().remove(pod.id(), true, 0);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            for (String v : ownVolumes) {
                engine.volumes().find(v).ifPresent(rec -> engine.volumes().destroy(rec));
            }
            if (e instanceof KpodException k && e.getMessage() != null && e.getMessage().contains(d.name())) {
                throw k;
            }
            throw KpodException.runtime("pod " + d.name() + ": " + e.getMessage(), e);
        }
    }

    private static ContainerSpec inPod(ContainerSpec s, String podId) {
        return new ContainerSpec(s.name(), s.image(), s.process(), s.security(), s.resources(), s.mounts(),
                s.secrets(), s.hostname(), s.networkMode(), s.labels(), s.annotations(), s.restartPolicy(),
                s.stopSignal(), s.stopTimeout(), s.removeOnExit(), s.init(), s.healthCheck(), s.logDriver(), podId,
                s.network(), s.systemd(), s.names(), s.logOptions(), s.userns());
    }

    /** The pod's own volumes fresh (an emptyDir starts empty), host paths created where the type says so. */
    private void prepareVolumes(DesiredPod d, List<String> made) {
        for (DesiredVolume v : d.volumes()) {
            switch (v.kind()) {
                case EMPTY_DIR, FILES -> {
                    engine.volumes().find(v.name()).ifPresent(old -> engine.volumes().destroy(old));
                    Map<String, String> opts = new LinkedHashMap<>(v.options());
                    VolumeRecord rec = engine.volumes().create(v.name(), v.labels(), opts, false, false);
                    made.add(v.name());
                    if (v.kind() == DesiredVolume.Kind.FILES) {
                        writeFiles(Path.of(rec.mountpoint()), v.files());
                    }
                    if (!rec.needsMount()) {
                        applyFsGroup(Path.of(rec.mountpoint()), v.labels().get(KubeLabels.FS_GROUP));
                    }
                }
                case HOST_PATH -> createHostPath(v);
                case CLAIM -> engine.volumes().find(v.name()).filter(r -> !r.needsMount()).ifPresent(
                        r -> applyFsGroup(Path.of(r.mountpoint()), v.labels().get(KubeLabels.FS_GROUP)));
                default -> {
                    // named volumes were made (or found) before any pod
                }
            }
        }
    }

    /**
     * Kubernetes' fsGroup: the volume's files belong to the group, directories are setgid and
     * group-writable, so containers running as other users of the group can share them.
     */
    static void applyFsGroup(Path dir, String fsGroup) {
        if (fsGroup == null) {
            return;
        }
        int gid = Integer.parseInt(fsGroup);
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    int mode = (Integer) Files.getAttribute(p, "unix:mode");
                    Files.setAttribute(p, "unix:mode", (mode & 07777) | 02070);
                }
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot give volume " + dir + " to fsGroup " + fsGroup + ": " + e.getMessage(), e);
        }
    }

    private static void createHostPath(DesiredVolume v) {
        Path p = Path.of(v.name());
        try {
            if (v.options().get("type").equals("DirectoryOrCreate") && !Files.exists(p)) {
                Files.createDirectories(p);
                Files.setPosixFilePermissions(p, perms(0755));
            } else if (v.options().get("type").equals("FileOrCreate") && !Files.exists(p)) {
                Files.createDirectories(p.getParent());
                Files.createFile(p);
                Files.setPosixFilePermissions(p, perms(0644));
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot create host path " + p + ": " + e.getMessage(), e);
        }
    }

    /** ConfigMap and Secret files with their exact modes; nothing may leave the volume dir. */
    static void writeFiles(Path dir, Map<String, DesiredVolume.FileContent> files) {
        try {
            Path base = dir.toRealPath();
            for (Map.Entry<String, DesiredVolume.FileContent> f : files.entrySet()) {
                Path target = base.resolve(f.getKey()).normalize();
                if (!target.startsWith(base) || target.equals(base)) {
                    throw KpodException.invalid("file path " + f.getKey() + " leaves the volume");
                }
                Files.createDirectories(target.getParent());
                if (!target.getParent().toRealPath().startsWith(base)) {
                    throw KpodException.invalid("file path " + f.getKey() + " leaves the volume");
                }
                Files.write(target, f.getValue().data());
                Files.setPosixFilePermissions(target, perms(f.getValue().mode()));
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot write volume files into " + dir + ": " + e.getMessage(), e);
        }
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    /** Removes a pod and the volumes it owned (emptyDir, configMap, secret). */
    private void removePod(PodRecord p) {
        try {
            engine.pods().remove(p.id(), true, null);
        } catch (NoSuchObjectException gone) {
            // removed meanwhile
        }
        for (VolumeRecord v : engine.volumes().list()) {
            if (p.name().equals(v.labels().get(KubeLabels.OWNER_POD))) {
                engine.volumes().destroy(v);
            }
        }
    }

    private boolean sameSecret(String name, byte[] value) {
        return engine.secrets().list().stream().filter(r -> r.name().equals(name)).findFirst()
                .map(r -> java.util.Arrays.equals(engine.secrets().value(r), value)).orElse(false);
    }

    private static byte[] secretJson(Secret s) {
        Map<String, byte[]> data = PodTranslator.secretData(s);
        if (data.isEmpty()) {
            return new byte[0];
        }
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(jsonEscape(e.getKey())).append("\":\"")
                    .append(java.util.Base64.getEncoder().encodeToString(e.getValue())).append('"');
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    // ------------------------------------------------------------------ down

    /**
     * Removes the pods the manifest's workloads made (or any pod the same manifest made), the
     * volumes those pods owned, the manifest's secrets, and with {@code force} its claims' volumes.
     */
    public DownReport down(ParseResult parsed, String manifestKey, boolean force) {
        Manifest manifest = Manifest.of(parsed, List.of());
        Set<String> workloads = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Manifest.Workload w : manifest.workloads()) {
            workloads.add(w.key());
            names.add(PodTranslator.podName(w, 0));
        }
        List<PodRecord> targets = new ArrayList<>();
        for (PodRecord p : engine.pods().list()) {
            Map<String, String> l = p.spec().labels();
            if (manifestKey.equals(l.get(KubeLabels.MANIFEST)) || workloads.contains(l.get(KubeLabels.WORKLOAD))
                    || (names.contains(p.name()) && !l.containsKey(KubeLabels.WORKLOAD))) {
                targets.add(p);
            }
        }
        // stop everything at once, then remove
        List<Callable<Void>> stops = new ArrayList<>();
        for (PodRecord p : targets) {
            stops.add(() -> {
                engine.pods().stop(p.id(), null);
                return null;
            });
        }
        runAll(stops, Math.max(parallelism, stops.size()));
        List<String> stopped = targets.stream().map(PodRecord::id).toList();
        List<Callable<Void>> removals = new ArrayList<>();
        for (PodRecord p : targets) {
            removals.add(() -> {
                removePod(p);
                return null;
            });
        }
        runAll(removals);
        Set<String> claims = new LinkedHashSet<>(manifest.claims().keySet());
        for (Manifest.Workload w : manifest.workloads()) {
            for (var v : Optional.ofNullable(w.template().getSpec().getVolumes()).orElse(List.of())) {
                if (v.getPersistentVolumeClaim() != null) {
                    claims.add(v.getPersistentVolumeClaim().getClaimName());
                }
            }
        }
        List<String> volumes = new ArrayList<>();
        for (VolumeRecord v : engine.volumes().list()) {
            boolean claim = v.labels().containsKey(KubeLabels.CLAIM) && claims.contains(v.name());
            boolean owned = manifestKey.equals(v.labels().get(KubeLabels.MANIFEST))
                    && !v.labels().containsKey(KubeLabels.CLAIM);
            if ((claim && force) || owned) {
                if (!engine.containers().volumeInUse(v.name())) {
                    engine.volumes().destroy(v);
                    volumes.add(v.name());
                }
            }
        }
        List<String> secrets = new ArrayList<>();
        for (var s : engine.secrets().list()) {
            if (manifest.secrets().containsKey(s.name()) && s.labels().containsKey(KubeLabels.MANIFEST)) {
                engine.secrets().remove(s.name());
                secrets.add(s.id());
            }
        }
        if (engine.sources() != null) {
            Set<String> gone = new LinkedHashSet<>(workloads);
            targets.forEach(p -> Optional.ofNullable(p.spec().labels().get(KubeLabels.WORKLOAD)).ifPresent(gone::add));
            engine.sources().forget(gone);
        }
        return new DownReport(stopped, stopped, volumes, secrets);
    }

    // ------------------------------------------------------------------ parallel

    /** Runs tasks on up to {@code parallelism} threads; the first failure is rethrown after all finished. */
    private void runAll(List<Callable<Void>> tasks) {
        runAll(tasks, parallelism);
    }

    /** Stopping mostly waits for processes to exit: all pods at once, whatever the core count. */
    private void runAll(List<Callable<Void>> tasks, int threads) {
        if (tasks.isEmpty()) {
            return;
        }
        if (tasks.size() == 1) {
            try {
                tasks.get(0).call();
                return;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw KpodException.internal(e.getMessage(), e);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(Math.min(threads, 64), tasks.size()), r -> {
            Thread t = new Thread(r, "kube-play");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> t : tasks) {
                futures.add(pool.submit(t));
            }
            RuntimeException first = null;
            for (Future<Void> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    RuntimeException re = c instanceof RuntimeException r ? r
                            : KpodException.internal(String.valueOf(c.getMessage()), c);
                    if (first == null) {
                        first = re;
                    } else if (!first.getMessage().equals(re.getMessage())) {
                        first.addSuppressed(re);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw KpodException.runtime("interrupted");
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
