package io.kpod.engine.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdPiecesTest {
    @Test
    void socketAddressesForPathsAndAbstractNames() {
        byte[] path = SdNotify.address("/run/systemd/notify");
        assertThat(path).hasSize(2 + "/run/systemd/notify".length() + 1);
        assertThat(path[0]).isEqualTo((byte) 1);
        assertThat(path[path.length - 1]).isZero();
        byte[] abs = SdNotify.address("@/org/x");
        assertThat(abs).hasSize(2 + "@/org/x".length());
        assertThat(abs[2]).isZero();
        assertThat(abs[3]).isEqualTo((byte) '/');
        assertThatThrownBy(() -> SdNotify.address("/" + "x".repeat(120))).hasMessageContaining("too long");
    }

    @Test
    void ownCgroupIsSystemdsViewOfIt() {
        List<String> hybrid = List.of("9:name=systemd:/system.slice/web.service", "4:memory:/system.slice/web.service",
                "0::/system.slice/web.service");
        assertThat(OwnCgroup.parse(hybrid, false)).isEqualTo("/system.slice/web.service");
        assertThat(OwnCgroup.parse(List.of("0::/user.slice/u.scope"), true)).isEqualTo("/user.slice/u.scope");
        assertThat(OwnCgroup.parse(List.of("9:name=systemd:/", "0::/"), false)).isEqualTo("/");
        assertThat(OwnCgroup.parse(List.of(), false)).isEqualTo("/");
    }
}
