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

    /** The pod id the container joins, creating the pod for {@code new:NAME}; null for none. */
    public String podId(io.kpod.cli.Kpod kpod) {
        if (pod == null || pod.isEmpty()) {
            return null;
        }
        if (pod.startsWith("new:")) {
            return kpod.pods().create(new io.kpod.spec.PodSpec(pod.substring(4), null, null, null, null, null, null,
                    null, null, null, false, null)).id();
        }
        return kpod.pods().lookup(pod).id();
    }

    /** Builds the spec; {@code args} are the positional image and command. */
    public ContainerSpec toSpec(String image, List<String> command) {
        return toSpec(image, command, null);
    }

    public ContainerSpec toSpec(String image, List<String> command, String podId) {
        Map<String, String> envMap = new LinkedHashMap<>();
        for (Path f : envFiles) {
            readEnvFile(f, envMap);
        }
        for (String e : env) {
            putEnv(e, envMap);
        }
        ProcessSpec process = new ProcessSpec(entrypoint(), command.isEmpty() ? null : command, envMap,
                workdir, user, interactive, tty);
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
        SecuritySpec security = new SecuritySpec(capAdd, capDrop, privileged, readOnly, noNewPrivs, seccomp, mask, unmask);
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
                cpuShares, pidsLimit, ul, keyValues(sysctls, "--sysctl"), shmSize == null ? null : Units.bytes(shmSize));
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
        List<SecretMount> sec = new ArrayList<>();
        for (String s : secrets) {
            sec.add(MountParser.secret(s));
        }
        HealthCheck hc = null;
        if (healthCmd != null && !healthCmd.isEmpty() && !healthCmd.equals("none")) {
            List<String> test = healthCmd.trim().startsWith("[") ? Jsonish.stringArray(healthCmd)
                    : List.of("CMD-SHELL", healthCmd);
            if (!test.isEmpty() && !test.get(0).startsWith("CMD")) {
                List<String> t = new ArrayList<>(List.of("CMD"));
                t.addAll(test);
                test = t;
            }
            hc = new HealthCheck(test, Units.duration(healthInterval), Units.duration(healthTimeout), healthRetries,
                    Units.duration(healthStartPeriod));
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
        io.kpod.spec.NetworkSpec netSpec = new io.kpod.spec.NetworkSpec(names, networkAliases, publish, publishAll,
                ip, mac).withIp6(ip6);
        if (logDriver != null && !List.of("k8s-file", "none", "passthrough").contains(logDriver)) {
            throw KpodException.invalid("unsupported log driver \"" + logDriver + "\": use k8s-file, none or passthrough");
        }
        return new ContainerSpec(name, image, process, security, resources, all, sec, hostname, net,
                keyValues(labels, "--label"), keyValues(annotations, "--annotation"), restart == null ? null : RestartPolicy.parse(restart),
                stopSignal, stopTimeout, rm, init, hc, logDriver, podId, netSpec);
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
