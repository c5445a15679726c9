package io.kpod.cli;

import io.kpod.spec.ContainerSpec;
import io.kpod.spec.HealthCheck;
import io.kpod.spec.KpodException;
import io.kpod.spec.ProcessSpec;
import io.kpod.spec.ResourceSpec;
import io.kpod.spec.RestartPolicy;
import io.kpod.spec.SecretMount;
import io.kpod.spec.SecuritySpec;
import io.kpod.spec.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags {@code create} and {@code run} share, with Podman's names, turned into a {@link ContainerSpec}. */
public final class ContainerFlags {
    @Option(names = "--pull", description = "Pull the image: always, missing (default), never, newer") String pull = "missing";
    @Option(names = {"-q", "--quiet"}, description = "Print no progress while pulling the image") boolean quietPull;
    @picocli.CommandLine.Mixin PullFlags pullFlags;
    @Option(names = "--name", description = "Assign a name to the container") String name;
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open") boolean interactive;
    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY") boolean tty;
    @Option(names = "--rm", description = "Remove the container and its anonymous volumes when it exits") boolean rm;
    @Option(names = {"-e", "--env"}, description = "Set environment variables (KEY=VALUE, or KEY to copy the host's)") List<String> env = new ArrayList<>();
    @Option(names = "--env-file", description = "Read environment variables from a file") List<Path> envFiles = new ArrayList<>();
    @Option(names = "--entrypoint", description = "Overwrite the image's ENTRYPOINT (a string or a JSON array)") String entrypoint;
    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container") String workdir;
    @Option(names = {"-u", "--user"}, description = "Username or UID[:group or GID]") String user;
    @Option(names = {"-v", "--volume"}, description = "Bind mount a volume: [SOURCE:]DEST[:OPTIONS]") List<String> volumes = new ArrayList<>();
    @Option(names = "--mount", description = "Attach a filesystem mount: type=bind|volume|tmpfs,...") List<String> mounts = new ArrayList<>();
    @Option(names = "--volumes-from", paramLabel = "CONTAINER[:OPTIONS]",
            description = "Mount the volumes and bind mounts of CONTAINER (options: ro or rw, z)")
    List<String> volumesFrom = new ArrayList<>();
    @Option(names = "--tmpfs", description = "Mount a tmpfs: DEST[:OPTIONS]") List<String> tmpfs = new ArrayList<>();
    @Option(names = "--cap-add", split = ",", description = "Add capabilities") List<String> capAdd = new ArrayList<>();
    @Option(names = "--cap-drop", split = ",", description = "Drop capabilities") List<String> capDrop = new ArrayList<>();
    @Option(names = "--privileged", description = "Give extended privileges to the container") boolean privileged;
    @Option(names = "--read-only", description = "Make the root filesystem read-only") boolean readOnly;
    @Option(names = "--security-opt", description = "no-new-privileges, seccomp=PROFILE|unconfined, mask=PATHS, unmask=PATHS") List<String> securityOpts = new ArrayList<>();
    @Option(names = "--ulimit", description = "Ulimit options: NAME=SOFT[:HARD]") List<String> ulimits = new ArrayList<>();
    @Option(names = "--sysctl", description = "Sysctl options: NAME=VALUE") List<String> sysctls = new ArrayList<>();
    @Option(names = {"-h", "--hostname"}, description = "Set the container's hostname") String hostname;
    @Option(names = {"-l", "--label"}, description = "Set metadata: KEY=VALUE") List<String> labels = new ArrayList<>();
    @Option(names = "--annotation", description = "Add an OCI annotation: KEY=VALUE") List<String> annotations = new ArrayList<>();
    @Option(names = "--restart", description = "Restart policy: no, on-failure[:N], always, unless-stopped") String restart;
    @Option(names = {"-m", "--memory"}, description = "Memory limit (e.g. 64m, 1g)") String memory;
    @Option(names = "--cpus", description = "Number of CPUs (e.g. 0.5)") Double cpus;
    @Option(names = {"-c", "--cpu-shares"}, description = "CPU shares (relative weight)") Long cpuShares;
    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs the container may run on (0-3, 0,1)")
    String cpusetCpus;
    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes the container may allocate on (NUMA)")
    String cpusetMems;
    @Option(names = "--pids-limit", description = "Tune the container's pids limit (-1 for unlimited)") Long pidsLimit;
    @Option(names = "--shm-size", description = "Size of /dev/shm (e.g. 64m)") String shmSize;
    @Option(names = "--init", description = "Run an init inside the container that forwards signals and reaps processes") boolean init;
    @Option(names = "--stop-signal", description = "Signal to stop the container") String stopSignal;
    @Option(names = "--stop-timeout", description = "Seconds to wait before forcibly stopping the container") Integer stopTimeout;
    @Option(names = "--health-cmd", description = "Command to check the container's health") String healthCmd;
    @Option(names = "--health-interval", description = "Time between health checks") String healthInterval = "30s";
    @Option(names = "--health-retries", description = "Failures needed to report unhealthy") int healthRetries = 3;
    @Option(names = "--health-timeout", description = "Maximum time a health check may take") String healthTimeout = "30s";
    @Option(names = "--health-start-period", description = "Time for the container to bootstrap before failures count") String healthStartPeriod = "0s";
    @Option(names = {"--network", "--net"}, description = "bridge (default), NETWORK[,NETWORK…], none, host, private, container:ID, ns:PATH")
    String network;
    @Option(names = {"-p", "--publish"}, description = "Publish a port: [hostIP:][hostPort:]containerPort[/tcp|udp]")
    List<String> publish = new ArrayList<>();
    @Option(names = {"-P", "--publish-all"}, description = "Publish every exposed port to a random host port") boolean publishAll;
    @Option(names = "--network-alias", description = "Add a DNS alias on the network") List<String> networkAliases = new ArrayList<>();
    @Option(names = "--ip", description = "Request this IPv4 address on the network") String ip;
    @Option(names = "--ip6", description = "Request this IPv6 address on the network") String ip6;
    @Option(names = "--mac-address", description = "Request this MAC address") String mac;
    @Option(names = "--secret", description = "Add a secret: NAME[,type=mount|env,target=…,mode=…,uid=…,gid=…]") List<String> secrets = new ArrayList<>();
    @Option(names = "--log-driver", description = "Logging driver: k8s-file, none, passthrough") String logDriver;
    @Option(names = "--pod", description = "Run in an existing pod, or new:NAME to create one") String pod;
    @Option(names = "--pod-id-file", description = "Run in the pod whose ID is in this file") Path podIdFile;
    @Option(names = "--cidfile", description = "Write the container ID to this file (removed with the container)") Path cidFile;
    @Option(names = "--replace", description = "Replace a container with the same --name") boolean replace;
    @Option(names = "--conmon-pidfile", description = "Write conmon's pid to this file at every start") Path conmonPidFile;
    @Option(names = "--sdnotify", description = "With NOTIFY_SOCKET set: container (the default), conmon, healthy or ignore")
    String sdNotify;
    @Option(names = "--cgroups", description = "enabled (default), split (below the caller's cgroup, for systemd services) or no-conmon")
    String cgroups;
    @Option(names = "--tz", description = "The container's timezone: a zone name such as Europe/Paris, or local")
    String tz;
    @Option(names = "--env-host", description = "Pass the host's environment into the container") boolean envHost;
    @Option(names = "--http-proxy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Pass the host's proxy variables (http_proxy, https_proxy, ftp_proxy, no_proxy) into the container")
    boolean httpProxy = true;
    @Option(names = "--add-host", description = "Add a line to /etc/hosts: HOST:IP") List<String> addHosts = new ArrayList<>();
    @Option(names = "--dns", description = "Name server for /etc/resolv.conf") List<String> dns = new ArrayList<>();
    @Option(names = "--dns-search", description = "Search domain for /etc/resolv.conf") List<String> dnsSearch = new ArrayList<>();
    @Option(names = "--dns-option", description = "Option for /etc/resolv.conf") List<String> dnsOption = new ArrayList<>();
    @Option(names = "--group-add", description = "Add a supplementary group (name or GID)") List<String> groupAdd = new ArrayList<>();
    @Option(names = "--device", description = "Add a host device: HOST[:CONTAINER[:PERMISSIONS]]") List<String> devices = new ArrayList<>();
    @Option(names = "--read-only-tmpfs", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --read-only, mount read-write tmpfs on /run, /tmp and /var/tmp (default true)")
    boolean readOnlyTmpfs = true;
    @Option(names = "--expose", description = "Expose a port (or range) of the container: -P publishes it")
    List<String> expose = new ArrayList<>();
    @picocli.CommandLine.Mixin UsernsFlags usernsFlags = new UsernsFlags();
    @Option(names = "--log-opt", description = "Logging options: path=FILE, max-size=SIZE, tag=TAG") List<String> logOpts = new ArrayList<>();
    @Option(names = "--health-startup-cmd", description = "Startup health check: runs until it passes, then --health-cmd takes over")
    String healthStartupCmd;
    @Option(names = "--health-startup-interval", description = "Time between startup health checks") String healthStartupInterval = "30s";
    @Option(names = "--health-startup-retries", description = "Startup check failures before the container is restarted (0: never)")
    int healthStartupRetries;
    @Option(names = "--health-startup-success", description = "Startup check passes in a row that end the startup phase")
    int healthStartupSuccess;
    @Option(names = "--health-startup-timeout", description = "Maximum time a startup health check may take")
    String healthStartupTimeout = "30s";
    @Option(names = "--rootfs", description = "The first argument is a directory to use as the root filesystem, "
            + "not an image (PATH:O puts an overlay on it, so that it stays unchanged)") boolean rootfs;
    @Option(names = "--health-on-failure", description = "Action when unhealthy: none, kill, restart or stop")
    String healthOnFailure;
    @Option(names = "--health-log-destination", description = "Where health check results go: local (the container's state)")
    String healthLogDestination;
    @Option(names = "--health-max-log-count", description = "Health check results kept (0: all); default 5")
    int healthMaxLogCount = 5;
    @Option(names = "--health-max-log-size", description = "Characters of health check output kept (0: all); default 500")
    int healthMaxLogSize = 500;

    /** The pod id the container joins, creating the pod for {@code new:NAME}; null for none. */
    public String podId(io.kpod.cli.Kpod kpod) {
        if (podIdFile != null) {
            if (pod != null && !pod.isEmpty()) {
                throw KpodException.invalid("--pod and --pod-id-file cannot be used together");
            }
            try {
                pod = Files.readString(podIdFile).trim();
            } catch (IOException e) {
                throw KpodException.invalid("cannot read the pod ID file " + podIdFile + ": " + e.getMessage());
            }
        }
        if (pod == null || pod.isEmpty()) {
            return null;
        }
        if (pod.startsWith("new:")) {
            return newPod(kpod, pod.substring(4));
        }
        return kpod.pods().lookup(pod).id();
    }

    /**
     * {@code --pod new:NAME}: as in Podman, the network and name-resolution flags (--network,
     * -p, -P, --network-alias, --ip, --ip6, --mac-address, --hostname, --dns*, --add-host)
     * belong to the new pod, whose infra owns the network and the UTS namespace; the container
     * joins it.
     */
    private String newPod(io.kpod.cli.Kpod kpod, String name) {
        List<String> names = new ArrayList<>();
        String mode = "bridge";
        if (network != null && !network.equals("bridge")) {
            if (network.equals("none") || network.equals("host")) {
                mode = network;
            } else if (network.startsWith("ns:") || network.startsWith("container:") || network.equals("private")) {
                throw KpodException.invalid("--network " + network + " cannot be given to a new pod");
            } else {
                names.addAll(List.of(network.split(",")));
            }
        }
        List<String> ports = new ArrayList<>(publish);
        if (publishAll) {
            // the --expose ports; the image's EXPOSE is not known when the pod is made
            ports.addAll(expose);
        }
        io.kpod.spec.NetworkSpec podNet = new io.kpod.spec.NetworkSpec(names, networkAliases, ports, publishAll, ip,
                mac).withIp6(ip6);
        String id = kpod.pods().create(new io.kpod.spec.PodSpec(name, hostname, null, mode, null, addHosts, dns,
                dnsSearch, dnsOption, null, false, podNet)).id();
        network = null;
        publish = new ArrayList<>();
        publishAll = false;
        networkAliases = new ArrayList<>();
        ip = null;
        ip6 = null;
        mac = null;
        hostname = null;
        addHosts = new ArrayList<>();
        dns = new ArrayList<>();
        dnsSearch = new ArrayList<>();
        dnsOption = new ArrayList<>();
        return id;
    }

    /**
     * Makes the image local as {@code --pull} says (through the registries for a missing one
     * by default, as Podman does); returns the reference to create the container from.
     */
    public String ensureImage(io.kpod.cli.Kpod kpod, String image) {
        io.kpod.engine.image.PullPolicy policy = io.kpod.engine.image.PullPolicy.parse(pull);
        if (!rootfs) {
            kpod.puller().ensure(image, policy, pullFlags.options(quietPull));
        }
        for (String m : mounts) {
            // the images of --mount type=image follow the same --pull policy
            VolumeMount vm = MountParser.mount(m);
            if (vm.type() == VolumeMount.Type.IMAGE) {
                kpod.puller().ensure(vm.source(), policy, pullFlags.options(quietPull));
            }
        }
        return rootfs || !image.startsWith("docker://") ? image : image.substring("docker://".length());
    }

    /** Builds the spec; {@code args} are the positional image and command. */
    public ContainerSpec toSpec(String image, List<String> command) {
        return toSpec(image, command, null);
    }

    public ContainerSpec toSpec(String image, List<String> command, String podId) {
        Map<String, String> envMap = new LinkedHashMap<>();
        if (envHost) {
            envMap.putAll(System.getenv());
        } else if (httpProxy) {
            for (String v : List.of("http_proxy", "https_proxy", "ftp_proxy", "no_proxy",
                    "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY")) {
                String val = System.getenv(v);
                if (val != null) {
                    envMap.put(v, val);
                }
            }
        }
        Map<String, String> annotationMap = keyValues(annotations, "--annotation");
        if (rootfs) {
            // PATH[:O]: the spec's image is the directory, the annotation says it is one
            boolean overlay = image.endsWith(":O");
            String dir = overlay ? image.substring(0, image.length() - 2) : image;
            if (dir.isEmpty()) {
                throw KpodException.invalid("--rootfs needs a directory as its first argument");
            }
            image = Path.of(dir).toAbsolutePath().normalize().toString();
            annotationMap.put(io.kpod.engine.container.RootfsDir.ANNOTATION, image + (overlay ? ":O" : ""));
        } else {
            annotationMap.remove(io.kpod.engine.container.RootfsDir.ANNOTATION);
        }
        // only the flag says where volumes come from; Podman records the entries as given
        annotationMap.remove(io.kpod.spec.VolumesFrom.ANNOTATION);
        if (!volumesFrom.isEmpty()) {
            for (String v : volumesFrom) {
                io.kpod.spec.VolumesFrom.parse(v);
                if (v.contains(";")) {
                    throw KpodException.invalid("invalid --volumes-from \"" + v + "\": a container name has no ;");
                }
            }
            annotationMap.put(io.kpod.spec.VolumesFrom.ANNOTATION, String.join(";", volumesFrom));
        }
        io.kpod.spec.IdMappings userns = usernsFlags.mappings();
        for (Path f : envFiles) {
            readEnvFile(f, envMap);
        }
        for (String e : env) {
            putEnv(e, envMap);
        }
        ProcessSpec process = new ProcessSpec(entrypoint(), command.isEmpty() ? null : command, envMap,
                workdir, user, interactive, tty, groupAdd);
        boolean noNewPrivs = false;
        String seccomp = null;
        List<String> mask = new ArrayList<>();
        List<String> unmask = new ArrayList<>();
        for (String o : securityOpts) {
            if (o.equals("no-new-privileges") || o.equals("no-new-privileges=true") || o.equals("no-new-privileges:true")) {
                noNewPrivs = true;
            } else if (o.startsWith("seccomp=") || o.startsWith("seccomp:")) {
                seccomp = o.substring(8);
            } else if (o.startsWith("mask=")) {
                mask.addAll(List.of(o.substring(5).split(":")));
            } else if (o.startsWith("unmask=")) {
                unmask.addAll(List.of(o.substring(7).split(":")));
            } else if (o.startsWith("label=") || o.startsWith("apparmor=")) {
                continue;
            } else {
                throw KpodException.invalid("invalid --security-opt \"" + o + "\"");
            }
        }
        SecuritySpec security = new SecuritySpec(capAdd, capDrop, privileged, readOnly, noNewPrivs, seccomp, mask, unmask,
                devices, readOnlyTmpfs);
        List<ResourceSpec.Ulimit> ul = new ArrayList<>();
        for (String u : ulimits) {
            ul.add(io.kpod.engine.config.Rlimits.parse(u));
        }
        Long quota = null;
        Long period = null;
        if (cpus != null) {
            if (cpus <= 0) {
                throw KpodException.invalid("--cpus must be greater than 0");
            }
            period = 100_000L;
            quota = Math.round(cpus * period);
        }
        ResourceSpec resources = new ResourceSpec(memory == null ? null : Units.bytes(memory), quota, period,
                cpuShares, pidsLimit, ul, keyValues(sysctls, "--sysctl"), shmSize == null ? null : Units.bytes(shmSize))
                .withCpuset(ResourceSpec.cpuList("--cpuset-cpus", cpusetCpus),
                        ResourceSpec.cpuList("--cpuset-mems", cpusetMems));
        List<VolumeMount> all = new ArrayList<>();
        for (String v : volumes) {
            all.add(MountParser.volume(v));
        }
        for (String m : mounts) {
            all.add(MountParser.mount(m));
        }
        for (String t : tmpfs) {
            all.add(MountParser.tmpfs(t));
        }
        if (tz != null && !tz.isEmpty()) {
            all.add(new VolumeMount(VolumeMount.Type.BIND, zoneFile(tz), "/etc/localtime", List.of("ro")));
        }
        List<SecretMount> sec = new ArrayList<>();
        for (String s : secrets) {
            sec.add(MountParser.secret(s));
        }
        HealthCheck hc = null;
        if (healthCmd != null && !healthCmd.isEmpty() && !healthCmd.equals("none")) {
            List<String> test = healthTest(healthCmd);
            if (healthLogDestination != null && !healthLogDestination.isEmpty() && !healthLogDestination.equals("local")) {
                throw KpodException.invalid("--health-log-destination " + healthLogDestination
                        + " is not supported: kpod keeps health check results in the container's state (local)");
            }
            io.kpod.spec.StartupCheck startup = null;
            if (healthStartupCmd != null && !healthStartupCmd.isEmpty()) {
                startup = new io.kpod.spec.StartupCheck(healthTest(healthStartupCmd), Units.duration(healthStartupInterval),
                        Units.duration(healthStartupTimeout), healthStartupRetries, healthStartupSuccess);
            }
            hc = new HealthCheck(test, Units.duration(healthInterval), Units.duration(healthTimeout), healthRetries,
                    Units.duration(healthStartPeriod), healthOnFailure, healthMaxLogCount, healthMaxLogSize, startup);
        } else if (healthStartupCmd != null && !healthStartupCmd.isEmpty()) {
            throw KpodException.invalid("--health-startup-cmd needs --health-cmd");
        }
        List<String> names = new ArrayList<>();
        String net = network == null ? null : switch (network) {
            case "none", "private" -> "private";
            case "host" -> "host";
            case "bridge" -> "bridge";
            default -> {
                if (network.startsWith("ns:")) {
                    yield network;
                }
                if (network.startsWith("container:")) {
                    yield network;
                }
                names.addAll(List.of(network.split(",")));
                yield "bridge";
            }
        };
        List<String> ports = new ArrayList<>(publish);
        if (publishAll) {
            ports.addAll(expose);
        }
        io.kpod.spec.NetworkSpec netSpec = new io.kpod.spec.NetworkSpec(names, networkAliases, ports, publishAll,
                ip, mac).withIp6(ip6);
        if (logDriver != null && !List.of("k8s-file", "none", "passthrough").contains(logDriver)) {
            throw KpodException.invalid("unsupported log driver \"" + logDriver + "\": use k8s-file, none or passthrough");
        }
        Map<String, String> labelMap = keyValues(labels, "--label");
        String unit = System.getenv("PODMAN_SYSTEMD_UNIT");
        if (unit != null && !unit.isEmpty()) {
            // the service that runs the container, as Podman records it (for auto-update and for people)
            labelMap.putIfAbsent("PODMAN_SYSTEMD_UNIT", unit);
        }
        return new ContainerSpec(name, image, process, security, resources, all, sec, hostname, net,
                labelMap, annotationMap, restart == null ? null : RestartPolicy.parse(restart),
                stopSignal, stopTimeout, rm, init, hc, logDriver, podId, netSpec, systemd(),
                new io.kpod.spec.NameResolution(addHosts, dns, dnsSearch, dnsOption), logOptions(), userns);
    }

    private Map<String, String> logOptions() {
        return logOptions(logOpts);
    }

    /** {@code --log-opt KEY=VALUE…} as the engine takes them: max-size in bytes, path absolute. */
    public static Map<String, String> logOptions(List<String> logOpts) {
        Map<String, String> opts = keyValues(logOpts, "--log-opt");
        ContainerSpec.checkLogOptions(opts);
        String max = opts.get("max-size");
        if (max != null && !max.equals("-1")) {
            opts.put("max-size", Long.toString(Units.bytes(max)));
        }
        if (opts.containsKey("path")) {
            opts.put("path", Path.of(opts.get("path")).toAbsolutePath().toString());
        }
        return opts;
    }

    private io.kpod.spec.SystemdOptions systemd() {
        String mode = cgroups == null || cgroups.isEmpty() ? "enabled" : cgroups;
        return new io.kpod.spec.SystemdOptions(cidFile == null ? null : cidFile.toAbsolutePath().toString(),
                conmonPidFile == null ? null : conmonPidFile.toAbsolutePath().toString(), sdNotify,
                System.getenv("NOTIFY_SOCKET"), mode,
                mode.equals("split") ? io.kpod.engine.systemd.OwnCgroup.path() : null);
    }

    /** The zoneinfo file {@code --tz} names: {@code local} is the host's /etc/localtime. */
    static String zoneFile(String tz) {
        Path f = tz.equals("local") ? Path.of("/etc/localtime") : Path.of("/usr/share/zoneinfo").resolve(tz).normalize();
        if (!tz.equals("local") && (tz.startsWith("/") || !f.startsWith("/usr/share/zoneinfo"))) {
            throw KpodException.invalid("invalid --tz \"" + tz + "\": use a zone name such as Europe/Paris, or local");
        }
        try {
            Path real = f.toRealPath();
            if (!Files.isRegularFile(real)) {
                throw KpodException.invalid("unknown timezone \"" + tz + "\"");
            }
            return real.toString();
        } catch (IOException e) {
            throw KpodException.invalid("unknown timezone \"" + tz + "\": " + f + " does not exist");
        }
    }

    /**
     * What {@code run}/{@code create} do before creating: {@code --replace} removes the container
     * holding the name, and a {@code --cidfile} that already exists is refused.
     */
    public void beforeCreate(io.kpod.cli.Kpod kpod) {
        if (replace) {
            if (name == null || name.isEmpty()) {
                throw KpodException.invalid("cannot replace a container without --name being set");
            }
            try {
                kpod.containers().remove(name, true, true, null);
            } catch (KpodException e) {
                if (e.kind() != io.kpod.spec.ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        if (cidFile != null && Files.exists(cidFile)) {
            throw KpodException.conflict("container id file exists. Ensure another container is not using it or delete "
                    + cidFile);
        }
    }

    /** Writes {@code --cidfile}; when that fails the new container is removed again. */
    public void afterCreate(io.kpod.cli.Kpod kpod, String id) {
        if (cidFile == null) {
            return;
        }
        try {
            Files.writeString(cidFile, id, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
        } catch (IOException e) {
            kpod.containers().remove(id, true, true, 0);
            throw KpodException.runtime("cannot write the container id file " + cidFile + ": " + e.getMessage());
        }
    }

    /** A health command as the image config writes it: a JSON array, or a string for the shell. */
    private static List<String> healthTest(String cmd) {
        List<String> test = cmd.trim().startsWith("[") ? Jsonish.stringArray(cmd) : List.of("CMD-SHELL", cmd);
        if (!test.isEmpty() && !test.get(0).startsWith("CMD")) {
            List<String> t = new ArrayList<>(List.of("CMD"));
            t.addAll(test);
            test = t;
        }
        return test;
    }

    private List<String> entrypoint() {
        if (entrypoint == null) {
            return null;
        }
        if (entrypoint.trim().startsWith("[")) {
            return Jsonish.stringArray(entrypoint);
        }
        return entrypoint.isEmpty() ? List.of() : List.of(entrypoint);
    }

    private static void putEnv(String e, Map<String, String> envMap) {
        int eq = e.indexOf('=');
        if (eq == 0) {
            throw KpodException.invalid("invalid environment variable: \"" + e + "\"");
        }
        if (eq < 0) {
            String host = System.getenv(e);
            if (host != null) {
                envMap.put(e, host);
            }
        } else {
            envMap.put(e.substring(0, eq), e.substring(eq + 1));
        }
    }

    private static void readEnvFile(Path f, Map<String, String> envMap) {
        try {
            for (String line : Files.readAllLines(f)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    putEnv(l, envMap);
                }
            }
        } catch (IOException e) {
            throw KpodException.invalid("cannot read env file " + f + ": " + e.getMessage());
        }
    }

    static Map<String, String> keyValues(List<String> items, String flag) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : items) {
            int eq = kv.indexOf('=');
            if (eq == 0) {
                throw KpodException.invalid("invalid " + flag + " \"" + kv + "\": expected KEY=VALUE");
            }
            if (eq < 0) {
                out.put(kv, "");
            } else {
                out.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return out;
    }
}
