package io.kpod.engine.pod;

import io.kpod.engine.EngineContext;
import io.kpod.engine.network.NetworkService;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.network.NetworkStatus;
import java.util.Map;
import io.kpod.engine.sys.FileTrees;
import io.kpod.engine.sys.Libc;
import io.kpod.engine.volume.VolumeService;
import io.kpod.infra.EtcFileWriter;
import io.kpod.infra.EtcFiles;
import io.kpod.infra.InfraContainerPlan;
import io.kpod.infra.NamespacePin;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The pod-level resources that outlive any one process: the pod dir with its generated
 * /etc files, the shared /dev/shm tmpfs, and the pinned namespace files. They are made when
 * the infra first starts and removed only when the whole pod stops, so members keep joining
 * the same namespaces even while the infra process restarts.
 */
public final class PodSandbox {
    private final EngineContext ctx;
    private final NetworkService networks;

    public PodSandbox(EngineContext ctx, NetworkService networks) {
        this.ctx = ctx;
        this.networks = networks;
    }

    /** Where the pod's network set-up is recorded while it runs. */
    public Path optionsFile(PodRecord pod) {
        return plan(pod).podDir().resolve(NetworkService.OPTIONS_FILE);
    }

    /** The pod's pinned network namespace, if it has one of its own. */
    public Optional<Path> netns(PodRecord pod) {
        return plan(pod).pinnedPath(io.kpod.infra.Namespace.NET);
    }

    /**
     * Sets up the pod's bridge network on its pinned netns once per pod start (an infra that
     * restarts rejoins the same netns and keeps its address), then writes the pod's address
     * and DNS servers into the shared /etc/hosts and /etc/resolv.conf. A set-up that a killed
     * kpod left half-done (options recorded, files not yet rewritten) is torn down and made again.
     */
    public void setupNetwork(PodRecord pod, ContainerRecord infra) {
        if (!pod.spec().networkMode().equals("bridge")) {
            return;
        }
        InfraContainerPlan plan = plan(pod);
        Path done = plan.podDir().resolve(NETWORK_DONE);
        if (Files.exists(done) && Files.exists(optionsFile(pod))) {
            return;
        }
        Path netns = plan.pinnedPath(io.kpod.infra.Namespace.NET).orElseThrow(() ->
                KpodException.invalid("pod " + pod.name() + " does not share a network namespace"));
        networks.teardown(netns, optionsFile(pod));
        Map<String, NetworkStatus> status = networks.setup(pod.id(), pod.name(), List.of(infra.shortId()),
                pod.spec().network(), netns, optionsFile(pod));
        String ip = NetworkService.primaryAddress(status).orElse(null);
        String gateway = status.values().stream().flatMap(s -> s.interfaces().values().stream())
                .flatMap(i -> i.subnets().stream()).map(a -> a.gateway()).filter(g -> g != null && !g.contains(":"))
                .findFirst().orElse(null);
        List<String> servers = status.values().stream().flatMap(s -> s.dnsServerIps().stream()).distinct().toList();
        List<String> searches = status.values().stream().flatMap(s -> s.dnsSearchDomains().stream()).distinct().toList();
        InfraContainerPlan withIp = InfraContainerPlan.of(plan.request().withNetworkStatus(ip, gateway,
                new io.kpod.infra.DnsConfig(servers, searches, List.of())));
        EtcFiles.PodEtcFiles files = EtcFiles.forPod(withIp, false);
        if (files.hosts() != null) {
            EtcFileWriter.rewriteInPlace(plan.hostsFile(), files.hosts());
        }
        EtcFileWriter.rewriteInPlace(plan.resolvConfFile(), files.resolvConf());
        String redirects = pod.spec().labels().get(PORT_REDIRECTS);
        if (redirects != null && !redirects.isBlank()) {
            redirectPorts(netns, redirects);
        }
        try {
            Files.createFile(done);
        } catch (IOException e) {
            throw KpodException.internal("cannot write " + done + ": " + e.getMessage(), e);
        }
    }

    /** In the pod dir once its network is set up and its etc files say so; gone with the pod dir. */
    private static final String NETWORK_DONE = "network-done";

    /**
     * A pod label listing {@code port:targetPort/proto} pairs: connections to the pod on
     * {@code port} reach {@code targetPort}, as a Kubernetes Service whose port differs from its
     * targetPort promises. The rules live in the pod's own network namespace and go with it.
     */
    public static final String PORT_REDIRECTS = "io.kpod.port-redirects";

    private void redirectPorts(Path netns, String redirects) {
        for (String r : redirects.split(",")) {
            String[] pp = r.strip().split("/");
            String proto = pp.length > 1 ? pp[1] : "tcp";
            String[] ports = pp[0].split(":");
            if (ports.length != 2 || !ports[0].matches("[0-9]+") || !ports[1].matches("[0-9]+")
                    || !proto.matches("tcp|udp|sctp")) {
                throw KpodException.invalid("invalid port redirect \"" + r + "\": expected port:targetPort/proto");
            }
            for (List<String> rule : List.of(
                    List.of("PREROUTING"),
                    List.of("OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL"))) {
                List<String> argv = new java.util.ArrayList<>(List.of("nsenter", "--net=" + netns, "iptables", "-w",
                        "-t", "nat", "-A"));
                argv.addAll(rule);
                argv.addAll(List.of("-p", proto, "--dport", ports[0], "-j", "REDIRECT", "--to-ports", ports[1]));
                var res = io.kpod.engine.runtime.ProcessRunner.SYSTEM.run(argv, null, null, 30_000);
                if (!res.ok()) {
                    throw KpodException.runtime("cannot redirect port " + ports[0] + " to " + ports[1] + " in pod: "
                            + res.stderr().strip());
                }
            }
        }
    }

    public Optional<PodRecord> pod(String podId) {
        return ctx.store().listNamed("pods", PodRecord.class).stream().filter(p -> p.id().equals(podId)).findFirst();
    }

    public InfraContainerPlan plan(PodRecord pod) {
        return pod.plan(ctx.paths().runRoot());
    }

    public Path shmDir(PodRecord pod) {
        return plan(pod).podDir().resolve("shm");
    }

    /** Writes the etc files and mounts the shared shm, unless they are already there. */
    public void prepare(PodRecord pod) {
        InfraContainerPlan plan = plan(pod);
        try {
            Files.createDirectories(plan.namespaceDir());
            if (!Files.exists(plan.hostnameFile())) {
                EtcFileWriter.writePodFiles(plan, EtcFiles.forPod(plan, false));
            }
            Path shm = shmDir(pod);
            Files.createDirectories(shm);
            if (!VolumeService.isMountPoint(shm)) {
                Libc.mount("shm", shm, "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC,
                        "mode=1777,size=" + (pod.spec().shmSizeBytes() != null ? pod.spec().shmSizeBytes()
                                : ctx.settings().shmSizeBytes()));
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot prepare pod " + pod.name() + ": " + e.getMessage(), e);
        }
    }

    /** The pins the infra should join instead of creating (from an earlier infra of this pod run). */
    public boolean pinned(NamespacePin pin) {
        try {
            return Files.exists(pin.target()) && VolumeService.isMountPoint(pin.target());
        } catch (IOException e) {
            return false;
        }
    }

    /** Bind-mounts the infra's namespaces onto the pin files (a stale pin is replaced). */
    public void pin(PodRecord pod, int infraPid, List<NamespacePin> pins) {
        for (NamespacePin pin : pins) {
            try {
                Path src = pin.source(infraPid);
                if (pinned(pin)) {
                    // the same namespace (same nsfs inode): the infra rejoined it, nothing to do
                    if (Files.getAttribute(src, "unix:ino").equals(Files.getAttribute(pin.target(), "unix:ino"))) {
                        continue;
                    }
                    Libc.unmount(pin.target(), true);
                }
                if (!Files.exists(pin.target())) {
                    Files.createFile(pin.target());
                }
                Libc.mount(src.toString(), pin.target(), "none", Libc.MS_BIND, null);
            } catch (IOException e) {
                throw KpodException.runtime("cannot pin the " + pin.type().procName() + " namespace of pod "
                        + pod.name() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Unpins namespaces, unmounts shm, removes the pod dir and the pod's cgroups. */
    public void teardown(PodRecord pod) {
        InfraContainerPlan plan = plan(pod);
        plan.pinnedPath(io.kpod.infra.Namespace.NET).ifPresent(netns -> networks.teardown(netns, optionsFile(pod)));
        try {
            for (NamespacePin pin : plan.pins()) {
                Libc.unmount(pin.target(), true);
            }
            Libc.unmount(shmDir(pod), true);
            FileTrees.delete(plan.podDir());
        } catch (IOException e) {
            throw KpodException.runtime("cannot tear down pod " + pod.name() + ": " + e.getMessage(), e);
        }
        removeCgroups(pod);
    }

    /** runc deletes only the leaf cgroups; the pod's parent goes from every hierarchy. */
    private static void removeCgroups(PodRecord pod) {
        Path root = Path.of("/sys/fs/cgroup");
        try (var hierarchies = Files.list(root)) {
            for (Path h : hierarchies.toList()) {
                Path dir = h.resolve(pod.cgroupParent().substring(1));
                if (Files.isDirectory(dir)) {
                    try {
                        Files.delete(dir);
                    } catch (IOException e) {
                        // still in use or already gone: a later rm retries
                    }
                }
            }
            Path direct = root.resolve(pod.cgroupParent().substring(1));
            if (Files.isDirectory(direct)) {
                Files.deleteIfExists(direct);
            }
        } catch (IOException e) {
            // cgroupfs not readable: nothing of ours to remove there
        }
    }
}
