package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
    private static final String D = "sha256:" + "ab".repeat(32);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "busybox                        | -              | busybox          | latest | -    | busybox:latest",
        "busybox:1.36                   | -              | busybox          | 1.36   | -    | busybox:1.36",
        "library/busybox                | -              | library/busybox  | latest | -    | library/busybox:latest",
        "docker.io/library/nginx:1.27   | docker.io      | library/nginx    | 1.27   | -    | docker.io/library/nginx:1.27",
        "docker.io/nginx                | docker.io      | library/nginx    | latest | -    | docker.io/library/nginx:latest",
        "index.docker.io/nginx          | docker.io      | library/nginx    | latest | -    | docker.io/library/nginx:latest",
        "localhost:5000/app:2           | localhost:5000 | app              | 2      | -    | localhost:5000/app:2",
        "localhost/busybox              | localhost      | busybox          | latest | -    | localhost/busybox:latest",
        "quay.io/org/sub/app_x-1.y:v1.0 | quay.io        | org/sub/app_x-1.y| v1.0   | -    | quay.io/org/sub/app_x-1.y:v1.0",
        "[::1]:5000/app                 | [::1]:5000     | app              | latest | -    | [::1]:5000/app:latest",
        "Registry/app                   | Registry       | app              | latest | -    | Registry/app:latest",
    })
    void parsesAndNormalizes(String text, String registry, String repo, String tag, String digest, String canonical) {
        ImageReference r = ImageReference.parse(text);
        assertThat(r.registry()).isEqualTo(registry);
        assertThat(r.repository()).isEqualTo(repo);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.digest()).isEqualTo(digest);
        assertThat(r).hasToString(canonical);
        assertThat(r.isShortName()).isEqualTo(registry == null);
    }

    @Test
    void digestReferencesHaveNoDefaultTag() {
        ImageReference r = ImageReference.parse("quay.io/org/app@" + D);
        assertThat(r.tag()).isNull();
        assertThat(r.digest()).isEqualTo(D);
        assertThat(r).hasToString("quay.io/org/app@" + D);
        assertThat(ImageReference.parse("app:1@" + D)).hasToString("app:1@" + D);
    }

    @Test
    void shortNamesQualifyAndMatchByLastComponents() {
        ImageReference shortName = ImageReference.parse("busybox");
        assertThat(shortName.qualify("localhost")).hasToString("localhost/busybox:latest");
        assertThat(shortName.qualify("docker.io")).hasToString("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("quay.io/x/y").qualify("localhost")).hasToString("quay.io/x/y:latest");
        assertThat(shortName.matchesShortName(ImageReference.parse("quay.io/foo/busybox:latest"))).isTrue();
        assertThat(shortName.matchesShortName(ImageReference.parse("quay.io/foo/busybox:1"))).isFalse();
        assertThat(shortName.matchesShortName(ImageReference.parse("quay.io/foo/mybusybox:latest"))).isFalse();
        assertThat(ImageReference.parse("foo/busybox").matchesShortName(ImageReference.parse("quay.io/foo/busybox")))
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Busybox/App               | lowercase",
        "busybox:                  | tag",
        "busybox:-bad              | tag",
        "busybox@sha256:abc        | digest",
        "busybox@md5:" + "00"      + "| digest",
        "a//b                      | repository path component",
        "/busybox                  | repository path component",
        "busybox/                  | repository path component",
        "bad_-name                 | repository path component",
        "quay.io/                  | repository name is empty",
        "exa mple                  | repository path component",
        "0123456789012345678901234567890123456789012345678901234567890123 | image ID",
    })
    void rejectsBadReferencesWithAClearMessage(String text, String why) {
        assertThatThrownBy(() -> ImageReference.parse(text.trim()))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageStartingWith("invalid image reference \"" + text.trim() + "\"")
                .hasMessageContaining(why);
    }

    @Test
    void rejectsEmptyAndOverlongNames() {
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageReference.parse("a/".repeat(130) + "b")).hasMessageContaining("longer than 255");
    }

    @Test
    void recognizesFullIds() {
        assertThat(ImageReference.isFullId("ab".repeat(32))).isTrue();
        assertThat(ImageReference.isFullId("sha256:" + "ab".repeat(32))).isTrue();
        assertThat(ImageReference.isFullId("abc")).isFalse();
    }
}
