package io.kpod.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuntimeChoiceTest {
    private static final EngineConfig DEFAULTS = EngineConfig.defaults();
    private static final String HYBRID = String.join("\n",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime shared:9 - cgroup2 cgroup2 rw");
    private static final String LEGACY = String.join("\n",
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory");
    private static final String UNIFIED = "30 23 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate";

    private static Predicate<Path> only(String... paths) {
        Set<Path> set = Set.of(java.util.Arrays.stream(paths).map(Path::of).toArray(Path[]::new));
        return set::contains;
    }

    @Test
    void detectsModesFromMountinfo() {
        assertThat(CgroupMode.fromMountinfo(HYBRID)).isEqualTo(CgroupMode.HYBRID);
        assertThat(CgroupMode.fromMountinfo(LEGACY)).isEqualTo(CgroupMode.LEGACY);
        assertThat(CgroupMode.fromMountinfo(UNIFIED)).isEqualTo(CgroupMode.UNIFIED);
        // a cgroup2 mounted over the tmpfs later wins
        assertThat(CgroupMode.fromMountinfo(HYBRID + "\n99 23 0:50 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw")).isEqualTo(CgroupMode.UNIFIED);
    }

    @Test
    void thisHostIsHybridAndGetsRunc() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/unified")), "not a hybrid host");
        assertThat(CgroupMode.detect()).isEqualTo(CgroupMode.HYBRID);
        RuntimeChoice c = RuntimeChoice.choose(null, DEFAULTS);
        assertThat(c.name()).isEqualTo("runc");
        assertThat(c.path()).isIn(Path.of("/usr/sbin/runc"), Path.of("/usr/bin/runc"));
        assertThat(c.cgroupMode()).isEqualTo(CgroupMode.HYBRID);
        assertThat(RuntimeChoice.findConmon(DEFAULTS)).isEqualTo(Path.of("/usr/bin/conmon"));
    }

    @ParameterizedTest
    @CsvSource({
            "UNIFIED, crun, /usr/bin/crun",
            "HYBRID,  runc, /usr/sbin/runc",
            "LEGACY,  runc, /usr/sbin/runc"})
    void automaticChoiceByCgroupMode(CgroupMode mode, String name, String path) {
        RuntimeChoice c = RuntimeChoice.choose(null, DEFAULTS, mode, only("/usr/bin/crun", "/usr/sbin/runc", "/usr/bin/runc"), List.of());
        assertThat(c.name()).isEqualTo(name);
        assertThat(c.path()).isEqualTo(Path.of(path));
    }

    @Test
    void fallsBackWhenThePreferredRuntimeIsMissing() {
        assertThat(RuntimeChoice.choose(null, DEFAULTS, CgroupMode.UNIFIED, only("/usr/local/bin/runc"), List.of()).path())
                .isEqualTo(Path.of("/usr/local/bin/runc"));
        assertThat(RuntimeChoice.choose(null, DEFAULTS, CgroupMode.LEGACY, only("/usr/bin/crun"), List.of()).name()).isEqualTo("crun");
        // crun refuses hybrid hosts, so it is never picked there automatically
        assertThatThrownBy(() -> RuntimeChoice.choose(null, DEFAULTS, CgroupMode.HYBRID, only("/usr/bin/crun"), List.of()))
                .isInstanceOf(KpodException.class).hasMessage("no OCI runtime found: install runc or crun");
        assertThat(RuntimeChoice.choose(null, DEFAULTS, CgroupMode.HYBRID, only("/opt/bin/runc"), List.of(Path.of("/opt/bin"))).path())
                .isEqualTo(Path.of("/opt/bin/runc"));
    }

    @Test
    void explicitChoiceWins() {
        Predicate<Path> all = only("/usr/bin/crun", "/usr/sbin/runc", "/opt/my-runtime");
        assertThat(RuntimeChoice.choose("crun", DEFAULTS, CgroupMode.HYBRID, all, List.of()).name()).isEqualTo("crun");
        RuntimeChoice byPath = RuntimeChoice.choose("/opt/my-runtime", DEFAULTS, CgroupMode.HYBRID, all, List.of());
        assertThat(byPath.name()).isEqualTo("my-runtime");
        assertThat(byPath.path()).isEqualTo(Path.of("/opt/my-runtime"));
        EngineConfig conf = ContainersConf.parse("[engine]\nruntime = \"crun\"\n", "test.conf");
        assertThat(RuntimeChoice.choose(null, conf, CgroupMode.HYBRID, all, List.of()).name()).isEqualTo("crun");
        assertThat(RuntimeChoice.choose("runc", conf, CgroupMode.HYBRID, all, List.of()).name()).isEqualTo("runc");
        assertThatThrownBy(() -> RuntimeChoice.choose("youki", DEFAULTS, CgroupMode.HYBRID, all, List.of()))
                .hasMessageContaining("OCI runtime \"youki\" not found");
        assertThatThrownBy(() -> RuntimeChoice.choose("/nope/runc", DEFAULTS, CgroupMode.HYBRID, all, List.of()))
                .hasMessageContaining("/nope/runc does not exist");
    }

    @Test
    void conmonFromConfigThenPath() {
        EngineConfig conf = ContainersConf.parse("[engine]\nconmon_path = [\"/opt/conmon\"]\n", "t.conf");
        assertThat(RuntimeChoice.findConmon(conf, only("/opt/conmon", "/usr/bin/conmon"), List.of())).isEqualTo(Path.of("/opt/conmon"));
        assertThat(RuntimeChoice.findConmon(conf, only("/x/conmon"), List.of(Path.of("/x")))).isEqualTo(Path.of("/x/conmon"));
        assertThat(RuntimeChoice.findConmon(DEFAULTS, only("/usr/libexec/podman/conmon", "/usr/bin/conmon"), List.of()))
                .isEqualTo(Path.of("/usr/libexec/podman/conmon"));
        assertThatThrownBy(() -> RuntimeChoice.findConmon(conf, only(), List.of())).hasMessageContaining("install conmon");
    }
}
