package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledUnitsTest {
    @TempDir
    Path tmp;

    @Test
    void installDirFollowsQuadletUnitDirsThenRootAndUserDefaults() {
        assertThat(InstalledUnits.installDir(false, Map.of("QUADLET_UNIT_DIRS", "rel:/a:/b"))).isEqualTo(Path.of("/a"));
        assertThat(InstalledUnits.installDir(false, Map.of())).isEqualTo(Path.of("/etc/containers/systemd"));
        assertThat(InstalledUnits.installDir(true, Map.of("HOME", "/home/u")))
                .isEqualTo(Path.of("/home/u/.config/containers/systemd"));
    }

    @Test
    void installListPrintAndRemoveAnApplication() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/myapp"));
        Files.writeString(src.resolve("web.container"), "[Container]\nImage=i\n");
        Files.writeString(src.resolve("db.container"), "[Container]\nImage=i\nServiceName=database\n");
        Files.writeString(src.resolve("app.yaml"), "kind: Pod\n");
        Path single = Files.writeString(tmp.resolve("src/data.volume"), "[Volume]\n");
        Path dir = tmp.resolve("units");
        Path other = Files.createDirectories(tmp.resolve("distro"));
        Files.writeString(other.resolve("vendor.network"), "[Network]\n");
        InstalledUnits units = new InstalledUnits(dir, List.of(dir, other));

        assertThat(units.install(List.of(src), false)).containsExactly(dir.resolve("app.yaml"),
                dir.resolve("db.container"), dir.resolve("web.container"));
        units.install(List.of(single), false);
        assertThatThrownBy(() -> units.install(List.of(single), false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--replace");
        units.install(List.of(single), true);
        assertThatThrownBy(() -> units.install(List.of(src.resolve("app.yaml")), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Quadlet file");

        assertThat(units.list()).containsExactly(
                new InstalledUnits.Installed("data.volume", "data-volume.service", dir.resolve("data.volume"), ""),
                new InstalledUnits.Installed("db.container", "database.service", dir.resolve("db.container"), "myapp"),
                new InstalledUnits.Installed("vendor.network", "vendor-network.service", other.resolve("vendor.network"), ""),
                new InstalledUnits.Installed("web.container", "web.service", dir.resolve("web.container"), "myapp"));
        assertThat(units.print("db.container")).isEqualTo("[Container]\nImage=i\nServiceName=database\n");
        assertThatThrownBy(() -> units.print("nope.container")).isInstanceOf(InstalledUnits.NoSuchUnitException.class);
        assertThatThrownBy(() -> units.filesOf("vendor.network")).isInstanceOf(IllegalStateException.class);

        units.delete(units.filesOf("web.container"));
        assertThat(units.list()).extracting(InstalledUnits.Installed::name).containsExactly("data.volume", "vendor.network");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("data.volume");
        }
    }

    @Test
    void aQuadletsFileIsSeveralUnitsOfOneApplication() throws Exception {
        Path src = Files.writeString(tmp.resolve("stack.quadlets"), """
                # FileName=web
                [Container]
                Image=i
                ---
                # FileName=data.volume
                [Volume]
                ---
                """);
        Path dir = tmp.resolve("units");
        InstalledUnits units = new InstalledUnits(dir, List.of(dir));
        assertThat(units.install(List.of(src), false)).containsExactly(dir.resolve("web.container"),
                dir.resolve("data.volume"));
        assertThat(Files.readString(dir.resolve("web.container"))).isEqualTo("# FileName=web\n[Container]\nImage=i\n");
        assertThat(units.list()).extracting(InstalledUnits.Installed::app).containsExactly("stack", "stack");
        Files.writeString(src, "[Container]\nImage=i\n");
        assertThatThrownBy(() -> units.install(List.of(src), true)).hasMessageContaining("FileName=NAME");
    }
}
