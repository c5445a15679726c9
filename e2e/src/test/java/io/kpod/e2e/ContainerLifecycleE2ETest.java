package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** run/exec/logs/stop/rm, --rm, restart policies and exit codes on the real runtime. */
class ContainerLifecycleE2ETest extends E2EBase {

    @Test
    void runExecLogsStopRemove() {
        String id = kpod.ok("run", "-d", "--name", "web", IMAGE, "sh", "-c",
                "echo started; echo oops >&2; exec sleep 300").trimmed();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(kpod.ok("exec", "web", "cat", "/proc/1/cmdline").out()).startsWith("sleep");
        assertThat(KpodHarness.eventually(10, () -> kpod.run("logs", "web").out().contains("started"))).isTrue();
        KpodHarness.Result logs = kpod.ok("logs", "web");
        assertThat(logs.out()).isEqualTo("started\n");
        assertThat(logs.err()).isEqualTo("oops\n");
        assertThat(kpod.ok("ps", "--format", "{{.Names}} {{.State}}").out()).isEqualTo("web running\n");
        assertThat(kpod.ok("inspect", "--format", "{{.State.Status}} {{.Config.Hostname}}", "web").trimmed())
                .isEqualTo("running " + id.substring(0, 12));
        kpod.ok("stop", "-t", "1", "web");
        JsonNode st = kpod.json("inspect", "web").get(0).get("State");
        assertThat(st.get("Status").asText()).isEqualTo("exited");
        assertThat(st.get("ExitCode").asInt()).isEqualTo(137);
        assertThat(kpod.mounts()).as("rootfs unmounted after stop").isEmpty();
        kpod.ok("start", "web");
        assertThat(kpod.ok("exec", "web", "hostname").trimmed()).isEqualTo(id.substring(0, 12));
        KpodHarness.Result rm = kpod.run("rm", "web");
        assertThat(rm.code()).isEqualTo(2);
        assertThat(rm.err()).contains("cannot remove container").contains("without force");
        assertThat(kpod.ok("rm", "-f", "-t", "0", "web").trimmed()).isEqualTo(id);
        assertThat(kpod.run("inspect", "web").code()).isEqualTo(125);
    }

    @Test
    void runAttachedReturnsTheContainersExitCodeAndOutput() {
        KpodHarness.Result r = kpod.run("run", "--name", "att", IMAGE, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
        assertThat(kpod.ok("ps", "-a", "--format", "{{.Names}} {{.Status}}").out()).startsWith("att Exited (3)");
        assertThat(kpod.ok("wait", "att").trimmed()).isEqualTo("3");
    }

    @Test
    void interactiveRunFeedsStdinAndTtyGivesATerminal() throws Exception {
        KpodHarness.Result r = kpod.runWithInput("line one\nline two\n", "run", "--rm", "-i", IMAGE, "sh", "-c",
                "cat; echo done >&2; exit 6");
        assertThat(r.code()).isEqualTo(6);
        assertThat(r.out()).isEqualTo("line one\nline two\n");
        assertThat(r.err()).isEqualTo("done\n");
        // a real terminal on our side: script(1) gives kpod a pty
        String kpodCmd = String.join(" ", java.util.List.of(System.getProperty("kpod.bin")))
                + " " + String.join(" ", kpod.globalArgs());
        Process p = new ProcessBuilder("script", "-qec", kpodCmd + " run --rm -it " + IMAGE
                + " sh -c 'tty; test -t 0 && echo stdin-is-a-tty; exit 5'", "/dev/null")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(5);
        assertThat(out).contains("/dev/pts/").contains("stdin-is-a-tty");
        kpod.ok("run", "-d", "--name", "term", IMAGE, "sleep", "300");
        Process e = new ProcessBuilder("script", "-qec", kpodCmd + " exec -it term sh -c 'tty; exit 7'", "/dev/null")
                .redirectErrorStream(true).start();
        String eout = new String(e.getInputStream().readAllBytes());
        assertThat(e.waitFor()).isEqualTo(7);
        assertThat(eout).contains("/dev/pts/");
        assertThat(kpod.ok("exec", "term", "sh", "-c", "tty || true").trimmed()).isEqualTo("not a tty");
    }

    @Test
    void removeOnExitLeavesNothing() {
        KpodHarness.Result r = kpod.run("run", "--rm", "-v", "/data", IMAGE, "sh", "-c", "echo bye; exit 4");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.out()).isEqualTo("bye\n");
        assertThat(KpodHarness.eventually(15, () -> kpod.run("ps", "-aq").out().isBlank())).isTrue();
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).as("anonymous volume removed").isEmpty();
    }

    @Test
    void restartOnFailureRunsThreeTimes() {
        kpod.ok("run", "-d", "--name", "flaky", "--restart", "on-failure:2", IMAGE, "sh", "-c", "echo run; exit 1");
        assertThat(KpodHarness.eventually(30, () -> {
            JsonNode s = kpod.json("inspect", "flaky").get(0);
            return s.get("State").get("Status").asText().equals("exited") && s.get("RestartCount").asInt() == 2
                    && kpod.conmons().isEmpty();
        })).as("restarted twice, then stopped").isTrue();
        // a restart could only follow a cleanup, so wait a moment more and check it stayed down
        assertThat(KpodHarness.eventually(2, () -> false)).isFalse();
        JsonNode s = kpod.json("inspect", "flaky").get(0);
        assertThat(s.get("RestartCount").asInt()).isEqualTo(2);
        assertThat(s.get("State").get("ExitCode").asInt()).isEqualTo(1);
        assertThat(kpod.ok("logs", "flaky").out()).isEqualTo("run\nrun\nrun\n");
    }

    @Test
    void restartAlwaysComesBackAfterExitButNotAfterStop() {
        kpod.ok("run", "-d", "--name", "always", "--restart", "always", IMAGE, "sh", "-c", "sleep 0.3; exit 0");
        assertThat(KpodHarness.eventually(30, () ->
                kpod.json("inspect", "always").get(0).get("RestartCount").asInt() >= 2)).isTrue();
        kpod.ok("stop", "-t", "0", "always");
        int count = kpod.json("inspect", "always").get(0).get("RestartCount").asInt();
        assertThat(KpodHarness.eventually(2, () -> false)).isFalse();
        JsonNode s = kpod.json("inspect", "always").get(0);
        assertThat(s.get("State").get("Status").asText()).isEqualTo("exited");
        assertThat(s.get("RestartCount").asInt()).isEqualTo(count);
    }

    @Test
    void execPassesExitCodesEnvUserAndWorkdir() {
        kpod.ok("run", "-d", "--name", "box", "-e", "FOO=bar", IMAGE, "sleep", "300");
        assertThat(kpod.run("exec", "box", "sh", "-c", "exit 42").code()).isEqualTo(42);
        assertThat(kpod.ok("exec", "box", "sh", "-c", "echo $FOO").trimmed()).isEqualTo("bar");
        assertThat(kpod.ok("exec", "-e", "FOO=baz", "box", "sh", "-c", "echo $FOO").trimmed()).isEqualTo("baz");
        assertThat(kpod.ok("exec", "-u", "nobody", "box", "id", "-u").trimmed()).isEqualTo("65534");
        assertThat(kpod.ok("exec", "-w", "/tmp", "box", "pwd").trimmed()).isEqualTo("/tmp");
        assertThat(kpod.ok("exec", "-i", "box", "cat").out()).isEmpty();
        assertThat(kpod.runWithInput("piped\n", "exec", "-i", "box", "cat").ok().out()).isEqualTo("piped\n");
        KpodHarness.Result missing = kpod.run("exec", "box", "no-such-command");
        assertThat(missing.code()).isEqualTo(127);
        assertThat(kpod.run("exec", "box", "/etc/passwd").code()).isEqualTo(126);
    }

    @Test
    void killStopSignalAndInit() {
        kpod.ok("run", "-d", "--name", "trap", "--init", "--stop-signal", "USR1", IMAGE, "sh", "-c",
                "trap 'echo got-usr1; exit 7' USR1; while true; do sleep 0.1; done");
        assertThat(kpod.ok("exec", "trap", "cat", "/proc/1/cmdline").out()).startsWith("/run/podman-init");
        kpod.ok("stop", "-t", "10", "trap");
        JsonNode s = kpod.json("inspect", "trap").get(0).get("State");
        assertThat(s.get("ExitCode").asInt()).isEqualTo(7);
        assertThat(kpod.ok("logs", "trap").out()).contains("got-usr1");
        kpod.ok("start", "trap");
        kpod.ok("kill", "-s", "KILL", "trap");
        assertThat(kpod.ok("wait", "trap").trimmed()).isEqualTo("137");
    }

    @Test
    void logsTailTimestampsAndSince() {
        kpod.ok("run", "--name", "lines", IMAGE, "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done");
        assertThat(kpod.ok("logs", "--tail", "2", "lines").out()).isEqualTo("line4\nline5\n");
        assertThat(kpod.ok("logs", "-t", "--tail", "1", "lines").out())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+[+-Z].* line5\\n");
        assertThat(kpod.ok("logs", "--since", "2099-01-01T00:00:00Z", "lines").out()).isEmpty();
        assertThat(kpod.ok("logs", "--since", "10m", "lines").out()).contains("line1");
    }

    @Test
    void psFormatsAndFilters() {
        kpod.ok("run", "-d", "--name", "one", "--label", "tier=web", IMAGE, "sleep", "300");
        kpod.ok("create", "--name", "two", IMAGE, "true");
        assertThat(kpod.ok("ps", "--format", "{{.Names}}").out()).isEqualTo("one\n");
        assertThat(kpod.ok("ps", "-a", "--format", "{{.Names}}").out()).isEqualTo("one\ntwo\n");
        assertThat(kpod.ok("ps", "-a", "--filter", "status=created", "--format", "{{.Names}}").out()).isEqualTo("two\n");
        assertThat(kpod.ok("ps", "--filter", "label=tier=web", "-q").trimmed()).hasSize(12);
        JsonNode json = kpod.json("ps", "-a", "--format", "json");
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("Names").get(0).asText()).isEqualTo("one");
        assertThat(json.get(0).get("State").asText()).isEqualTo("running");
        assertThat(json.get(0).get("Labels").get("tier").asText()).isEqualTo("web");
        String table = kpod.ok("ps", "-a").out();
        assertThat(table.lines().findFirst().orElseThrow())
                .startsWith("CONTAINER ID").contains("IMAGE").contains("COMMAND").contains("STATUS").endsWith("NAMES");
        assertThat(kpod.ok("inspect", "--format", "{{index .Config.Labels \"tier\"}}", "one").trimmed()).isEqualTo("web");
        assertThat(kpod.ok("inspect", "--format", "{{range .Config.Env}}{{.}},{{end}}", "one").out()).contains("container=kpod,");
    }
}
