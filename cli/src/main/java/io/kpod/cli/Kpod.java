package io.kpod.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.EngineContext;
import io.kpod.engine.EnginePaths;
import io.kpod.engine.EngineSettings;
import io.kpod.engine.Json;
import io.kpod.engine.config.CgroupMode;
import io.kpod.engine.config.ContainersConf;
import io.kpod.engine.config.EngineConfig;
import io.kpod.engine.config.RuntimeChoice;
import io.kpod.engine.config.SeccompProfiles;
import io.kpod.engine.container.ContainerService;
import io.kpod.engine.container.ExecService;
import io.kpod.engine.container.HealthService;
import io.kpod.engine.image.ImagePuller;
import io.kpod.engine.image.ImageStore;
import io.kpod.engine.image.LocalImageSource;
import io.kpod.engine.image.registry.RegistryService;
import io.kpod.engine.runtime.ProcessRunner;
import io.kpod.engine.secret.SecretService;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.engine.sys.FileTrees;
import io.kpod.engine.volume.VolumeRecord;
import io.kpod.engine.volume.VolumeService;
import io.kpod.infra.PauseRootfs;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires the library modules together for one kpod process, lazily, so that a command pays
 * only for what it uses: containers.conf is read, the runtime chosen and the database opened
 * on first need.
 */
public final class Kpod implements AutoCloseable {
    private final GlobalOptions global;
    private final EnginePaths paths;
    private EngineConfig config;
    private RuntimeChoice runtime;
    private EngineContext ctx;
    private ImageStore images;
    private ContainerService containers;
    private VolumeService volumes;
    private SecretService secrets;
    private io.kpod.engine.pod.PodService pods;
    private io.kpod.engine.network.NetworkService networks;
    private RegistryService registries;

    Kpod(GlobalOptions global) {
        this.global = global;
        this.paths = global.paths();
    }

    public EnginePaths paths() {
        return paths;
    }

    public synchronized EngineConfig config() {
        if (config == null) {
            List<Path> files = new java.util.ArrayList<>(ContainersConf.files(System.getenv()));
            for (String m : global.modules) {
                files.add(ContainersConf.module(m));
            }
            config = ContainersConf.load(files);
        }
        return config;
    }

    public synchronized RuntimeChoice runtimeChoice() {
        if (runtime == null) {
            runtime = RuntimeChoice.choose(global.runtime, config());
        }
        return runtime;
    }

    public String runtimeName() {
        return runtimeChoice().name();
    }

    private synchronized EngineContext ctx() {
        if (ctx == null) {
            EngineConfig c = config();
            String conmon = global.conmon != null ? global.conmon : RuntimeChoice.findConmon(c).toString();
            List<String> self = new ArrayList<>();
            self.add(selfPath());
            self.addAll(global.asArgs());
            Map<String, String> env = new LinkedHashMap<>();
            for (String kv : c.env()) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            String seccompConf = c.seccompProfile();
            EngineSettings s = new EngineSettings(runtimeChoice().path().toString(), conmon,
                    c.initPath() != null ? c.initPath().toString() : PauseRootfs.findCatatonit().toString(),
                    c.defaultCapabilities(), c.pidsLimit(), c.stopTimeoutSeconds(), c.shmSizeBytes(), c.logDriver(),
                    c.defaultUlimits(), c.defaultSysctls(), env,
                    (caps, requested) -> SeccompProfiles.resolve(requested, seccompConf, caps).orElse(null), self);
            ctx = new EngineContext(paths, s, new LocalImageSource(images()), ProcessRunner.SYSTEM);
        }
        return ctx;
    }

    /**
     * The kpod command conmon calls back: bin/kpod as the launcher exported it, else the
     * bin/kpod of the checkout this jar was built in (cli/target/kpod/kpod.jar).
     */
    private static String selfPath() {
        String self = System.getenv("KPOD_SELF");
        if (self != null && !self.isEmpty()) {
            return self;
        }
        try {
            Path jar = Path.of(Kpod.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path launcher = jar.getParent().getParent().getParent().getParent().resolve("bin/kpod");
            if (java.nio.file.Files.isExecutable(launcher)) {
                return launcher.toString();
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the error below
        }
        throw KpodException.runtime("cannot tell where bin/kpod is: run kpod through bin/kpod or set KPOD_SELF");
    }

    public synchronized ImageStore images() {
        if (images == null) {
            images = new ImageStore(paths.graphRoot());
        }
        return images;
    }

    /** Gets images from registries into {@link #images()}: pull, run --pull, kube play. */
    public synchronized ImagePuller puller() {
        return registries();
    }

    /** The registry side as a whole: pull, push, login, logout (registries.conf and auth.json read on first need). */
    public synchronized RegistryService registries() {
        if (registries == null) {
            registries = RegistryService.system(images());
        }
        return registries;
    }

    public synchronized ContainerService containers() {
        if (containers == null) {
            containers = new ContainerService(ctx(), volumes(), secrets(), networks());
            // a pod's --exit-policy=stop, without loading the pod service for every container command
            containers.onPodMemberExit(podId -> pods().memberExited(podId));
        }
        return containers;
    }

    public synchronized VolumeService volumes() {
        if (volumes == null) {
            volumes = new VolumeService(ctx());
        }
        return volumes;
    }

    public synchronized SecretService secrets() {
        if (secrets == null) {
            secrets = new SecretService(ctx());
        }
        return secrets;
    }

    public synchronized io.kpod.engine.pod.PodService pods() {
        if (pods == null) {
            pods = new io.kpod.engine.pod.PodService(ctx(), containers(), networks());
        }
        return pods;
    }

    public synchronized io.kpod.engine.network.NetworkService networks() {
        if (networks == null) {
            networks = new io.kpod.engine.network.NetworkService(ctx());
        }
        return networks;
    }

    /** The engine services {@code kube play} and {@code kube down} work through. */
    public io.kpod.kube.play.KubePlay kubePlay() {
        return new io.kpod.kube.play.KubePlay(new io.kpod.kube.play.KubePlay.Engine(pods(), containers(), volumes(),
                secrets(), networks(), ctx().images(), puller(), playSources()));
    }

    /** Where kube play keeps the objects each workload was played from, for kube generate. */
    public io.kpod.kube.play.PlaySources playSources() {
        return new io.kpod.kube.play.PlaySources(ctx().paths().graphRoot().resolve("kube-sources"));
    }

    public io.kpod.engine.container.ContainerCommitter committer() {
        return new io.kpod.engine.container.ContainerCommitter(ctx(), containers(), images());
    }

    /** The engine context, for {@code system check}. */
    public io.kpod.engine.EngineContext ctxForCheck() {
        return ctx();
    }

    public ExecService exec() {
        return new ExecService(ctx(), containers());
    }

    public HealthService health() {
        return new HealthService(ctx(), containers(), exec()).onReadinessChecked(id -> pods().refreshReadyNames(id));
    }

    /** Tells systemd about started containers as their {@code --sdnotify} mode says. */
    public io.kpod.engine.systemd.ServiceNotifier notifier() {
        return new io.kpod.engine.systemd.ServiceNotifier(containers(), health());
    }

    public JsonNode imageInspect(String ref) {
        return Json.MAPPER.valueToTree(images().inspect(ref));
    }

    /** Dangling images (or all unused ones with {@code all}) that no container uses. */
    public List<String> pruneImages(boolean all) {
        return images().prune(all, id -> containers().containerUsingImage(id).isPresent());
    }

    /** {@code kpod system reset}: every container, volume, secret and image, then the roots themselves. */
    public void reset() {
        List<Integer> conmons = containers().list().stream().map(r -> r.state().conmonPid()).filter(p -> p > 0).toList();
        for (io.kpod.engine.pod.PodRecord p : pods().list()) {
            pods().remove(p.id(), true, 0);
        }
        for (ContainerRow r : containers().list()) {
            containers().remove(r.record().id(), true, true, 0);
        }
        for (VolumeRecord v : volumes().list()) {
            volumes().destroy(v);
        }
        secrets().list().forEach(s -> secrets().remove(s.id()));
        // conmon exits only after its exit callback (`kpod container cleanup`) returns: wait for
        // them, so no late callback opens the state and recreates the roots we delete next
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (conmons.stream().anyMatch(Kpod::conmonAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        try {
            FileTrees.delete(paths.graphRoot());
            FileTrees.delete(paths.runRoot());
        } catch (IOException e) {
            throw KpodException.internal("cannot remove " + paths.graphRoot() + ": " + e.getMessage(), e);
        }
    }

    private static boolean conmonAlive(int pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            String cmd = java.nio.file.Files.readString(Path.of("/proc", Integer.toString(pid), "cmdline"));
            return cmd.contains("conmon") && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code kpod info}: host, runtime and store facts. */
    public ObjectNode info() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ObjectNode host = o.putObject("host");
        host.put("arch", System.getProperty("os.arch").equals("amd64") ? "amd64" : System.getProperty("os.arch"));
        host.put("kernel", System.getProperty("os.version"));
        host.put("cgroupVersion", CgroupMode.detect() == CgroupMode.UNIFIED ? "v2" : "v1");
        host.put("cgroupMode", CgroupMode.detect().name().toLowerCase(java.util.Locale.ROOT));
        host.put("cgroupManager", "cgroupfs");
        ObjectNode rt = host.putObject("ociRuntime");
        rt.put("name", runtimeChoice().name());
        rt.put("path", runtimeChoice().path().toString());
        rt.put("version", firstLine(runtimeChoice().path().toString(), "--version"));
        ObjectNode cm = host.putObject("conmon");
        String conmon = global.conmon != null ? global.conmon : RuntimeChoice.findConmon(config()).toString();
        cm.put("path", conmon);
        cm.put("version", firstLine(conmon, "--version"));
        host.put("seccompProfilePath", SeccompProfiles.defaultProfilePath().map(Path::toString).orElse(""));
        ObjectNode store = o.putObject("store");
        store.put("graphRoot", paths.graphRoot().toString());
        store.put("runRoot", paths.runRoot().toString());
        store.put("graphDriverName", "overlay");
        store.put("networkConfigDir", paths.networkConfigDir().toString());
        List<ContainerRow> rows = containers().list();
        ObjectNode cs = store.putObject("containerStore");
        cs.put("number", rows.size());
        cs.put("running", rows.stream().filter(r -> r.state().status().isActive()).count());
        cs.put("stopped", rows.stream().filter(r -> !r.state().status().isActive()).count());
        store.putObject("imageStore").put("number", images().list().size());
        store.putObject("volumeStore").put("number", volumes().list().size());
        ObjectNode v = o.putObject("version");
        v.put("Version", io.kpod.cli.commands.VersionCommand.VERSION);
        v.put("JavaVersion", System.getProperty("java.version"));
        var files = o.putArray("configFiles");
        config().sources().forEach(f -> files.add(f.toString()));
        return o;
    }

    private static String firstLine(String binary, String arg) {
        ProcessRunner.Result r = ProcessRunner.SYSTEM.run(List.of(binary, arg), null, null, 10_000);
        String out = r.stdout().isBlank() ? r.stderr() : r.stdout();
        return out.lines().findFirst().orElse("").trim();
    }

    @Override
    public synchronized void close() {
        if (ctx != null) {
            ctx.close();
        }
    }
}
