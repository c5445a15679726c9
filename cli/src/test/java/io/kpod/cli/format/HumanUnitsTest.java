package io.kpod.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HumanUnitsTest {
    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of(Duration.ofMillis(500), "Less than a second"),
                Arguments.of(Duration.ofSeconds(-5), "Less than a second"),
                Arguments.of(Duration.ofSeconds(1), "1 second"),
                Arguments.of(Duration.ofMillis(5900), "5 seconds"),
                Arguments.of(Duration.ofSeconds(59), "59 seconds"),
                Arguments.of(Duration.ofSeconds(60), "About a minute"),
                Arguments.of(Duration.ofSeconds(119), "About a minute"),
                Arguments.of(Duration.ofSeconds(120), "2 minutes"),
                Arguments.of(Duration.ofMinutes(59), "59 minutes"),
                Arguments.of(Duration.ofMinutes(60), "About an hour"),
                Arguments.of(Duration.ofMinutes(89), "About an hour"),
                Arguments.of(Duration.ofMinutes(90), "2 hours"),
                Arguments.of(Duration.ofHours(47), "47 hours"),
                Arguments.of(Duration.ofMinutes(47 * 60 + 31), "2 days"),
                Arguments.of(Duration.ofDays(13), "13 days"),
                Arguments.of(Duration.ofDays(14), "2 weeks"),
                Arguments.of(Duration.ofDays(59), "8 weeks"),
                Arguments.of(Duration.ofDays(60), "2 months"),
                Arguments.of(Duration.ofDays(729), "24 months"),
                Arguments.of(Duration.ofDays(730), "2 years"),
                Arguments.of(Duration.ofDays(3650), "10 years"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("durations")
    void humanDuration(Duration d, String expected) {
        assertThat(HumanUnits.duration(d)).isEqualTo(expected);
    }

    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(0d, 3, "0B"),
                Arguments.of(999d, 3, "999B"),
                Arguments.of(1000d, 3, "1kB"),
                Arguments.of(4_330_000d, 3, "4.33MB"),
                Arguments.of(999_999d, 3, "1e+03kB"),
                Arguments.of(5.5e9, 3, "5.5GB"),
                Arguments.of(1_234_567d, 4, "1.235MB"),
                Arguments.of(2_746_000d, 4, "2.746MB"),
                Arguments.of(796_000d, 4, "796kB"),
                Arguments.of(12_345d, 3, "12.3kB"));
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @MethodSource("sizes")
    void humanSize(double bytes, int precision, String expected) {
        assertThat(HumanUnits.size(bytes, precision)).isEqualTo(expected);
    }

    @Test
    void imageSizeHasASpaceBeforeTheUnit() {
        assertThat(HumanUnits.imageSize(4_330_000)).isEqualTo("4.33 MB");
        assertThat(HumanUnits.imageSize(999_999)).isEqualTo("1e+03 kB");
        assertThat(HumanUnits.imageSize(12)).isEqualTo("12 B");
        assertThat(HumanUnits.size(2_746_000)).isEqualTo("2.746MB");
    }

    @Test
    void containerColumns() {
        Instant now = Instant.parse("2024-05-01T12:00:00.700Z");
        Instant fiveAgo = Instant.parse("2024-05-01T11:59:55.900Z");
        assertThat(ContainerColumns.status("running", fiveAgo, Instant.EPOCH, 0, "", now)).isEqualTo("Up 5 seconds");
        assertThat(ContainerColumns.status("running", fiveAgo, Instant.EPOCH, 0, "healthy", now))
                .isEqualTo("Up 5 seconds (healthy)");
        assertThat(ContainerColumns.status("exited", Instant.EPOCH, now.minusSeconds(3), 137, null, now))
                .isEqualTo("Exited (137) 3 seconds ago");
        assertThat(ContainerColumns.status("stopped", Instant.EPOCH, now.minusSeconds(120), 0, null, now))
                .isEqualTo("Exited (0) 2 minutes ago");
        assertThat(ContainerColumns.status("created", Instant.EPOCH, Instant.EPOCH, 0, null, now)).isEqualTo("Created");
        assertThat(ContainerColumns.status("paused", Instant.EPOCH, Instant.EPOCH, 0, null, now)).isEqualTo("Paused");
        assertThat(ContainerColumns.created(now.minusSeconds(75), now)).isEqualTo("About a minute ago");
        assertThat(ContainerColumns.command(List.of("sleep", "infinity"), false)).isEqualTo("sleep infinity");
        assertThat(ContainerColumns.command(List.of("/bin/sh", "-c", "while true; do sleep 1; done"), false))
                .isEqualTo("/bin/sh -c while ...");
        assertThat(ContainerColumns.command(List.of("/bin/sh", "-c", "while true; do sleep 1; done"), true))
                .isEqualTo("/bin/sh -c while true; do sleep 1; done");
        assertThat(ContainerColumns.command(List.of("12345678901234567"), false)).isEqualTo("12345678901234567");
        assertThat(ContainerColumns.shortId("0123456789abcdef0123", false)).isEqualTo("0123456789ab");
        assertThat(ContainerColumns.shortId("0123456789abcdef0123", true)).isEqualTo("0123456789abcdef0123");
        assertThat(ContainerColumns.size(12_345, 5_800_000)).isEqualTo("12.3kB (virtual 5.8MB)");
    }
}
