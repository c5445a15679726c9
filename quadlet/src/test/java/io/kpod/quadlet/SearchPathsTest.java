package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchPathsTest {
    @TempDir
    Path root;
    private SearchPaths paths;

    @BeforeEach
    void layout() throws IOException {
        for (String dir : List.of("run", "etc/apps", "etc/users/1000", "etc/users/2000", "etc/users/common", "usr",
                "etc/web.container.d", "home/.config/containers/systemd", "xdg/containers/systemd")) {
            Files.createDirectories(root.resolve(dir));
        }
        paths = new SearchPaths(root.resolve("run"), root.resolve("etc"), root.resolve("usr"));
    }

    @Test
    void rootfulSearchesRunEtcUsrWithoutUserDirs() {
        assertThat(paths.unitDirs(false, Map.of(), 0)).containsExactly(
                root.resolve("run"), root.resolve("etc"), root.resolve("etc/apps"), root.resolve("usr"));
    }

    @Test
    void rootlessSearchesRuntimeConfigThenSharedAndOwnUserDirs() {
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", root.resolve("xdg").toString(),
                "HOME", root.resolve("home").toString());
        assertThat(paths.unitDirs(true, env, 1000)).containsExactly(
                root.resolve("xdg/containers/systemd"), root.resolve("home/.config/containers/systemd"),
                root.resolve("etc/users"), root.resolve("etc/users/common"), root.resolve("etc/users/1000"));
    }

    @Test
    void quadletUnitDirsOverridesEverything() {
        assertThat(paths.unitDirs(true, Map.of("QUADLET_UNIT_DIRS", root.resolve("usr") + ":" + root.resolve("run")), 0))
                .containsExactly(root.resolve("usr"), root.resolve("run"));
    }

    @Test
    void theAdminDirectoryWinsOverTheDistributionOne() throws IOException {
        Files.writeString(root.resolve("etc/web.container"), "[Container]\nImage=localhost/admin\n");
        Files.writeString(root.resolve("usr/web.container"), "[Container]\nImage=localhost/distro\n");
        Files.writeString(root.resolve("usr/db.container"), "[Container]\nImage=localhost/db\n");
        UnitLoader.Loaded loaded = UnitLoader.load(paths.unitDirs(false, Map.of(), 0));
        assertThat(loaded.units()).extracting(UnitFile::fileName).containsExactly("web.container", "db.container");
        assertThat(loaded.units().get(0).lookup("Container", "Image")).contains("localhost/admin");
    }
}
