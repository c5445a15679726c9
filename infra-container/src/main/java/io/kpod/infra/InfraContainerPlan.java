package io.kpod.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pod sandbox as data: which namespaces the infra (pause) container creates, where the
 * shared ones are pinned, the OCI namespace lists of the infra and of members, the pause
 * argv and where the pod's etc files live. The engine turns it into config.json files and
 * mounts; nothing here touches the system.
 *
 * <p>Layout under the run root: {@code pods/<podId>/ns/{net,ipc,uts,pid}} (pinned namespace
 * files) and {@code pods/<podId>/{hostname,hosts,resolv.conf}}.
 */
public final class InfraContainerPlan {
    /** The pause process: catatonit in pause mode, as Podman's infra runs it. */
    public static final List<String> PAUSE_ARGS = List.of("/catatonit", "-P");

    /** The order namespaces appear in OCI lists, as Podman writes them. */
    private static final List<Namespace> ORDER = List.of(Namespace.USER, Namespace.NET, Namespace.IPC, Namespace.UTS,
            Namespace.PID, Namespace.MOUNT);

    private final SandboxRequest request;
    private final Path podDir;

    private InfraContainerPlan(SandboxRequest request) {
        this.request = request;
        this.podDir = request.runRoot().resolve("pods").resolve(request.podId());
    }

    public static InfraContainerPlan of(SandboxRequest request) {
        return new InfraContainerPlan(Objects.requireNonNull(request, "request"));
    }

    public SandboxRequest request() {
        return request;
    }

    public List<String> pauseArgs() {
        return PAUSE_ARGS;
    }

    /** Podman's infra name, {@code <first 12 of pod id>-infra}. */
    public String infraContainerName() {
        String id = request.podId();
        return id.substring(0, Math.min(12, id.length())) + "-infra";
    }

    /** The host name the infra sets; it owns the pod's uts namespace. */
    public String hostname() {
        return request.hostname();
    }

    public Path podDir() {
        return podDir;
    }

    public Path namespaceDir() {
        return podDir.resolve("ns");
    }

    public Path hostnameFile() {
        return podDir.resolve("hostname");
    }

    public Path hostsFile() {
        return podDir.resolve("hosts");
    }

    public Path resolvConfFile() {
        return podDir.resolve("resolv.conf");
    }

    /** Whether the engine writes and bind-mounts {@code /etc/hosts} ({@code --no-hosts} turns it off). */
    public boolean managesHosts() {
        return !request.noHosts();
    }

    /** Namespaces the infra's runtime creates new (mount always; net unless host or a given path). */
    public Set<Namespace> createdNamespaces() {
        EnumSet<Namespace> created = EnumSet.of(Namespace.IPC, Namespace.UTS, Namespace.PID, Namespace.MOUNT);
        if (request.shares(Namespace.USER)) {
            created.add(Namespace.USER);
        }
        if (request.network().kind() == NetworkMode.Kind.LOOPBACK) {
            created.add(Namespace.NET);
        }
        return Collections.unmodifiableSet(created);
    }

    /** The infra's {@code linux.namespaces}: the host's netns is simply left out. */
    public List<NamespaceEntry> infraNamespaces() {
        List<NamespaceEntry> out = new ArrayList<>();
        for (Namespace ns : ORDER) {
            if (ns == Namespace.USER && !request.shares(ns)) {
                continue;
            }
            if (ns == Namespace.NET) {
                switch (request.network().kind()) {
                    case HOST:
                        continue;
                    case PATH:
                        out.add(NamespaceEntry.join(ns, request.network().path()));
                        continue;
                    default:
                        break;
                }
            }
            out.add(NamespaceEntry.create(ns));
        }
        return List.copyOf(out);
    }

    /**
     * Namespaces to pin once the infra runs: the shared ones it created. A netns given as a
     * path is already a pinned file and needs none.
     */
    public List<NamespacePin> pins() {
        List<NamespacePin> out = new ArrayList<>();
        Set<Namespace> created = createdNamespaces();
        for (Namespace ns : ORDER) {
            if (ns.shareable() && request.shares(ns) && created.contains(ns)) {
                out.add(new NamespacePin(ns, namespaceDir().resolve(ns.procName())));
            }
        }
        return List.copyOf(out);
    }

    /** The file members join for a shared namespace, if the pod shares it and it is not the host's. */
    public Optional<Path> pinnedPath(Namespace ns) {
        if (!request.shares(ns)) {
            return Optional.empty();
        }
        if (ns == Namespace.NET && request.network().kind() != NetworkMode.Kind.LOOPBACK) {
            return Optional.ofNullable(request.network().path());
        }
        return pins().stream().filter(p -> p.type() == ns).map(NamespacePin::target).findFirst();
    }

    /** A member's {@code linux.namespaces}, joining the pinned files of the shared namespaces. */
    public List<NamespaceEntry> memberNamespaces() {
        return members(ns -> pinnedPath(ns).orElseThrow());
    }

    /**
     * A member's namespaces joining the running infra through {@code /proc/<pid>/ns/*}
     * (before pinning, or when pinning is skipped); a netns given as a path is still joined by path.
     */
    public List<NamespaceEntry> memberNamespaces(long infraPid) {
        return members(ns -> {
            if (ns == Namespace.NET && request.network().kind() == NetworkMode.Kind.PATH) {
                return request.network().path();
            }
            return new NamespacePin(ns, namespaceDir().resolve(ns.procName())).source(infraPid);
        });
    }

    /** Whether a member writes {@code "hostname"}: only when it has a uts namespace of its own. */
    public boolean memberSetsHostname() {
        return !request.shares(Namespace.UTS);
    }

    /** Whether a member has a network namespace of its own (Podman gives it the ping sysctl then). */
    public boolean memberOwnsNetwork() {
        return request.network().ownNamespace() && !request.shares(Namespace.NET);
    }

    private List<NamespaceEntry> members(java.util.function.Function<Namespace, Path> joinPath) {
        List<NamespaceEntry> out = new ArrayList<>();
        for (Namespace ns : ORDER) {
            if (ns == Namespace.NET && request.network().kind() == NetworkMode.Kind.HOST
                    || ns == Namespace.USER && !request.shares(ns)) {
                continue;
            }
            if (ns.shareable() && request.shares(ns)) {
                out.add(NamespaceEntry.join(ns, joinPath.apply(ns)));
            } else {
                out.add(NamespaceEntry.create(ns));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "InfraContainerPlan[pod=" + request.podId() + ", shared=" + request.sharedNamespaces() + ", network=" + request.network() + "]";
    }
}
