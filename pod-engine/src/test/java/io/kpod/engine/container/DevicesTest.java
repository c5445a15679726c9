package io.kpod.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void readsTheHostNodeAndTheSpec() {
        Devices.Device d = Devices.resolve("/dev/null");
        assertThat(d).isEqualTo(new Devices.Device("/dev/null", "c", 1, 3, d.fileMode(), "rwm"));
        assertThat(Devices.resolve("/dev/zero:r")).extracting(Devices.Device::path, Devices.Device::access)
                .containsExactly("/dev/zero", "r");
        assertThat(Devices.resolve("/dev/zero:/dev/myzero:rw")).extracting(Devices.Device::path, Devices.Device::minor)
                .containsExactly("/dev/myzero", 5L);
        assertThatThrownBy(() -> Devices.resolve("/etc/hostname")).hasMessageContaining("is not a device node");
        assertThatThrownBy(() -> Devices.resolve("/dev/null:rel")).hasMessageContaining("expected HOST");
        assertThatThrownBy(() -> Devices.resolve("/dev/nope")).hasMessageContaining("cannot use --device");
    }
}
