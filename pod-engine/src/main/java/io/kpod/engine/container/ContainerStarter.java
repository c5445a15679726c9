package io.kpod.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.EngineContext;
import io.kpod.engine.EngineSettings;
import io.kpod.engine.Json;
import io.kpod.engine.config.Rlimits;
import io.kpod.engine.network.NetworkService;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.pod.PodSandbox;
import io.kpod.infra.PauseRootfs;
import io.kpod.engine.oci.Capabilities;
import io.kpod.engine.oci.OciMount;
import io.kpod.engine.oci.OciSpecBuilder;
import io.kpod.engine.runtime.ConmonLauncher;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.sys.FileTrees;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.ResourceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One start of a container: mount the rootfs, write the etc files and config.json, have
 * conmon run {@code runc create}, then {@code runc start}. The caller undoes a failed start.
 */
final class ContainerStarter {
    /** The pids of a started container and its conmon. */
    record Started(int pid, int conmonPid) {
    }

    private final EngineContext ctx;
    private final MountPlanner planner;
    private final RootfsMounter mounter;
    private final PodSandbox sandbox;
    private final NetworkService networks;

    ContainerStarter(EngineContext ctx, MountPlanner planner, RootfsMounter mounter, NetworkService networks) {
        this.ctx = ctx;
        this.planner = planner;
        this.mounter = mounter;
        this.networks = networks;
        this.sandbox = new PodSandbox(ctx, networks);
    }

    /** Whether the container has a bridge network of its own (not a pod member, not none/host). */
    static boolean ownsBridge(ContainerRecord rec) {
        return rec.podId() == null && rec.spec().networkMode().equals("bridge");
    }

    /** The pinned netns of a container with its own bridge network. */
    Path netnsPin(ContainerRecord rec) {
        return ctx.paths().containerRunDir(rec.id()).resolve("netns");
    }

    /** Pins the new container's netns, has netavark set it up, and puts its address into /etc/hosts. */
    private void setupNetwork(ContainerRecord rec, int pid, Path bundle) {
        Path pin = netnsPin(rec);
        try {
            if (!Files.exists(pin)) {
                Files.createFile(pin);
            }
            io.kpod.engine.sys.Libc.mount("/proc/" + pid + "/ns/net", pin, "none", io.kpod.engine.sys.Libc.MS_BIND, null);
        } catch (IOException e) {
            throw KpodException.runtime("cannot pin the network namespace of " + rec.shortId() + ": " + e.getMessage(), e);
        }
        var status = networks.setup(rec.id(), rec.name(), List.of(rec.shortId()), rec.spec().network(), pin,
                ctx.paths().containerRunDir(rec.id()).resolve(NetworkService.OPTIONS_FILE));
        String hostname = hostnameOf(rec);
        try {
            if (!rec.spec().mounts().stream().anyMatch(m -> m.destination().equals("/etc/hosts"))) {
                String ip = NetworkService.primaryAddress(status).orElse(null);
                Files.writeString(bundle.resolve("hosts"), hostsFile(hostname, false, ip, rec.name())
                        + extraHosts(rec));
            }
            String resolv = withUserDns(io.kpod.network.ResolvConf.render(status.values()), rec);
            if (!resolv.isEmpty() && !rec.spec().mounts().stream().anyMatch(m -> m.destination().equals("/etc/resolv.conf"))) {
                Files.writeString(bundle.resolve("resolvconf"), resolv);
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot write the etc files of " + rec.shortId() + ": " + e.getMessage(), e);
        }
    }

    /** netavark teardown and unpinning, for a container that stopped; safe to repeat. */
    void teardownNetwork(ContainerRecord rec) {
        Path pin = netnsPin(rec);
        networks.teardown(pin, ctx.paths().containerRunDir(rec.id()).resolve(NetworkService.OPTIONS_FILE));
        try {
            io.kpod.engine.sys.Libc.unmount(pin, true);
            Files.deleteIfExists(pin);
        } catch (IOException e) {
            throw KpodException.runtime("cannot unpin the network namespace of " + rec.shortId() + ": " + e.getMessage(), e);
        }
    }

    private static String hostnameOf(ContainerRecord rec) {
        return rec.spec().hostname() != null && !rec.spec().hostname().isEmpty() ? rec.spec().hostname()
                : rec.shortId();
    }

    /** Called between runc create and runc start, with the bundle dir, so a client can attach first. */
    @FunctionalInterface
    public interface BeforeStart {
        void accept(Path bundle);
    }

    Started start(ContainerRecord rec, BeforeStart beforeStart) {
        PodRecord pod = rec.podId() == null ? null : sandbox.pod(rec.podId()).orElseThrow(() ->
                KpodException.notFound("the pod " + rec.podId().substring(0, 12) + " of container " + rec.name()
                        + " no longer exists"));
        io.kpod.spec.IdMappings userns = rec.infra() ? pod.spec().userns() : rec.spec().userns();
        Path rootfs;
        if (rec.infra()) {
            sandbox.prepare(pod);
            rootfs = PauseRootfs.ensure(ctx.paths().graphRoot().resolve("pause"),
                    Path.of(ctx.settings().catatonitPath()));
            if (userns != null) {
                rootfs = UserNamespaces.mappedPause(ctx, rootfs, userns);
            }
        } else if (RootfsDir.of(rec.spec()).isPresent()) {
            RootfsDir.Source dir = RootfsDir.of(rec.spec()).get();
            if (!Files.isDirectory(dir.dir())) {
                throw KpodException.notFound("the root filesystem " + dir.dir() + " of container " + rec.name()
                        + " no longer exists");
            }
            rootfs = dir.overlay() ? mounter.mount(rec.id(), List.of(dir.dir())) : dir.dir();
        } else {
            if (!ctx.images().exists(rec.imageId())) {
                throw KpodException.notFound("the image " + rec.imageName() + " (" + rec.imageId().substring(0, 12)
                        + ") of container " + rec.name() + " no longer exists");
            }
            List<Path> layers = ctx.images().layerDirs(rec.imageId());
            if (userns != null) {
                layers = UserNamespaces.mappedLayers(ctx, layers, userns);
            }
            if (userns != null) {
                // before the mount: overlay reads its root's owner from the upper dir once, when mounted
                try {
                    Files.createDirectories(mounter.upperDir(rec.id()));
                } catch (IOException e) {
                    throw KpodException.internal("cannot create the upper dir of " + rec.shortId() + ": "
                            + e.getMessage(), e);
                }
                UserNamespaces.giveToRoot(mounter.upperDir(rec.id()), userns);
            }
            rootfs = mounter.mount(rec.id(), layers);
        }
        Path bundle = ctx.paths().bundleDir(rec.id());
        Path runDir = ctx.paths().containerRunDir(rec.id());
        try {
            Files.createDirectories(bundle);
            Files.createDirectories(runDir);
            Files.createDirectories(ctx.paths().exitDir());
            Files.deleteIfExists(ctx.paths().exitFile(rec.id()));
        } catch (IOException e) {
            throw KpodException.internal("cannot prepare the bundle of " + rec.shortId() + ": " + e.getMessage(), e);
        }
        ObjectNode config = OciSpecBuilder.build(pod == null ? input(rec, rootfs, bundle)
                : PodMembers.input(input(rec, rootfs, bundle), rec, pod, sandbox));
        Devices.apply(config, rec.spec().security().devices());
        if (userns != null) {
            UserNamespaces.apply(config, userns);
            UserNamespaces.allowTraversal(config);
        }
        try {
            FileTrees.writeAtomically(bundle.resolve("config.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        } catch (IOException e) {
            throw KpodException.internal("cannot write config.json for " + rec.shortId() + ": " + e.getMessage(), e);
        }
        ContainerSpec spec = rec.spec();
        List<String> exitCommand = new ArrayList<>(ctx.settings().selfCommand());
        exitCommand.addAll(List.of("container", "cleanup", rec.id()));
        ConmonLauncher.Request req = new ConmonLauncher.Request(rec.id(), rec.name(), bundle,
                runDir.resolve("pidfile"), runDir.resolve("conmon.pid"), ctx.paths().exitDir(),
                logPath(rec, bundle),
                spec.logDriver() != null ? spec.logDriver() : ctx.settings().logDriver(),
                spec.process().interactive(), spec.process().tty(), exitCommand, logArgs(spec));
        int pid;
        try {
            pid = ctx.conmon().create(req);
        } catch (KpodException e) {
            throw classify(e);
        }
        int conmonPid = RuntimeProbe.readPid(runDir.resolve("conmon.pid"));
        if (ownsBridge(rec)) {
            setupNetwork(rec, pid, bundle);
        }
        if (beforeStart != null) {
            beforeStart.accept(bundle);
        }
        ctx.runtime().start(rec.id());
        if (rec.infra()) {
            sandbox.pin(pod, pid, sandbox.plan(pod).pins());
            sandbox.setupNetwork(pod, rec);
        }
        String conmonPidFile = rec.infra() ? pod.spec().infraConmonPidFile() : spec.systemd().conmonPidFile();
        if (conmonPidFile != null) {
            try {
                FileTrees.writeAtomically(Path.of(conmonPidFile),
                        Integer.toString(conmonPid).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw KpodException.runtime("cannot write the conmon pid file " + conmonPidFile + ": " + e.getMessage(), e);
            }
        }
        return new Started(pid, conmonPid);
    }

    /** The k8s-file log: {@code --log-opt path=} or ctr.log in the container's dir. */
    private static Path logPath(ContainerRecord rec, Path bundle) {
        String path = rec.spec().logOptions().get("path");
        if (path == null) {
            return bundle.resolve("ctr.log");
        }
        Path p = Path.of(path).toAbsolutePath();
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw KpodException.runtime("cannot create the directory of the log file " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** {@code --log-opt max-size=} (bytes, the CLI parsed the units): conmon truncates the log at that size. */
    private static List<String> logArgs(ContainerSpec spec) {
        String max = spec.logOptions().get("max-size");
        if (max == null || max.isEmpty() || max.equals("-1")) {
            return List.of();
        }
        return List.of("--log-size-max", max);
    }

    /** runc's "not found" and "permission denied" become Podman's 127 and 126. */
    static KpodException classify(KpodException e) {
        String m = e.getMessage();
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return new KpodException(ErrorKind.COMMAND_NOT_FOUND,
                    m + ": OCI runtime attempted to invoke a command that was not found");
        }
        if (m.contains("permission denied")) {
            return new KpodException(ErrorKind.CANNOT_INVOKE, m + ": OCI permission denied");
        }
        return e;
    }

    /** Env vars (comma-separated names) that get the pod's IPv4 address at start: Kubernetes' status.podIP. */
    static final String POD_IP_ENV = "io.kpod.env.pod-ip";

    /** The address netavark gave the pod (or the container), from the network options saved at setup; "" without one. */
    private String podIp(ContainerRecord rec) {
        Path opts = rec.podId() != null
                ? ctx.paths().runRoot().resolve("pods").resolve(rec.podId()).resolve(
                        io.kpod.engine.network.NetworkService.OPTIONS_FILE)
                : ctx.paths().containerRunDir(rec.id()).resolve(io.kpod.engine.network.NetworkService.OPTIONS_FILE);
        try {
            var root = io.kpod.engine.Json.MAPPER.readTree(opts.toFile());
            for (var net : root.path("networks")) {
                for (var ip : net.path("static_ips")) {
                    if (!ip.asText().contains(":")) {
                        return ip.asText();
                    }
                }
            }
        } catch (java.io.IOException e) {
            // no bridge network: no pod address
        }
        return "";
    }

    OciSpecBuilder.Input input(ContainerRecord rec, Path rootfs, Path bundle) {
        ContainerSpec spec = rec.spec();
        EngineSettings settings = ctx.settings();
        boolean hostNet = spec.networkMode().equals("host");
        NetnsOwner owner = spec.networkMode().startsWith("container:") ? netnsOwner(rec) : null;
        String hostname = spec.hostname() != null && !spec.hostname().isEmpty() ? spec.hostname()
                : hostNet ? hostHostname() : owner != null ? owner.hostname() : rec.shortId();
        List<OciMount> mounts = new ArrayList<>(planner.userMounts(rec, rootfs));
        List<String> env = new ArrayList<>();
        Map<String, String> envMap = new LinkedHashMap<>(rec.env());
        envMap.putIfAbsent("HOSTNAME", hostname);
        String podIpVars = spec.annotations().get(POD_IP_ENV);
        if (podIpVars != null) {
            String ip = podIp(rec);
            for (String v : podIpVars.split(",")) {
                if (!v.isBlank()) {
                    envMap.put(v.strip(), ip);
                }
            }
        }
        envMap.forEach((k, v) -> env.add(k + "=" + v));
        mounts.addAll(planner.secretMounts(rec, env));
        notifySocketMount(rec).ifPresent(m -> {
            mounts.add(m);
            env.removeIf(e -> e.startsWith("NOTIFY_SOCKET="));
            env.add("NOTIFY_SOCKET=" + m.destination());
        });
        mounts.addAll(etcMounts(rec, bundle, hostname, hostNet, mounts, owner));
        List<String> args = new ArrayList<>(rec.args());
        if (spec.init()) {
            mounts.add(new OciMount("/run/podman-init", "bind", settings.catatonitPath(),
                    List.of("bind", "ro", "rprivate")));
            args.addAll(0, List.of("/run/podman-init", "--"));
        }
        OciSpecBuilder.User user = UserResolver.withGroups(rootfs, UserResolver.resolve(rootfs, rec.user()),
                spec.process().groupAdd());
        if (spec.security().readOnlyRootfs() && spec.security().readOnlyTmpfs() && !rec.infra()) {
            // Podman's --read-only-tmpfs: the dirs programs expect to write stay writable, and empty
            int at = 0;
            for (String dir : List.of("/run", "/tmp", "/var/tmp")) {
                if (mounts.stream().noneMatch(m -> m.destination().equals(dir))) {
                    mounts.add(at++, new OciMount(dir, "tmpfs", "tmpfs",
                            List.of("rw", "rprivate", "nosuid", "nodev", "tmpcopyup")));
                }
            }
        }
        if (!rec.infra()) {
            ensureWorkdir(rootfs, rec.workingDir(), user);
        }
        List<String> caps = Capabilities.effective(settings.defaultCapabilities(), spec.security().capAdd(),
                spec.security().capDrop(), spec.security().privileged());
        if (user.uid() != 0 && !spec.security().privileged()) {
            // a non-root user keeps only what it was explicitly given, as Podman does
            caps = Capabilities.effective(List.of(), spec.security().capAdd(), List.of(), false);
        }
        JsonNode seccomp = spec.security().privileged() ? null
                : settings.seccomp().forContainer(caps, spec.security().seccompProfile());
        ResourceSpec res = spec.resources();
        Map<String, String> sysctls = new LinkedHashMap<>(settings.defaultSysctls());
        if (hostNet) {
            sysctls.keySet().removeIf(k -> k.startsWith("net."));
        }
        sysctls.putAll(res.sysctls());
        List<OciSpecBuilder.Namespace> ns = new ArrayList<>(List.of(
                new OciSpecBuilder.Namespace("pid", null), new OciSpecBuilder.Namespace("ipc", null),
                new OciSpecBuilder.Namespace("uts", null), new OciSpecBuilder.Namespace("mount", null)));
        if (!hostNet) {
            ns.add(new OciSpecBuilder.Namespace("network", spec.networkMode().startsWith("ns:")
                    ? spec.networkMode().substring(3) : owner != null ? owner.netns() : null));
        }
        Long pids = res.pidsLimit() != null ? res.pidsLimit() : Long.valueOf(settings.pidsLimit());
        Map<String, String> annotations = new LinkedHashMap<>(spec.annotations());
        return new OciSpecBuilder.Input(args, env, rec.workingDir(), user, spec.process().tty(),
                rootfs.toString(), spec.security().readOnlyRootfs(), hostname, caps,
                spec.security().noNewPrivileges(), spec.security().privileged(), seccomp,
                spec.security().maskedPaths(), spec.security().unmaskedPaths(),
                rlimits(settings.defaultUlimits(), res.ulimits()), sysctls,
                res.memoryBytes(), res.cpuQuota(), res.cpuPeriod(), res.cpuShares(), res.cpusetCpus(),
                res.cpusetMems(), pids,
                cgroupsPath(rec), ns, mounts,
                res.shmSizeBytes() != null ? res.shmSizeBytes() : settings.shmSizeBytes(), annotations);
    }

    private static List<OciSpecBuilder.Rlimit> rlimits(List<ResourceSpec.Ulimit> conf, List<ResourceSpec.Ulimit> user) {
        return Rlimits.resolve(conf, user, Rlimits.HostLimits.ofThisProcess()).stream()
                .map(r -> new OciSpecBuilder.Rlimit(r.type(), r.soft(), r.hard())).toList();
    }

    /** Where {@code --sdnotify=container} puts the service's notify socket in the container, as Podman does. */
    static final String CONTAINER_NOTIFY_SOCKET = "/run/notify/notify.sock";

    /** The bind mount of the service's notify socket, for a container that sends READY=1 itself. */
    private static java.util.Optional<OciMount> notifySocketMount(ContainerRecord rec) {
        io.kpod.spec.SystemdOptions s = rec.spec().systemd();
        if (rec.infra() || s.notifySocket() == null || !s.sdNotify().equals("container")) {
            return java.util.Optional.empty();
        }
        if (s.notifySocket().startsWith("@")) {
            throw KpodException.invalid("NOTIFY_SOCKET " + s.notifySocket()
                    + " is an abstract socket and cannot be passed into a container: use --sdnotify=conmon");
        }
        if (!Files.exists(Path.of(s.notifySocket()))) {
            // the service that created the container is gone (a later start by hand): nobody to notify
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new OciMount(CONTAINER_NOTIFY_SOCKET, "bind", s.notifySocket(),
                List.of("bind", "rprivate")));
    }

    static String cgroupsPath(ContainerRecord rec) {
        io.kpod.spec.SystemdOptions s = rec.spec().systemd();
        if (s.cgroupsMode().equals("split") && !rec.infra()) {
            // the service's own cgroup, split: conmon stays where systemd started it, the payload goes below
            String parent = s.cgroupParent().equals("/") ? "" : s.cgroupParent();
            return parent + "/libpod-payload-" + rec.id();
        }
        return rec.podId() == null ? "/kpod/" + rec.id() : "/kpod/" + rec.podId() + "/" + rec.id();
    }

    private static void ensureWorkdir(Path rootfs, String workdir, OciSpecBuilder.User user) {
        if (workdir == null || workdir.equals("/")) {
            return;
        }
        Path dir = rootfs.resolve(workdir.substring(1)).normalize();
        if (!dir.startsWith(rootfs) || Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.setAttribute(dir, "unix:uid", user.uid());
            Files.setAttribute(dir, "unix:gid", user.gid());
        } catch (IOException e) {
            throw KpodException.runtime("cannot create the working directory " + workdir + ": " + e.getMessage(), e);
        }
    }

    /** /etc/hostname, /etc/hosts, /etc/resolv.conf and /run/.containerenv, unless the user mounts them. */
    /** The container whose network namespace a {@code --network container:ID} container joins. */
    record NetnsOwner(String netns, String hostname, Map<String, String> etcSources) {
    }

    /**
     * The running container named by {@code container:ID}: its netns, its hostname and the
     * sources of its /etc/hosts and /etc/resolv.conf, read from its config.json, which the
     * joining container shares as Podman does.
     */
    NetnsOwner netnsOwner(ContainerRecord rec) {
        String targetId = rec.spec().networkMode().substring("container:".length());
        var row = ctx.store().container(targetId).orElseThrow(() -> KpodException.notFound("container " + rec.name()
                + " joins the network of container " + targetId.substring(0, Math.min(12, targetId.length()))
                + ", which no longer exists"));
        int pid = row.state().pid();
        Path ns = Path.of("/proc/" + pid + "/ns/net");
        if (!row.state().status().isActive() || pid <= 0 || !Files.exists(ns)) {
            throw KpodException.conflict("cannot join the network namespace of container " + row.record().name()
                    + ": it is not running");
        }
        Map<String, String> sources = new LinkedHashMap<>();
        String hostname = row.record().shortId();
        try {
            JsonNode config = Json.MAPPER.readTree(ctx.paths().bundleDir(targetId).resolve("config.json").toFile());
            for (JsonNode m : config.path("mounts")) {
                String dest = m.path("destination").asText();
                if (dest.equals("/etc/hosts") || dest.equals("/etc/resolv.conf") || dest.equals("/etc/hostname")) {
                    sources.put(dest, m.path("source").asText());
                }
            }
            if (config.hasNonNull("hostname")) {
                hostname = config.get("hostname").asText();
            } else if (sources.containsKey("/etc/hostname")) {
                hostname = Files.readString(Path.of(sources.get("/etc/hostname"))).trim();
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot read the configuration of container " + row.record().name() + ": "
                    + e.getMessage(), e);
        }
        sources.remove("/etc/hostname");
        return new NetnsOwner(ns.toString(), hostname, sources);
    }

    private List<OciMount> etcMounts(ContainerRecord rec, Path bundle, String hostname, boolean hostNet,
                                     List<OciMount> userMounts, NetnsOwner owner) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("/etc/hostname", hostname + "\n");
        files.put("/etc/hosts", hostsFile(hostname, hostNet, null, rec.name()) + extraHosts(rec));
        files.put("/etc/resolv.conf", withUserDns(resolvConf(), rec));
        files.put("/run/.containerenv", "engine=\"kpod\"\nname=\"" + rec.name() + "\"\nid=\"" + rec.id()
                + "\"\nimage=\"" + rec.imageName() + "\"\nimageid=\"" + rec.imageId() + "\"\n");
        List<OciMount> out = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            String dest = f.getKey();
            if (userMounts.stream().anyMatch(m -> m.destination().equals(dest))) {
                continue;
            }
            if (owner != null && owner.etcSources().containsKey(dest)) {
                out.add(new OciMount(dest, "bind", owner.etcSources().get(dest), List.of("bind", "rprivate")));
                continue;
            }
            Path file = bundle.resolve(Path.of(dest).getFileName().toString().replace(".", ""));
            try {
                FileTrees.writeAtomically(file, f.getValue().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw KpodException.internal("cannot write " + dest + " for " + rec.shortId() + ": " + e.getMessage(), e);
            }
            out.add(new OciMount(dest, "bind", file.toString(), List.of("bind", "rprivate")));
        }
        return out;
    }

    /** {@code --add-host HOST:IP} lines for /etc/hosts. */
    static String extraHosts(ContainerRecord rec) {
        StringBuilder sb = new StringBuilder();
        for (String h : rec.spec().names().addHosts()) {
            int colon = h.indexOf(':');
            sb.append(h.substring(colon + 1)).append('\t').append(h, 0, colon).append('\n');
        }
        return sb.toString();
    }

    /** {@code --dns} replaces the name servers; {@code --dns-search} and {@code --dns-option} replace those lines. */
    static String withUserDns(String resolv, ContainerRecord rec) {
        io.kpod.spec.NameResolution n = rec.spec().names();
        if (n.dnsServers().isEmpty() && n.dnsSearches().isEmpty() && n.dnsOptions().isEmpty()) {
            return resolv;
        }
        StringBuilder sb = new StringBuilder();
        for (String line : resolv.split("\n")) {
            String t = line.trim();
            if ((t.startsWith("nameserver") && !n.dnsServers().isEmpty())
                    || ((t.startsWith("search") || t.startsWith("domain")) && !n.dnsSearches().isEmpty())
                    || (t.startsWith("options") && !n.dnsOptions().isEmpty()) || t.isEmpty()) {
                continue;
            }
            sb.append(line).append('\n');
        }
        if (!n.dnsSearches().isEmpty()) {
            sb.append("search ").append(String.join(" ", n.dnsSearches())).append('\n');
        }
        n.dnsServers().forEach(d -> sb.append("nameserver ").append(d).append('\n'));
        if (!n.dnsOptions().isEmpty()) {
            sb.append("options ").append(String.join(" ", n.dnsOptions())).append('\n');
        }
        return sb.toString();
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    static String hostsFile(String hostname, boolean hostNet, String ip, String name) {
        StringBuilder sb = new StringBuilder();
        if (hostNet) {
            try {
                sb.append(Files.readString(Path.of("/etc/hosts")));
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                    sb.append('\n');
                }
                return sb.toString();
            } catch (IOException e) {
                sb.setLength(0);
            }
        }
        sb.append("127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n");
        sb.append("::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n");
        if (ip != null) {
            sb.append(ip).append('\t').append(hostname).append(hostname.equals(name) ? "" : " " + name).append('\n');
        } else {
            sb.append("127.0.1.1\t").append(hostname).append('\n');
        }
        return sb.toString();
    }

    /** The host's resolv.conf without loopback name servers, which cannot work from another netns. */
    static String resolvConf() {
        StringBuilder sb = new StringBuilder();
        boolean haveServer = false;
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String t = line.trim();
                if (t.startsWith("nameserver")) {
                    String ip = t.substring("nameserver".length()).trim();
                    if (ip.startsWith("127.") || ip.equals("::1")) {
                        continue;
                    }
                    haveServer = true;
                }
                sb.append(line).append('\n');
            }
        } catch (IOException e) {
            // no host resolv.conf: fall back like Podman below
        }
        if (!haveServer) {
            sb.append("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
        }
        return sb.toString();
    }
}
