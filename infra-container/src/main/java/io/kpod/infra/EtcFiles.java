package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The pod's generated {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf},
 * as strings; {@link EtcFileWriter} puts them on disk. Members bind the same hosts and
 * resolv.conf as the infra.
 */
public final class EtcFiles {
    /** The host's files Podman reads as a base. */
    public static final Path HOST_HOSTS = Path.of("/etc/hosts");
    public static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    /** The three files' contents; {@code hosts} is null with {@code --no-hosts}. */
    public record PodEtcFiles(String hostname, String hosts, String resolvConf) {
    }

    private EtcFiles() {
    }

    public static String hostname(String hostname) {
        return hostname + "\n";
    }

    /**
     * The pod's hosts file: extra hosts, the host's entries when on the host network, the
     * localhost lines, {@code host.containers.internal} (the gateway, when known) and the pod's
     * own line {@code <ip>\t<hostname> <infra name>}: the pod IP, or 127.0.0.1 when the pod has
     * only loopback, as Podman writes for {@code --network none}.
     */
    public static String podHosts(InfraContainerPlan plan, String hostEtcHosts) {
        SandboxRequest r = plan.request();
        List<HostEntry> base = r.network().kind() == NetworkMode.Kind.HOST ? HostsFile.parse(hostEtcHosts) : List.of();
        List<String> names = new ArrayList<>(new LinkedHashSet<>(List.of(r.hostname(), plan.infraContainerName())));
        List<HostEntry> own = new ArrayList<>();
        if (r.podIp() != null) {
            own.add(new HostEntry(r.podIp(), names));
        } else if (r.network().kind() == NetworkMode.Kind.LOOPBACK) {
            own.add(new HostEntry("127.0.0.1", names));
        }
        return HostsFile.build(r.extraHosts(), base, r.gatewayIp(), own);
    }

    /** The pod's resolv.conf from the host's file, the network's DNS and the user's settings. */
    public static String podResolvConf(InfraContainerPlan plan, String hostResolvConf, boolean ipv6) {
        SandboxRequest r = plan.request();
        return ResolvConf.build(hostResolvConf, r.network().ownNamespace(), ipv6, r.networkDns(), r.dns());
    }

    /** All three files for the pod. */
    public static PodEtcFiles forPod(InfraContainerPlan plan, String hostEtcHosts, String hostResolvConf, boolean ipv6) {
        return new PodEtcFiles(
                hostname(plan.hostname()),
                plan.managesHosts() ? podHosts(plan, hostEtcHosts) : null,
                podResolvConf(plan, hostResolvConf, ipv6));
    }

    /** All three files for the pod, reading the host's {@code /etc/hosts} and {@code /etc/resolv.conf}. */
    public static PodEtcFiles forPod(InfraContainerPlan plan, boolean ipv6) {
        return forPod(plan, readOrEmpty(HOST_HOSTS), readOrEmpty(HOST_RESOLV_CONF), ipv6);
    }

    /** A file's text, or "" when it does not exist (a host may lack /etc/hosts). */
    public static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw KpodException.internal("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
