package io.kpod.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class InfraContainerPlanTest {
    private static final Path RUN = Path.of("/run/kpod");

    /** Renders entries as "type" for new and "type=path" for joined, to compare whole lists. */
    private static List<String> show(List<NamespaceEntry> entries) {
        return entries.stream().map(e -> e.isNew() ? e.ociType() : e.ociType() + "=" + e.path()).collect(Collectors.toList());
    }

    @Test
    void defaultPodWithLoopbackOnly() {
        InfraContainerPlan plan = InfraContainerPlan.of(SandboxRequest.builder("0123456789abcdef", "p1", RUN).build());

        assertThat(plan.pauseArgs()).containsExactly("/catatonit", "-P");
        assertThat(plan.hostname()).isEqualTo("p1");
        assertThat(plan.infraContainerName()).isEqualTo("0123456789ab-infra");
        assertThat(plan.createdNamespaces()).containsExactlyInAnyOrder(Namespace.NET, Namespace.IPC, Namespace.UTS, Namespace.PID, Namespace.MOUNT);
        assertThat(show(plan.infraNamespaces())).containsExactly("network", "ipc", "uts", "pid", "mount");
        assertThat(plan.pins()).extracting(NamespacePin::target).containsExactly(
                Path.of("/run/kpod/pods/0123456789abcdef/ns/net"),
                Path.of("/run/kpod/pods/0123456789abcdef/ns/ipc"),
                Path.of("/run/kpod/pods/0123456789abcdef/ns/uts"));
        assertThat(show(plan.memberNamespaces())).containsExactly(
                "network=/run/kpod/pods/0123456789abcdef/ns/net",
                "ipc=/run/kpod/pods/0123456789abcdef/ns/ipc",
                "uts=/run/kpod/pods/0123456789abcdef/ns/uts",
                "pid", "mount");
        assertThat(plan.memberSetsHostname()).isFalse();
        assertThat(plan.memberOwnsNetwork()).isFalse();
        assertThat(plan.hostsFile()).isEqualTo(Path.of("/run/kpod/pods/0123456789abcdef/hosts"));
        assertThat(plan.resolvConfFile()).isEqualTo(Path.of("/run/kpod/pods/0123456789abcdef/resolv.conf"));
        assertThat(plan.hostnameFile()).isEqualTo(Path.of("/run/kpod/pods/0123456789abcdef/hostname"));
    }

    @Test
    void pinnedNetnsPathIsJoinedNotPinnedAgain() {
        Path netns = Path.of("/run/netns/kpod-p1");
        InfraContainerPlan plan = InfraContainerPlan.of(SandboxRequest.builder("p1id", "p1", RUN)
                .network(NetworkMode.path(netns)).share(SharedNamespaces.parse("+pid")).build());

        assertThat(plan.createdNamespaces()).doesNotContain(Namespace.NET);
        assertThat(show(plan.infraNamespaces())).containsExactly("network=/run/netns/kpod-p1", "ipc", "uts", "pid", "mount");
        assertThat(plan.pins()).extracting(NamespacePin::type).containsExactly(Namespace.IPC, Namespace.UTS, Namespace.PID);
        assertThat(plan.pinnedPath(Namespace.NET)).contains(netns);
        assertThat(show(plan.memberNamespaces())).containsExactly(
                "network=/run/netns/kpod-p1",
                "ipc=/run/kpod/pods/p1id/ns/ipc",
                "uts=/run/kpod/pods/p1id/ns/uts",
                "pid=/run/kpod/pods/p1id/ns/pid",
                "mount");
        assertThat(show(plan.memberNamespaces(4242))).containsExactly(
                "network=/run/netns/kpod-p1",
                "ipc=/proc/4242/ns/ipc",
                "uts=/proc/4242/ns/uts",
                "pid=/proc/4242/ns/pid",
                "mount");
    }

    @Test
    void hostNetworkLeavesTheNetworkNamespaceOut() {
        InfraContainerPlan plan = InfraContainerPlan.of(SandboxRequest.builder("h1", "h1", RUN).network(NetworkMode.host()).build());

        assertThat(show(plan.infraNamespaces())).containsExactly("ipc", "uts", "pid", "mount");
        assertThat(plan.pins()).extracting(NamespacePin::type).containsExactly(Namespace.IPC, Namespace.UTS);
        assertThat(plan.pinnedPath(Namespace.NET)).isEmpty();
        assertThat(show(plan.memberNamespaces())).containsExactly("ipc=/run/kpod/pods/h1/ns/ipc", "uts=/run/kpod/pods/h1/ns/uts", "pid", "mount");
        assertThat(plan.memberOwnsNetwork()).isFalse();
    }

    @Test
    void sharingNothingGivesMembersTheirOwnNamespaces() {
        InfraContainerPlan plan = InfraContainerPlan.of(SandboxRequest.builder("n1", "n1", RUN).share(SharedNamespaces.parse("none")).build());

        assertThat(plan.pins()).isEmpty();
        assertThat(show(plan.memberNamespaces())).containsExactly("network", "ipc", "uts", "pid", "mount");
        assertThat(plan.memberSetsHostname()).isTrue();
        assertThat(plan.memberOwnsNetwork()).isTrue();
    }

    @Test
    void pinSourceIsTheInfraProcNamespaceFile() {
        NamespacePin pin = new NamespacePin(Namespace.UTS, Path.of("/x/uts"));
        assertThat(pin.source(77)).isEqualTo(Path.of("/proc/77/ns/uts"));
        assertThatThrownBy(() -> pin.source(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestValidation() {
        assertThatThrownBy(() -> SandboxRequest.builder("../x", "p", RUN).build()).isInstanceOf(KpodException.class).hasMessageContaining("pod id");
        assertThatThrownBy(() -> SandboxRequest.builder("a", "p", Path.of("rel")).build()).isInstanceOf(KpodException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> SandboxRequest.builder("a", "p", RUN).hostname("x".repeat(65)).build()).hasMessageContaining("host name");
        assertThatThrownBy(() -> SandboxRequest.builder("a", "p", RUN).podIp("10.0.0.300").build()).hasMessageContaining("pod IP");
        assertThatThrownBy(() -> NetworkMode.path(Path.of("netns"))).hasMessageContaining("absolute");
        SandboxRequest r = SandboxRequest.builder("a", "p", RUN).build();
        assertThat(r.hostname()).isEqualTo("p");
        SandboxRequest withNet = r.withNetworkStatus("10.77.0.10", "10.77.0.1", new DnsConfig(List.of("10.77.0.1"), List.of("dns.podman"), null));
        assertThat(withNet.podIp()).isEqualTo("10.77.0.10");
        assertThat(withNet.networkDns().searches()).containsExactly("dns.podman");
    }
}
