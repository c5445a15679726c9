package io.kpod.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import io.kpod.spec.ResourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainersConfTest {
    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void noFilesMeansPodmansDefaults() {
        EngineConfig c = ContainersConf.load(List.of());
        assertThat(c).isEqualTo(EngineConfig.defaults());
        assertThat(c.defaultCapabilities()).hasSize(11).contains("CAP_SYS_CHROOT").doesNotContain("CAP_NET_RAW");
        assertThat(c.logDriver()).isEqualTo("k8s-file");
        assertThat(c.pidsLimit()).isEqualTo(2048);
        assertThat(c.stopTimeoutSeconds()).isEqualTo(10);
        assertThat(c.shmSizeBytes()).isEqualTo(67108864L);
        assertThat(c.runtime()).isEmpty();
        assertThat(c.defaultSysctls()).containsEntry("net.ipv4.ping_group_range", "0 0");
        assertThat(c.runtimePaths().get("runc")).contains(Path.of("/usr/sbin/runc"), Path.of("/usr/bin/runc"));
    }

    @Test
    void laterFilesOverrideTheKeysTheySet() throws Exception {
        Path packaged = file("usr/containers.conf", """
                [containers]
                default_capabilities = ["CHOWN", "KILL"]
                log_driver = "journald"
                pids_limit = 100
                default_ulimits = ["nofile=1024:2048"]
                env = ["PATH=/bin", "FOO=bar"]
                shm_size = "128m"
                default_sysctls = ["net.ipv4.ping_group_range=0 0", "net.core.somaxconn=1024"]

                [engine]
                runtime = "crun"
                stop_timeout = 30
                conmon_path = ["/opt/conmon"]

                [engine.runtimes]
                runc = ["/opt/runc"]
                kata = ["/opt/kata"]

                [network]
                default_network = "mynet"
                """);
        Path kpod = file("etc/kpod.conf", """
                # kpod's override: only these keys change
                [containers]
                pids_limit = 0
                [engine]
                runtime = "runc"
                [network]
                network_config_dir = "/tmp/nets"
                default_subnet = "10.99.0.0/16"
                """);
        EngineConfig c = ContainersConf.load(List.of(packaged, tmp.resolve("missing.conf"), kpod));

        assertThat(c.sources()).containsExactly(packaged, kpod);
        assertThat(c.runtime()).isEqualTo("runc");
        assertThat(c.pidsLimit()).isZero();
        assertThat(c.logDriver()).isEqualTo("journald");
        assertThat(c.defaultCapabilities()).containsExactly("CAP_CHOWN", "CAP_KILL");
        assertThat(c.defaultUlimits()).containsExactly(new ResourceSpec.Ulimit("nofile", 1024, 2048));
        assertThat(c.env()).containsExactly("PATH=/bin", "FOO=bar");
        assertThat(c.shmSizeBytes()).isEqualTo(128L << 20);
        assertThat(c.defaultSysctls()).containsExactly(Map.entry("net.ipv4.ping_group_range", "0 0"), Map.entry("net.core.somaxconn", "1024"));
        assertThat(c.stopTimeoutSeconds()).isEqualTo(30);
        assertThat(c.conmonPaths()).containsExactly(Path.of("/opt/conmon"));
        assertThat(c.runtimePaths().get("runc")).containsExactly(Path.of("/opt/runc"));
        assertThat(c.runtimePaths().get("kata")).containsExactly(Path.of("/opt/kata"));
        assertThat(c.runtimePaths().get("crun")).isEqualTo(EngineConfig.DEFAULT_RUNTIME_PATHS.get("crun"));
        assertThat(c.defaultNetwork()).isEqualTo("mynet");
        assertThat(c.defaultSubnet()).isEqualTo("10.99.0.0/16");
        assertThat(c.networkConfigDir()).isEqualTo(Path.of("/tmp/nets"));
    }

    @Test
    void badTomlIsOneLineNamingTheFile() throws Exception {
        Path bad = file("bad.conf", "[containers]\npids_limit = = 5\n");
        assertThatThrownBy(() -> ContainersConf.load(List.of(bad)))
                .isInstanceOf(KpodException.class)
                .hasMessageStartingWith(bad + ": invalid TOML at line 2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void wrongTypesNameTheFileAndKey() throws Exception {
        Path f = file("types.conf", "[containers]\npids_limit = \"lots\"\n");
        assertThatThrownBy(() -> ContainersConf.load(List.of(f)))
                .hasMessage(f + ": [containers] pids_limit must be an integer");
        Path g = file("types2.conf", "[containers]\nshm_size = \"big\"\n");
        assertThatThrownBy(() -> ContainersConf.load(List.of(g))).hasMessageContaining("[containers] shm_size must be a size");
        Path h = file("types3.conf", "[containers]\ndefault_ulimits = [\"nofile=abc\"]\n");
        assertThatThrownBy(() -> ContainersConf.load(List.of(h))).hasMessageContaining("nofile=abc");
    }

    @Test
    void environmentSelectsTheFiles() throws Exception {
        Path only = file("only.conf", "[engine]\nruntime = \"crun\"\n");
        Path over = file("over.conf", "[engine]\nstop_timeout = 3\n");
        assertThat(ContainersConf.files(Map.of("CONTAINERS_CONF", only.toString(), "CONTAINERS_CONF_OVERRIDE", over.toString())))
                .containsExactly(only, over);
        EngineConfig c = ContainersConf.load(Map.of("CONTAINERS_CONF", only.toString(), "CONTAINERS_CONF_OVERRIDE", over.toString()));
        assertThat(c.runtime()).isEqualTo("crun");
        assertThat(c.stopTimeoutSeconds()).isEqualTo(3);
        assertThatThrownBy(() -> ContainersConf.files(Map.of("CONTAINERS_CONF", tmp.resolve("nope").toString())))
                .hasMessageContaining("CONTAINERS_CONF names");
    }

    @Test
    void readsTheHostsRealFiles() {
        List<Path> files = ContainersConf.files(Map.of());
        EngineConfig c = ContainersConf.load(files);
        if (Files.isRegularFile(ContainersConf.PACKAGED)) {
            assertThat(files).startsWith(ContainersConf.PACKAGED);
        }
        assertThat(c.defaultCapabilities()).allMatch(s -> s.startsWith("CAP_"));
    }
}
