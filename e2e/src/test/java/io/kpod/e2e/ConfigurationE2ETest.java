package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** containers.conf, --runtime, env files, labels and annotations, logs -f. */
class ConfigurationE2ETest extends E2EBase {

    @Test
    void containersConfDefaultsReachTheContainer() throws Exception {
        Path conf = kpod.base().resolve("containers.conf");
        Files.writeString(conf, String.join("\n",
                "[containers]",
                "default_capabilities = [\"CHOWN\", \"NET_RAW\"]",
                "default_ulimits = [\"nofile=500:600\"]",
                "pids_limit = 77",
                "env = [\"FROM_CONF=yes\"]",
                ""));
        Map<String, String> env = Map.of("CONTAINERS_CONF", conf.toString());
        String out = kpod.runWithEnv(env, null, "run", "--rm", IMAGE, "sh", "-c",
                "grep CapEff /proc/self/status; ulimit -n; ulimit -Hn; cat /sys/fs/cgroup/pids/pids.max; echo $FROM_CONF")
                .ok().out();
        assertThat(out).isEqualTo("CapEff:\t0000000000002001\n500\n600\n77\nyes\n");
        Files.writeString(conf, "[containers\npids_limit = 1\n");
        KpodHarness.Result bad = kpod.runWithEnv(env, null, "run", "--rm", IMAGE, "true");
        assertThat(bad.code()).isEqualTo(125);
        assertThat(bad.err()).contains(conf.toString()).hasLineCount(1);
    }

    @Test
    void runtimeFlagChoosesTheOciRuntime() {
        assertThat(kpod.ok("--runtime", "runc", "run", "--rm", IMAGE, "echo", "ok").trimmed()).isEqualTo("ok");
        KpodHarness.Result missing = kpod.run("--runtime", "/no/such/runtime", "run", "--rm", IMAGE, "true");
        assertThat(missing.code()).isEqualTo(125);
        assertThat(missing.err()).contains("/no/such/runtime");
        assertThat(kpod.ok("info", "--format", "{{.Host.OciRuntime.Name}}").trimmed()).isIn("runc", "crun");
    }

    @Test
    void envFileLabelsAndAnnotations() throws Exception {
        Path envFile = kpod.base().resolve("app.env");
        Files.writeString(envFile, "# comment\nFROM_FILE=1\nOVERRIDDEN=file\n");
        String out = kpod.ok("run", "--rm", "--env-file", envFile.toString(), "-e", "OVERRIDDEN=flag", IMAGE,
                "sh", "-c", "echo $FROM_FILE $OVERRIDDEN").trimmed();
        assertThat(out).isEqualTo("1 flag");
        kpod.ok("create", "--name", "meta", "--label", "app=web", "--annotation", "io.example/owner=team", IMAGE, "true");
        assertThat(kpod.ok("inspect", "--format", "{{.Config.Labels.app}} {{index .Config.Annotations \"io.example/owner\"}}",
                "meta").trimmed()).isEqualTo("web team");
        String bundle = kpod.ok("inspect", "--format", "{{.OCIConfigPath}}", "meta").trimmed();
        kpod.ok("start", "meta");
        assertThat(KpodHarness.eventually(10, () -> Files.exists(Path.of(bundle)))).isTrue();
        assertThat(Files.readString(Path.of(bundle))).contains("\"io.example/owner\" : \"team\"");
    }

    @Test
    void logsFollowEndsWhenTheContainerExits() {
        kpod.ok("run", "-d", "--name", "ticker", IMAGE, "sh", "-c", "for i in 1 2 3; do echo tick$i; sleep 0.3; done");
        KpodHarness.Result r = kpod.ok("logs", "-f", "ticker");
        assertThat(r.out()).isEqualTo("tick1\ntick2\ntick3\n");
    }
}
