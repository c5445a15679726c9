package io.kpod.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerSpecTest {
    @Test
    void validatesNamesAndConflicts() {
        assertThatThrownBy(() -> new ContainerSpec("../x", "img", null, null, null, null, null, null, null, null,
                null, null, null, null, false, false, null, null, null, null)).hasMessageContaining("invalid container name");
        assertThatThrownBy(() -> new ContainerSpec("ok", "img", null, null, null, null, null, null, null, null,
                null, RestartPolicy.parse("always"), null, null, true, false, null, null, null, null))
                .hasMessageContaining("--rm option conflicts with --restart");
        assertThatThrownBy(() -> ContainerSpec.of(" ")).hasMessageContaining("an image is required");
        assertThat(ContainerSpec.of("img").networkMode()).isEqualTo("bridge");
    }

    @Test
    void volumeMountsNeedAbsoluteDestinations() {
        assertThatThrownBy(() -> new VolumeMount(VolumeMount.Type.BIND, "/a", "rel", List.of()))
                .hasMessageContaining("must be an absolute path");
        assertThat(new VolumeMount(VolumeMount.Type.BIND, "/a", "/b", List.of("ro")).readOnly()).isTrue();
    }

    @Test
    void healthCheckArgv() {
        assertThat(new HealthCheck(List.of("CMD-SHELL", "curl -f x"), null, null, 3, null).argv())
                .containsExactly("/bin/sh", "-c", "curl -f x");
        assertThat(new HealthCheck(List.of("CMD", "true", "x"), null, null, 3, null).argv()).containsExactly("true", "x");
    }

    @Test
    void secretPaths() {
        assertThat(new SecretMount("db", SecretMount.Type.MOUNT, null, 0444, 0, 0).mountPath()).isEqualTo("/run/secrets/db");
        assertThat(new SecretMount("db", SecretMount.Type.MOUNT, "pw", 0444, 0, 0).mountPath()).isEqualTo("/run/secrets/pw");
        assertThat(new SecretMount("db", SecretMount.Type.MOUNT, "/etc/pw", 0444, 0, 0).mountPath()).isEqualTo("/etc/pw");
        assertThat(new SecretMount("db", SecretMount.Type.ENV, null, 0, 0, 0).envName()).isEqualTo("db");
    }
}
