package io.kpod.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemdOptionsTest {
    @Test
    void defaultsAreContainerNotifyAndEnabledCgroups() {
        SystemdOptions d = SystemdOptions.defaults();
        assertThat(d.sdNotify()).isEqualTo("container");
        assertThat(d.cgroupsMode()).isEqualTo("enabled");
        assertThat(new SystemdOptions(null, null, "conmon", "", null, null).notifySocket()).isNull();
        assertThat(ContainerSpec.of("img").systemd()).isEqualTo(d);
    }

    @Test
    void rejectsUnknownModesAndSplitWithoutAParent() {
        assertThatThrownBy(() -> new SystemdOptions(null, null, "sometimes", null, null, null))
                .hasMessageContaining("invalid --sdnotify \"sometimes\"");
        assertThatThrownBy(() -> new SystemdOptions(null, null, null, null, "disabled", null))
                .hasMessageContaining("--cgroups=disabled is not supported");
        assertThatThrownBy(() -> new SystemdOptions(null, null, null, null, "weird", null))
                .hasMessageContaining("invalid --cgroups \"weird\"");
        assertThatThrownBy(() -> new SystemdOptions(null, null, null, null, "split", null))
                .hasMessageContaining("--cgroups=split needs");
        assertThat(new SystemdOptions(null, null, null, null, "split", "/system.slice/a.service").cgroupParent())
                .isEqualTo("/system.slice/a.service");
    }

    @Test
    void notifyHealthyNeedsAHealthCheck() {
        SystemdOptions healthy = new SystemdOptions(null, null, "healthy", "/run/x", null, null);
        assertThatThrownBy(() -> ContainerSpec.of("img").withSystemd(healthy))
                .hasMessageContaining("--sdnotify=healthy needs a health check");
        HealthCheck hc = new HealthCheck(List.of("CMD", "true"), Duration.ofSeconds(1), null, 3, null);
        ContainerSpec withCheck = new ContainerSpec(null, "img", null, null, null, null, null, null, null, null, null,
                null, null, null, false, false, hc, null, null, null, healthy, null, null);
        assertThat(withCheck.systemd().sdNotify()).isEqualTo("healthy");
    }

    @Test
    void logOptionsAndNamesAreChecked() {
        assertThatThrownBy(() -> new ContainerSpec(null, "img", null, null, null, null, null, null, null, null, null,
                null, null, null, false, false, null, null, null, null, null, null, Map.of("colour", "red")))
                .hasMessageContaining("unknown --log-opt \"colour\"");
        assertThatThrownBy(() -> new NameResolution(List.of("nohost"), null, null, null))
                .hasMessageContaining("expected HOST:IP");
        NameResolution dns = new NameResolution(null, List.of("9.9.9.9"), null, null);
        assertThatThrownBy(() -> new ContainerSpec(null, "img", null, null, null, null, null, null, null, null, null,
                null, null, null, false, false, null, null, "podid", null, null, dns, null))
                .hasMessageContaining("must be set on the pod");
    }

    @Test
    void healthCheckOnFailureAndPodExitPolicy() {
        assertThat(new HealthCheck(List.of("CMD", "true"), null, null, 3, null).onFailure()).isEqualTo("none");
        assertThatThrownBy(() -> new HealthCheck(List.of("CMD", "true"), null, null, 3, null, "explode", 5, 500))
                .hasMessageContaining("invalid health check on-failure action");
        assertThat(new PodSpec(null, null, null, null, null, null, null, null, null, null, false, null).exitPolicy())
                .isEqualTo("continue");
        assertThatThrownBy(() -> new PodSpec(null, null, null, null, null, null, null, null, null, null, false, null,
                "later", null)).hasMessageContaining("invalid pod exit policy");
    }
}
