package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code generate systemd}: the units pass {@code systemd-analyze verify}, and their command
 * lines, run by hand as systemd would run them (%t, %n expanded, NOTIFY_SOCKET set), start,
 * notify and stop the container or pod. systemd is not PID 1 on these hosts.
 */
class GenerateSystemdE2ETest extends E2EBase {
    private static final String HTTPD = "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www";
    private Path runtimeDir;
    private Path notifySocket;
    private Path notifyLog;
    private NotifyListener listener;

    @BeforeAll
    void startNotifyListener() throws Exception {
        runtimeDir = Files.createDirectories(kpod.base().resolve("rt"));
        listener = NotifyListener.start(kpod.base(), "gs-notify");
        notifySocket = listener.socket();
        notifyLog = listener.log();
    }

    @AfterAll
    void stopNotifyListener() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void newContainerUnitRunsNotifiesAndRemovesTheContainer() throws Exception {
        kpod.ok("run", "-d", "--name", "gsweb", "-e", "GREETING=hi there", "-p", "127.0.0.1:18603:8080", IMAGE,
                "sh", "-c", HTTPD);
        Path dir = Files.createTempDirectory(kpod.base(), "units");
        kpod.runIn(dir, "generate", "systemd", "--new", "--name", "--files", "gsweb").ok();
        Path unit = dir.resolve("container-gsweb.service");
        verify(unit);
        kpod.ok("rm", "-f", "-t", "0", "gsweb");

        Map<String, List<String>> svc = parse(unit);
        assertThat(svc.get("Type")).containsExactly("notify");
        Files.writeString(notifyLog, "");
        runAll(svc.get("ExecStartPre"), unit);
        runAll(svc.get("ExecStart"), unit);
        assertThat(KpodHarness.eventually(20, () -> read(notifyLog).contains("READY=1"))).isTrue();
        assertThat(read(notifyLog)).contains("MAINPID=");
        assertThat(KpodHarness.eventually(10, () -> KpodHarness.fetch("http://127.0.0.1:18603/").length() > 0)).isTrue();
        assertThat(kpod.ok("exec", "gsweb", "sh", "-c", "echo $GREETING").trimmed()).isEqualTo("hi there");
        Path cid = runtimeDir.resolve("container-gsweb.service.ctr-id");
        assertThat(read(cid).trim()).isEqualTo(kpod.ok("inspect", "--format", "{{.Id}}", "gsweb").trimmed());
        runAll(svc.get("ExecStop"), unit);
        runAll(svc.get("ExecStopPost"), unit);
        assertThat(kpod.run("container", "exists", "gsweb").code()).isEqualTo(1);
        assertThat(cid).doesNotExist();
    }

    @Test
    void newPodUnitsCreateThePodAndItsContainer() throws Exception {
        kpod.ok("pod", "create", "--name", "gsp", "-p", "127.0.0.1:18604:8080");
        kpod.ok("create", "--pod", "gsp", "--name", "gsp-web", IMAGE, "sh", "-c", HTTPD);
        Path dir = Files.createTempDirectory(kpod.base(), "units");
        String files = kpod.runIn(dir, "generate", "systemd", "--new", "-n", "-f", "gsp").ok().out();
        assertThat(files).contains("pod-gsp.service").contains("container-gsp-web.service");
        Path podUnit = dir.resolve("pod-gsp.service");
        Path ctrUnit = dir.resolve("container-gsp-web.service");
        verify(podUnit, ctrUnit);
        kpod.ok("pod", "rm", "-f", "-t", "0", "gsp");

        Map<String, List<String>> pod = parse(podUnit);
        Map<String, List<String>> ctr = parse(ctrUnit);
        assertThat(parse(ctrUnit).get("BindsTo")).containsExactly("pod-gsp.service");
        runAll(pod.get("ExecStartPre"), podUnit);
        runAll(pod.get("ExecStart"), podUnit);
        runAll(ctr.get("ExecStartPre"), ctrUnit);
        runAll(ctr.get("ExecStart"), ctrUnit);
        assertThat(KpodHarness.eventually(10, () -> KpodHarness.fetch("http://127.0.0.1:18604/").equals("gsp\n")))
                .as("the pod's port, served by the member").isTrue();
        long infraConmon = Long.parseLong(read(runtimeDir.resolve("pod-gsp.pid")).trim());
        String infra = kpod.ok("pod", "inspect", "--format", "{{.InfraContainerID}}", "gsp").trimmed();
        assertThat(kpod.ok("inspect", "--format", "{{.State.ConmonPid}}", infra).trimmed())
                .isEqualTo(Long.toString(infraConmon));
        runAll(ctr.get("ExecStop"), ctrUnit);
        runAll(ctr.get("ExecStopPost"), ctrUnit);
        runAll(pod.get("ExecStop"), podUnit);
        runAll(pod.get("ExecStopPost"), podUnit);
        assertThat(kpod.run("pod", "exists", "gsp").code()).isEqualTo(1);
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
    }

    @Test
    void templateUnitsRunOneCopyPerInstance() throws Exception {
        kpod.ok("create", "--name", "gst", "--stop-timeout", "1", "-e", "GREETING=hi", IMAGE, "sleep", "1d");
        Path dir = Files.createTempDirectory(kpod.base(), "units");
        assertThat(kpod.run("generate", "systemd", "--template", "--new=false", "gst").err())
                .contains("--template cannot be set with --new=false");
        kpod.runIn(dir, "generate", "systemd", "--template", "-n", "-f", "gst").ok();
        Path unit = dir.resolve("container-gst@.service");
        verify(unit);
        kpod.ok("rm", "gst");
        Map<String, List<String>> svc = parse(unit);
        assertThat(svc.get("Type")).containsExactly("notify");
        for (String instance : List.of("a", "b")) {
            runAll(svc.get("ExecStartPre"), unit, instance);
            runAll(svc.get("ExecStart"), unit, instance);
        }
        for (String instance : List.of("a", "b")) {
            assertThat(kpod.ok("exec", "gst-" + instance, "sh", "-c", "echo $GREETING").trimmed()).isEqualTo("hi");
            assertThat(runtimeDir.resolve("container-gst@" + instance + ".service.ctr-id")).exists();
        }
        runAll(svc.get("ExecStop"), unit, "a");
        runAll(svc.get("ExecStopPost"), unit, "a");
        assertThat(kpod.run("container", "exists", "gst-a").code()).as("instance a stopped").isEqualTo(1);
        assertThat(kpod.ok("inspect", "--format", "{{.State.Status}}", "gst-b").trimmed()).isEqualTo("running");
        runAll(svc.get("ExecStop"), unit, "b");
        runAll(svc.get("ExecStopPost"), unit, "b");

        kpod.ok("pod", "create", "--name", "gtp");
        kpod.ok("create", "--pod", "gtp", "--name", "gtp-web", "--stop-timeout", "1", "-e", "GREETING=pod", IMAGE,
                "sleep", "1d");
        String files = kpod.runIn(dir, "generate", "systemd", "--template", "-n", "-f", "gtp").ok().out();
        assertThat(files).contains("pod-gtp@.service").contains("container-gtp-web@.service");
        Path podUnit = dir.resolve("pod-gtp@.service");
        Path ctrUnit = dir.resolve("container-gtp-web@.service");
        verify(podUnit, ctrUnit);
        kpod.ok("pod", "rm", "-f", "-t", "0", "gtp");
        Map<String, List<String>> pod = parse(podUnit);
        Map<String, List<String>> ctr = parse(ctrUnit);
        assertThat(ctr.get("BindsTo")).containsExactly("pod-gtp@%i.service");
        runAll(pod.get("ExecStartPre"), podUnit, "x");
        runAll(pod.get("ExecStart"), podUnit, "x");
        runAll(ctr.get("ExecStartPre"), ctrUnit, "x");
        runAll(ctr.get("ExecStart"), ctrUnit, "x");
        assertThat(kpod.ok("inspect", "--format", "{{.Pod}}", "gtp-web-x").trimmed())
                .isEqualTo(kpod.ok("pod", "inspect", "--format", "{{.Id}}", "gtp-x").trimmed());
        assertThat(kpod.ok("exec", "gtp-web-x", "sh", "-c", "echo $GREETING").trimmed()).isEqualTo("pod");
        runAll(ctr.get("ExecStop"), ctrUnit, "x");
        runAll(ctr.get("ExecStopPost"), ctrUnit, "x");
        runAll(pod.get("ExecStop"), podUnit, "x");
        runAll(pod.get("ExecStopPost"), podUnit, "x");
        assertThat(kpod.run("pod", "exists", "gtp-x").code()).isEqualTo(1);
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
    }

    @Test
    void unitWithoutNewStartsAndStopsTheExistingContainer() throws Exception {
        kpod.ok("create", "--name", "keep", "--stop-timeout", "1", IMAGE, "sleep", "1d");
        String out = kpod.ok("generate", "systemd", "--name", "keep").out();
        Path dir = Files.createTempDirectory(kpod.base(), "units");
        Path unit = dir.resolve("container-keep.service");
        Files.writeString(unit, out);
        verify(unit);
        Map<String, List<String>> svc = parse(unit);
        assertThat(svc.get("Type")).containsExactly("forking");
        runAll(svc.get("ExecStart"), unit);
        long conmon = Long.parseLong(read(Path.of(svc.get("PIDFile").get(0))).trim());
        assertThat(Files.exists(Path.of("/proc/" + conmon))).as("PIDFile names the live conmon").isTrue();
        assertThat(kpod.ok("inspect", "--format", "{{.State.Status}}", "keep").trimmed()).isEqualTo("running");
        runAll(svc.get("ExecStop"), unit);
        assertThat(kpod.ok("inspect", "--format", "{{.State.Status}}", "keep").trimmed()).isEqualTo("exited");
        kpod.ok("rm", "keep");
        KpodHarness.Result r = kpod.run("generate", "systemd", "nothing-here");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).startsWith("Error: ");
    }

    @Test
    void kubeTemplatePlaysTheManifestNamedByItsInstanceAndDownsIt() throws Exception {
        Path yaml = kpod.base().resolve("kube-tpl.yaml");
        Files.writeString(yaml, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: tpl-config}
                data: {GREETING: from the template}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: tplpod}
                spec:
                  containers:
                  - name: app
                    image: %s
                    command: [sh, -c, "trap 'exit 0' TERM; sleep 1d & wait"]
                    envFrom: [{configMapRef: {name: tpl-config}}]
                """.formatted(IMAGE));
        // the shipped template, installed as `make install-systemd` does, with this test's kpod and roots
        String kpodCommand = kpod.bin() + " " + String.join(" ", kpod.globalArgs());
        String template = read(Path.of("../systemd/kpod-kube@.service")).replace("@KPOD@", kpodCommand);
        Process esc = new ProcessBuilder("systemd-escape", "--path", yaml.toString()).start();
        String instance = new String(esc.getInputStream().readAllBytes()).trim();
        assertThat(esc.waitFor()).isZero();
        Path dir = Files.createTempDirectory(kpod.base(), "units");
        Path unit = dir.resolve("kpod-kube@" + instance + ".service");
        Files.writeString(unit, template);
        verify(unit);

        Map<String, List<String>> svc = parse(unit);
        assertThat(svc.get("Type")).containsExactly("notify");
        Files.writeString(notifyLog, "");
        runAll(svc.get("ExecStart").stream().map(l -> l.replace("%I", yaml.toString())).toList(), unit);
        assertThat(KpodHarness.eventually(20, () -> read(notifyLog).contains("READY=1"))).isTrue();
        assertThat(read(notifyLog)).contains("MAINPID=");
        assertThat(kpod.ok("exec", "tplpod-app", "sh", "-c", "echo $GREETING").trimmed()).isEqualTo("from the template");
        runAll(svc.get("ExecStop").stream().map(l -> l.replace("%I", yaml.toString())).toList(), unit);
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).as("the pod and the service pod are gone").isEmpty();
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
    }

    // ---- systemd, by hand ----

    private void verify(Path... units) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (Path u : units) {
            argv.add(u.toString());
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("systemd-analyze verify: %s", out).isZero();
    }

    private static Map<String, List<String>> parse(Path unit) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (String line : read(unit).split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return keys;
    }

    private void runAll(List<String> lines, Path unit) throws Exception {
        runAll(lines, unit, null);
    }

    /** Runs Exec lines as systemd would for {@code unit}, or for its instance {@code instance} when it is a template. */
    private void runAll(List<String> lines, Path unit, String instance) throws Exception {
        String name = unit.getFileName().toString();
        if (instance != null) {
            name = name.replace("@.service", "@" + instance + ".service");
        }
        for (String line : lines) {
            List<String> argv = new ArrayList<>();
            for (String w : words(line)) {
                String a = w.replace("%t", runtimeDir.toString()).replace("%n", name);
                if (instance != null) {
                    a = a.replace("%i", instance).replace("%I", instance);
                }
                argv.add(a.replace("%%", "%"));
            }
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().put("NOTIFY_SOCKET", notifySocket.toString());
            pb.environment().put("PODMAN_SYSTEMD_UNIT", name);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path err = Files.createTempFile(kpod.base(), "exec", ".err");
            pb.redirectError(err.toFile());
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", line).isTrue();
            assertThat(p.exitValue()).as("%s: %s", argv, read(err)).isZero();
        }
    }

    /** systemd's word splitting for Exec lines: spaces separate, double quotes group, backslash escapes. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char n = line.charAt(++i);
                w.append(n == 'n' ? '\n' : n);
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(w.toString().replace("$$", "$"));
                    w.setLength(0);
                    any = false;
                }
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString().replace("$$", "$"));
        }
        return out;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
