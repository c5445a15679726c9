package io.kpod.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VolumesFromTest {
    @Test
    void entriesTakeRoOrRwAndZ() {
        assertThat(VolumesFrom.parse("src")).isEqualTo(new VolumesFrom("src", null));
        assertThat(VolumesFrom.parse("src:ro")).isEqualTo(new VolumesFrom("src", true));
        assertThat(VolumesFrom.parse("src:rw,z")).isEqualTo(new VolumesFrom("src", false));
        assertThat(VolumesFrom.parse("src:z")).isEqualTo(new VolumesFrom("src", null));
        assertThat(VolumesFrom.parse("src:ro").toString()).isEqualTo("src:ro");
    }

    @Test
    void badEntriesAreRefusedAsPodmanRefusesThem() {
        assertThatThrownBy(() -> VolumesFrom.parse(":ro")).hasMessageContaining("the container name is empty");
        assertThatThrownBy(() -> VolumesFrom.parse("src:ro,rw")).hasMessageContaining("ro or rw can be set only once");
        assertThatThrownBy(() -> VolumesFrom.parse("src:z,z")).hasMessageContaining("z can be set only once");
        assertThatThrownBy(() -> VolumesFrom.parse("src:Z"))
                .hasMessageContaining("invalid option \"Z\"").hasMessageContaining("can only use z, ro and rw");
        assertThatThrownBy(() -> VolumesFrom.parse("src:nosuid")).hasMessageContaining("invalid option \"nosuid\"");
        assertThatThrownBy(() -> VolumesFrom.parse("src:")).hasMessageContaining("invalid option \"\"");
    }

    @Test
    void theAnnotationSeparatesEntriesWithSemicolons() {
        assertThat(VolumesFrom.parseList("a:ro;b")).containsExactly(new VolumesFrom("a", true),
                new VolumesFrom("b", null));
        assertThat(VolumesFrom.parseList(null)).isEmpty();
        assertThat(VolumesFrom.entries("a:ro;b")).containsExactly("a:ro", "b");
        assertThatThrownBy(() -> VolumesFrom.parseList("a;;b")).hasMessageContaining("the container name is empty");
    }

    @Test
    void roOrRwReplacesTheSourcesModeElseItIsKept() {
        VolumeMount ro = new VolumeMount(VolumeMount.Type.BIND, "/h", "/d", List.of("ro", "nosuid"));
        VolumeMount plain = new VolumeMount(VolumeMount.Type.VOLUME, "v", "/v", List.of("subpath=x"));
        assertThat(new VolumesFrom("s", null).applyTo(ro)).isEqualTo(ro);
        VolumeMount rw = new VolumesFrom("s", false).applyTo(ro);
        assertThat(rw.readOnly()).isFalse();
        assertThat(rw.options()).containsExactly("rw", "nosuid");
        VolumeMount forced = new VolumesFrom("s", true).applyTo(plain);
        assertThat(forced.readOnly()).isTrue();
        assertThat(forced.options()).containsExactly("ro", "subpath=x");
        assertThat(forced.source()).isEqualTo("v");
        assertThat(forced.destination()).isEqualTo("/v");
    }
}
