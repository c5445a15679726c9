package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the sandbox plan needs to know about a pod. Network facts that exist only after
 * netavark setup (the pod's IP, the gateway, the network's DNS server and search domain) may
 * be added later with {@link #withNetworkStatus}.
 *
 * @param hostname    the pod's host name; Podman and Kubernetes use the pod name
 * @param dns         the user's DNS settings ({@code --dns*}, {@code dnsConfig}); they win over the network's
 * @param extraHosts  {@code --add-host} entries and Kubernetes {@code hostAliases}, in order
 * @param podIp       the pod's address on its network, or null when unknown or none
 * @param gatewayIp   the network gateway, written as {@code host.containers.internal}; null for none
 * @param networkDns  the DNS servers and search domains netavark reported for the pod's networks
 * @param noHosts     {@code --no-hosts}: the engine does not manage {@code /etc/hosts}
 * @param runRoot     kpod's run root, e.g. {@code /run/kpod}
 */
public record SandboxRequest(
        String podId,
        String podName,
        String hostname,
        Set<Namespace> sharedNamespaces,
        NetworkMode network,
        DnsConfig dns,
        List<HostEntry> extraHosts,
        String podIp,
        String gatewayIp,
        DnsConfig networkDns,
        boolean noHosts,
        Path runRoot) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** Linux HOST_NAME_MAX. */
    private static final int HOSTNAME_MAX = 64;

    public SandboxRequest {
        if (podId == null || !ID.matcher(podId).matches()) {
            throw KpodException.invalid("invalid pod id \"" + podId + "\"");
        }
        if (podName == null || podName.isBlank()) {
            throw KpodException.invalid("a pod needs a name");
        }
        hostname = hostname == null || hostname.isBlank() ? podName : hostname;
        if (hostname.length() > HOSTNAME_MAX || hostname.contains("/") || hostname.chars().anyMatch(Character::isWhitespace)) {
            throw KpodException.invalid("invalid host name \"" + hostname + "\": at most 64 characters, no spaces or slashes");
        }
        EnumSet<Namespace> shared = EnumSet.noneOf(Namespace.class);
        if (sharedNamespaces != null) {
            shared.addAll(sharedNamespaces);
        }
        if (shared.contains(Namespace.MOUNT)) {
            throw KpodException.invalid("containers of a pod cannot share a mount namespace");
        }
        sharedNamespaces = Collections.unmodifiableSet(shared);
        network = network == null ? NetworkMode.loopbackOnly() : network;
        dns = dns == null ? DnsConfig.none() : dns;
        networkDns = networkDns == null ? DnsConfig.none() : networkDns;
        extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
        if (podIp != null && !HostEntry.isIpLiteral(podIp)) {
            throw KpodException.invalid("invalid pod IP \"" + podIp + "\"");
        }
        if (gatewayIp != null && !HostEntry.isIpLiteral(gatewayIp)) {
            throw KpodException.invalid("invalid gateway IP \"" + gatewayIp + "\"");
        }
        Objects.requireNonNull(runRoot, "runRoot");
        if (!runRoot.isAbsolute()) {
            throw KpodException.invalid("the run root must be an absolute path, got " + runRoot);
        }
    }

    public static Builder builder(String podId, String podName, Path runRoot) {
        return new Builder(podId, podName, runRoot);
    }

    /** A copy with what netavark reported for the pod (any argument may be null). */
    public SandboxRequest withNetworkStatus(String podIp, String gatewayIp, DnsConfig networkDns) {
        return new SandboxRequest(podId, podName, hostname, sharedNamespaces, network, dns, extraHosts,
                podIp, gatewayIp, networkDns, noHosts, runRoot);
    }

    /** Whether the pod's members share this namespace through the infra. */
    public boolean shares(Namespace ns) {
        return sharedNamespaces.contains(ns);
    }

    /** Builds a request; everything but id, name and run root has Podman's default. */
    public static final class Builder {
        private final String podId;
        private final String podName;
        private final Path runRoot;
        private String hostname;
        private Set<Namespace> shared = SharedNamespaces.DEFAULT;
        private NetworkMode network = NetworkMode.loopbackOnly();
        private DnsConfig dns = DnsConfig.none();
        private List<HostEntry> extraHosts = List.of();
        private String podIp;
        private String gatewayIp;
        private DnsConfig networkDns = DnsConfig.none();
        private boolean noHosts;

        private Builder(String podId, String podName, Path runRoot) {
            this.podId = podId;
            this.podName = podName;
            this.runRoot = runRoot;
        }

        public Builder hostname(String v) {
            hostname = v;
            return this;
        }

        public Builder share(Set<Namespace> v) {
            shared = v;
            return this;
        }

        public Builder network(NetworkMode v) {
            network = v;
            return this;
        }

        public Builder dns(DnsConfig v) {
            dns = v;
            return this;
        }

        public Builder extraHosts(List<HostEntry> v) {
            extraHosts = v;
            return this;
        }

        public Builder podIp(String v) {
            podIp = v;
            return this;
        }

        public Builder gatewayIp(String v) {
            gatewayIp = v;
            return this;
        }

        public Builder networkDns(DnsConfig v) {
            networkDns = v;
            return this;
        }

        public Builder noHosts(boolean v) {
            noHosts = v;
            return this;
        }

        public SandboxRequest build() {
            return new SandboxRequest(podId, podName, hostname, shared, network, dns, extraHosts,
                    podIp, gatewayIp, networkDns, noHosts, runRoot);
        }
    }
}
