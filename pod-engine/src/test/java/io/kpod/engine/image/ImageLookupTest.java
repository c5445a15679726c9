package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageLookupTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final ImageRecord A = image("abc1", D1, "quay.io/team/tool:latest", "docker.io/library/abc:latest");
    private static final ImageRecord B = image("abc2", "sha256:" + "2".repeat(64), "localhost/tool:latest");
    private static final ImageRecord C = image("fed0", "sha256:" + "3".repeat(64));

    private static ImageRecord image(String idStart, String digest, String... names) {
        return new ImageRecord(idStart + "0".repeat(64 - idStart.length()), List.of(names), digest, "", 0, List.of());
    }

    private static ImageLookup.Match find(String ref) {
        return ImageLookup.find(List.of(A, B, C), ref).orElse(null);
    }

    @Test
    void shortNamesPreferLocalhostThenMatchTrailingComponents() {
        assertThat(find("tool").image()).isEqualTo(B);
        assertThat(find("tool").name()).isEqualTo("localhost/tool:latest");
        assertThat(find("team/tool").image()).isEqualTo(A);
        assertThat(find("quay.io/team/tool").image()).isEqualTo(A);
        assertThat(find("library/abc").image()).isEqualTo(A);
        assertThat(find("tool:2")).isNull();
    }

    @Test
    void idPrefixesMustBeUniqueAndAtLeastThreeCharacters() {
        assertThatThrownBy(() -> find("abc")).isInstanceOf(KpodException.class).hasMessageContaining("ambiguous");
        assertThat(find("abc1").image()).isEqualTo(A);
        assertThat(find("abc1").byId()).isTrue();
        assertThat(find("sha256:abc2").image()).isEqualTo(B);
        assertThat(find("fed").image()).isEqualTo(C);
        assertThat(find("fe")).as("too short: read as a name").isNull();
        assertThat(find("sha256:" + C.id()).image()).isEqualTo(C);
        assertThat(find("f".repeat(64))).isNull();
    }

    @Test
    void digestReferencesNeedTheRepositoryAndTheManifestDigest() {
        assertThat(find("quay.io/team/tool@" + D1).image()).isEqualTo(A);
        assertThat(find("tool@" + D1).image()).isEqualTo(A);
        assertThat(find("quay.io/other/tool@" + D1)).isNull();
        assertThat(find("localhost/tool@" + D1)).isNull();
    }
}
