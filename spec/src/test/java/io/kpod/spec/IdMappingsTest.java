package io.kpod.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdMappingsTest {
    @Test
    void gidsFollowUidsWhenNotGivenAndIdsTranslate() {
        IdMappings m = IdMappings.of(List.of("0:100000:1000", "1000:5000:1"), List.of());
        assertThat(m.gids()).isEqualTo(m.uids());
        assertThat(m.hostUid(0)).isEqualTo(100000);
        assertThat(m.hostUid(999)).isEqualTo(100999);
        assertThat(m.hostUid(1000)).isEqualTo(5000);
        assertThat(m.hostUid(1001)).isEqualTo(-1);
        assertThat(m.hostGid(5)).isEqualTo(100005);
        assertThat(m.mode()).isEqualTo("private");
        assertThat(m.key()).hasSize(16).isEqualTo(IdMappings.of(List.of("0:100000:1000", "1000:5000:1"), List.of()).key())
                .isNotEqualTo(IdMappings.of(List.of("0:100001:1000", "1000:5000:1"), List.of()).key());
    }

    @Test
    void badMappingsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> IdMappings.of(List.of("0:1:x"), List.of())).hasMessageContaining("CONTAINER_ID:HOST_ID:SIZE");
        assertThatThrownBy(() -> IdMappings.of(List.of("+0:1:1"), List.of())).hasMessageContaining("rootless");
        assertThatThrownBy(() -> IdMappings.of(List.of("0:1000:10", "5:3000:10"), List.of()))
                .hasMessageContaining("overlap in the container");
        assertThatThrownBy(() -> IdMappings.of(List.of("0:1000:10", "20:1005:10"), List.of()))
                .hasMessageContaining("overlap on the host");
        assertThatThrownBy(() -> IdMappings.of(List.of(), List.of("0:1:1"))).hasMessageContaining("--gidmap needs --uidmap");
        assertThatThrownBy(() -> IdMappings.of(List.of("0:4294967290:10"), List.of())).hasMessageContaining("IDs are 0 to");
    }

    @Test
    void anAutoRequestIsResolvedByAllocation() {
        IdMappings req = IdMappings.auto(2048L);
        assertThat(req.resolved()).isFalse();
        IdMappings done = req.allocated(List.of(new IdMappings.IdMap(0, 1L << 30, 2048)),
                List.of(new IdMappings.IdMap(0, 1L << 30, 2048)));
        assertThat(done.resolved()).isTrue();
        assertThat(done.mode()).isEqualTo("auto");
        assertThat(done.hostGid(1)).isEqualTo((1L << 30) + 1);
    }
}
