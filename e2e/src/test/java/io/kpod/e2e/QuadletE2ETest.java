package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quadlet end to end without systemd as PID 1: unit files go through bin/kpod-system-generator,
 * {@code systemd-analyze verify} checks the services, and their Exec lines run by hand the way
 * systemd would run them (specifiers expanded, Environment= set, {@code NOTIFY_SOCKET} pointing at
 * a datagram socket this test listens on). Every unit carries {@code GlobalArgs=} with this test's
 * own roots, so the generated command lines are the ones a user would get, plus those flags.
 * {@code %t} is a private directory here instead of /run, so that tests never share cidfiles.
 */
class QuadletE2ETest extends E2EBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path units;
    private Path generated;
    private Path runtimeDir;
    private Path notifySocket;
    private Path notifyLog;
    private NotifyListener listener;

    @BeforeAll
    void startNotifyListener() throws Exception {
        runtimeDir = Files.createDirectories(kpod.base().resolve("rt"));
        listener = NotifyListener.start(kpod.base(), "notify");
        notifySocket = listener.socket();
        notifyLog = listener.log();
    }

    @AfterAll
    void stopNotifyListener() {
        if (listener != null) {
            listener.close();
        }
    }

    @AfterEach
    void forgetUnits() throws IOException {
        Files.writeString(notifyLog, "");
        kpod.run("volume", "rm", "-f", "systemd-data");
        kpod.run("volume", "rm", "-f", "systemd-shared");
        kpod.run("network", "rm", "-f", "systemd-backend");
    }

    @Test
    void containerWithVolumeAndNetworkUnitsRunsAsTheServiceSays() throws Exception {
        int port = freePort();
        String global = "GlobalArgs=" + String.join(" ", kpod.globalArgs()) + "\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("data.volume", "[Volume]\nLabel=tier=data\n" + global);
        files.put("backend.network", "[Network]\nSubnet=10.252.30.0/24\nGateway=10.252.30.1\nLabel=tier=net\n" + global);
        files.put("web.container", "[Unit]\nDescription=web server\n[Container]\nImage=" + IMAGE + "\n"
                + "Exec=sh -c 'echo \"page $GREETING\" > /data/index.html && exec httpd -f -p 8080 -h /data'\n"
                + "Environment=GREETING=hello \"OTHER=two words\"\n"
                + "Volume=data.volume:/data\nNetwork=backend.network\nPublishPort=127.0.0.1:" + port + ":8080\n"
                + "Label=app=web\nAnnotation=note=quadlet\nTimezone=UTC\nStopTimeout=2\n" + global
                + "[Install]\nWantedBy=multi-user.target\n");
        generate(files);
        verify("web.service", "data-volume.service", "backend-network.service");

        Map<String, List<String>> volume = service("data-volume.service");
        assertThat(volume.get("Type")).containsExactly("oneshot");
        runAll(volume.get("ExecStart"), "data-volume.service");
        assertThat(kpod.ok("volume", "inspect", "--format", "{{index .Labels \"tier\"}}", "systemd-data").trimmed())
                .isEqualTo("data");
        runAll(volume.get("ExecStart"), "data-volume.service"); // --ignore: a restart of the oneshot is fine

        Map<String, List<String>> network = service("backend-network.service");
        runAll(network.get("ExecStart"), "backend-network.service");
        runAll(network.get("ExecStart"), "backend-network.service");
        JsonNode net = kpod.json("network", "inspect", "systemd-backend").get(0);
        assertThat(net.get("subnets").get(0).get("subnet").asText()).isEqualTo("10.252.30.0/24");

        Map<String, List<String>> web = service("web.service");
        assertThat(web.get("Type")).containsExactly("notify");
        assertThat(web.get("Environment")).containsExactly("PODMAN_SYSTEMD_UNIT=%n");
        assertThat(web.get("ExecStart").get(0)).contains("--cidfile=%t/%N.cid").contains("--sdnotify=conmon")
                .contains("--cgroups=split").contains("--replace");
        runAll(web.getOrDefault("ExecStartPre", List.of()), "web.service");
        runAll(web.get("ExecStart"), "web.service");

        Path cidFile = runtimeDir.resolve("web.cid");
        String id = Files.readString(cidFile).trim();
        JsonNode inspect = kpod.json("inspect", "systemd-web").get(0);
        assertThat(inspect.get("Id").asText()).isEqualTo(id);
        int conmonPid = inspect.get("State").get("ConmonPid").asInt();
        assertThat(awaitNotify("READY=1")).contains("MAINPID=" + conmonPid);
        assertThat(inspect.get("Config").get("Labels").get("app").asText()).isEqualTo("web");
        assertThat(inspect.get("Config").get("Labels").get("PODMAN_SYSTEMD_UNIT").asText()).isEqualTo("web.service");
        assertThat(kpod.ok("exec", "systemd-web", "sh", "-c", "echo $GREETING/$OTHER").trimmed())
                .isEqualTo("hello/two words");
        assertThat(kpod.ok("exec", "systemd-web", "head", "-c", "4", "/etc/localtime").out()).isEqualTo("TZif");
        assertThat(kpod.ok("exec", "systemd-web", "ip", "-4", "addr", "show", "eth0").out()).contains("10.252.30.");
        assertThat(fetch(port)).isEqualTo("page hello\n");
        // --cgroups=split: the payload's cgroup lies below the cgroup kpod ran in (here: this test's)
        String own = ownCgroup();
        String ctrCgroup = kpod.ok("exec", "systemd-web", "cat", "/proc/self/cgroup").out();
        assertThat(ctrCgroup).contains("name=systemd:" + (own.equals("/") ? "" : own) + "/libpod-payload-" + id + "\n");

        // the service restarts: --replace takes the name over and the cidfile names the new container
        runAll(web.get("ExecStart"), "web.service");
        String id2 = Files.readString(cidFile).trim();
        assertThat(id2).isNotEqualTo(id);
        assertThat(kpod.ok("ps", "-a", "--format", "{{.Names}}").trimmed()).isEqualTo("systemd-web");
        assertThat(KpodHarness.eventually(10, () -> fetch(port).equals("page hello\n"))).isTrue();

        runAll(web.get("ExecStop"), "web.service");
        assertThat(kpod.ok("ps", "-a", "-q").trimmed()).isEmpty();
        assertThat(cidFile).doesNotExist();
        runAll(web.get("ExecStopPost"), "web.service"); // "-" prefixed, and --ignore: nothing left to remove
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEqualTo("systemd-data");
    }

    @Test
    void podUnitWithAMemberContainer() throws Exception {
        int port = freePort();
        String global = "GlobalArgs=" + String.join(" ", kpod.globalArgs()) + "\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("app.pod", "[Pod]\nPublishPort=127.0.0.1:" + port + ":8080\nShmSize=8m\nVolume=shared.volume:/shared\n"
                + global);
        files.put("shared.volume", "[Volume]\nUser=1000\nGroup=10\nCopy=false\n" + global);
        files.put("member.container", "[Container]\nImage=" + IMAGE + "\nPod=app.pod\n"
                + "Exec=sh -c 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www'\n" + global);
        generate(files);
        verify("app-pod.service", "member.service", "shared-volume.service");
        runAll(service("shared-volume.service").get("ExecStart"), "shared-volume.service");

        Map<String, List<String>> pod = service("app-pod.service");
        assertThat(pod.get("Type")).containsExactly("forking");
        runAll(pod.get("ExecStartPre"), "app-pod.service");
        runAll(pod.get("ExecStart"), "app-pod.service");
        Path podIdFile = runtimeDir.resolve("app-pod.pod-id");
        String podId = Files.readString(podIdFile).trim();
        JsonNode podInspect = kpod.json("pod", "inspect", "systemd-app").get(0);
        assertThat(podInspect.get("Id").asText()).isEqualTo(podId);
        assertThat(podInspect.get("State").asText()).isEqualTo("Running");
        // PIDFile= names the infra's conmon, which systemd then watches as the service's main process
        Path pidFile = runtimeDir.resolve(expand(pod.get("PIDFile").get(0), "app-pod.service")
                .substring(runtimeDir.toString().length() + 1));
        long infraConmon = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(kpod.ok("inspect", "--format", "{{.State.ConmonPid}}", "systemd-app-infra").trimmed())
                .isEqualTo(Long.toString(infraConmon));
        assertThat(alive(infraConmon)).isTrue();

        Map<String, List<String>> member = service("member.service");
        runAll(member.get("ExecStart"), "member.service");
        assertThat(awaitNotify("READY=1")).contains("MAINPID=");
        assertThat(kpod.ok("inspect", "--format", "{{.Pod}}", "systemd-member").trimmed()).isEqualTo(podId);
        assertThat(kpod.ok("exec", "systemd-member", "stat", "-c", "%u:%g", "/shared").trimmed()).isEqualTo("1000:10");
        String memberId = Files.readString(runtimeDir.resolve("member.cid")).trim();
        String own = ownCgroup();
        assertThat(kpod.ok("exec", "systemd-member", "cat", "/proc/self/cgroup").out())
                .contains("name=systemd:" + (own.equals("/") ? "" : own) + "/libpod-payload-" + memberId + "\n");
        assertThat(kpod.ok("exec", "systemd-member", "sh", "-c", "df -k /dev/shm | tail -1").out()).contains(" 8192 ");
        assertThat(KpodHarness.eventually(10, () -> fetch(port).equals("systemd-app\n"))).as("the pod's port").isTrue();

        // --exit-policy=stop: once the last member is gone, the pod stops, and so does the service's main pid
        runAll(member.get("ExecStop"), "member.service");
        assertThat(runtimeDir.resolve("member.cid")).doesNotExist();
        assertThat(KpodHarness.eventually(20, () -> !alive(infraConmon))).as("infra conmon ends").isTrue();
        assertThat(kpod.ok("pod", "inspect", "--format", "{{.State}}", "systemd-app").trimmed()).isNotEqualTo("Running");

        runAll(pod.get("ExecStop"), "app-pod.service");
        runAll(pod.get("ExecStopPost"), "app-pod.service");
        assertThat(kpod.run("pod", "exists", "systemd-app").code()).isEqualTo(1);
        assertThat(podIdFile).doesNotExist();
        runAll(pod.get("ExecStopPost"), "app-pod.service"); // --ignore with the pod and its id file gone
    }

    @Test
    void notifyHealthySendsReadyOnceTheHealthCheckPasses() throws Exception {
        String global = "GlobalArgs=" + String.join(" ", kpod.globalArgs()) + "\n";
        generate(Map.of("slow.container", "[Container]\nImage=" + IMAGE + "\n"
                + "Exec=sh -c 'sleep 2; touch /tmp/ready; exec sleep 1000'\n"
                + "HealthCmd=test -f /tmp/ready\nHealthInterval=500ms\nNotify=healthy\n"
                + "HealthStartupCmd=touch /tmp/startup-ran\nHealthStartupInterval=500ms\nHealthStartupSuccess=2\n"
                + global));
        verify("slow.service");
        Map<String, List<String>> svc = service("slow.service");
        assertThat(svc.get("ExecStart").get(0)).contains("--sdnotify=healthy");
        long t0 = System.nanoTime();
        runAll(svc.get("ExecStart"), "slow.service");
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertThat(Files.readString(notifyLog)).contains("READY=1");
        assertThat(took).as("kpod waited for the health check").isGreaterThanOrEqualTo(1500);
        assertThat(kpod.ok("inspect", "--format", "{{.State.Health.Status}}", "systemd-slow").trimmed())
                .isEqualTo("healthy");
        kpod.ok("exec", "systemd-slow", "test", "-f", "/tmp/startup-ran"); // the startup check ran first
        runAll(svc.get("ExecStop"), "slow.service");
        assertThat(runtimeDir.resolve("slow.cid")).doesNotExist();
    }

    @Test
    void notifyContainerMountsTheSocketAndPassthroughLogsReachTheService() throws Exception {
        String global = "GlobalArgs=" + String.join(" ", kpod.globalArgs()) + "\n";
        generate(Map.of("tell.container", "[Container]\nImage=" + IMAGE + "\n"
                + "Exec=sh -c 'echo to-the-journal; exec sleep 1000'\nNotify=true\nLogDriver=passthrough\n" + global));
        verify("tell.service");
        Map<String, List<String>> svc = service("tell.service");
        assertThat(svc.get("ExecStart").get(0)).contains("--sdnotify=container").contains("--log-driver passthrough");
        Path out = runAll(svc.get("ExecStart"), "tell.service");
        // the container holds the socket itself; kpod only names conmon as the main pid
        assertThat(awaitNotify("MAINPID=")).doesNotContain("READY=1");
        assertThat(kpod.ok("exec", "systemd-tell", "sh", "-c", "echo $NOTIFY_SOCKET; test -S $NOTIFY_SOCKET && echo socket")
                .out()).isEqualTo("/run/notify/notify.sock\nsocket\n");
        assertThat(KpodHarness.eventually(10, () -> read(out).contains("to-the-journal")))
                .as("the container's stdout is the service's").isTrue();
        runAll(svc.get("ExecStop"), "tell.service");
    }

    @Test
    void manyContainerKeysReachTheContainer() throws Exception {
        String global = "GlobalArgs=" + String.join(" ", kpod.globalArgs()) + "\n";
        Path module = kpod.base().resolve("quadlet-module.conf");
        Files.writeString(module, "[containers]\nenv = [\"FROM_MODULE=yes\"]\n");
        Path log = kpod.base().resolve("logs/keys.log");
        generate(Map.of("keys.container", "[Container]\nImage=" + IMAGE + "\n"
                + "Exec=sh -c 'echo logged-line; exec sleep 1000'\n"
                + "ContainersConfModule=" + module + "\n"
                + "AddHost=db.example.test:10.9.8.7\nDNS=10.252.31.53\nDNSSearch=corp.test\nDNSOption=ndots:3\n"
                + "GroupAdd=10\nReadOnly=true\nAddDevice=/dev/null:/dev/extra-null\n"
                + "LogOpt=path=" + log + "\nLogOpt=max-size=1m\n"
                + "HostName=keyhost\nWorkingDir=/tmp\nUser=0:0\nPodmanArgs=--label from=podmanargs\n"
                + "HealthCmd=test ! -f /tmp/broken\nHealthRetries=1\nHealthOnFailure=kill\nHealthMaxLogCount=2\n"
                + "StopTimeout=1\n" + global));
        verify("keys.service");
        Map<String, List<String>> svc = service("keys.service");
        assertThat(svc.get("ExecStart").get(0)).contains("--module=" + module).contains("--health-on-failure kill");
        runAll(svc.get("ExecStart"), "keys.service");
        awaitNotify("READY=1");
        String c = "systemd-keys";
        assertThat(kpod.ok("exec", c, "cat", "/etc/hosts").out()).contains("10.9.8.7\tdb.example.test\n");
        assertThat(kpod.ok("exec", c, "cat", "/etc/resolv.conf").out())
                .contains("search corp.test\n").contains("nameserver 10.252.31.53\n").contains("options ndots:3\n")
                .doesNotContain("nameserver 8.8.8.8");
        assertThat(kpod.ok("exec", c, "id", "-G").trimmed().split(" ")).contains("10");
        assertThat(kpod.ok("exec", c, "sh", "-c", "hostname; pwd; echo $FROM_MODULE").out())
                .isEqualTo("keyhost\n/tmp\nyes\n");
        assertThat(kpod.run("exec", c, "touch", "/rootfile").code()).as("read-only root").isNotZero();
        kpod.ok("exec", c, "sh", "-c", "touch /tmp/a /run/b /var/tmp/c"); // --read-only-tmpfs, Podman's default
        assertThat(kpod.ok("exec", c, "sh", "-c", "test -c /dev/extra-null && echo dev").trimmed()).isEqualTo("dev");
        assertThat(KpodHarness.eventually(10, () -> Files.exists(log) && read(log).contains("logged-line"))).isTrue();
        assertThat(kpod.ok("logs", c).trimmed()).isEqualTo("logged-line");
        assertThat(kpod.ok("inspect", "--format", "{{index .Config.Labels \"from\"}}", c).trimmed())
                .isEqualTo("podmanargs");

        // HealthOnFailure=kill: the first failing check (HealthRetries=1) ends the container, --rm removes it
        kpod.ok("healthcheck", "run", c);
        kpod.ok("exec", c, "touch", "/tmp/broken");
        assertThat(kpod.run("healthcheck", "run", c).code()).isEqualTo(1);
        assertThat(KpodHarness.eventually(20, () -> kpod.run("container", "exists", c).code() == 1))
                .as("killed and removed").isTrue();
        assertThat(runtimeDir.resolve("keys.cid")).doesNotExist();
        runAll(svc.get("ExecStopPost"), "keys.service");
    }

    @Test
    void userNamespaceKeysMapTheContainerAndThePod() throws Exception {
        String global = "GlobalArgs=" + String.join(" ", kpod.globalArgs()) + "\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("mapped.container", "[Container]\nImage=" + IMAGE + "\nUIDMap=0:600000:65536\nGIDMap=0:700000:65536\n"
                + "Exec=sh -c \"trap 'exit 0' TERM; sleep 600 & wait\"\n" + global);
        files.put("upod.pod", "[Pod]\nUserNS=auto:size=2048\n" + global);
        files.put("umember.container", "[Container]\nImage=" + IMAGE + "\nPod=upod.pod\nExec=sh -c \"trap 'exit 0' TERM; sleep 600 & wait\"\n" + global);
        generate(files);
        verify("mapped.service", "upod-pod.service", "umember.service");
        Map<String, List<String>> mapped = service("mapped.service");
        assertThat(mapped.get("ExecStart").get(0)).contains("--uidmap 0:600000:65536").contains("--gidmap 0:700000:65536");
        runAll(mapped.get("ExecStart"), "mapped.service");
        awaitNotify("READY=1");
        assertThat(kpod.ok("exec", "systemd-mapped", "cat", "/proc/self/uid_map", "/proc/self/gid_map").out()
                .replaceAll("[ \t]+", " ").strip()).isEqualTo("0 600000 65536\n 0 700000 65536");

        Map<String, List<String>> pod = service("upod-pod.service");
        assertThat(pod.get("ExecStartPre").get(0)).contains("--userns auto:size=2048");
        runAll(pod.get("ExecStartPre"), "upod-pod.service");
        runAll(pod.get("ExecStart"), "upod-pod.service");
        Map<String, List<String>> member = service("umember.service");
        runAll(member.get("ExecStart"), "umember.service");
        assertThat(kpod.ok("exec", "systemd-umember", "cat", "/proc/self/uid_map").out().replaceAll("\\s+", " ").strip())
                .matches("0 \\d+ 2048");

        runAll(member.get("ExecStop"), "umember.service");
        runAll(pod.get("ExecStop"), "upod-pod.service");
        runAll(pod.get("ExecStopPost"), "upod-pod.service");
        runAll(mapped.get("ExecStop"), "mapped.service");
        assertThat(kpod.ok("ps", "-a", "-q").trimmed()).isEmpty();
    }

    @Test
    void imageUnitPullsWithKpod() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(15040, false, null, null)) {
            String ref = registry.host() + "/quadlet/busybox:1";
            kpod.ok("push", "--tls-verify=false", IMAGE, ref);
            generate(Map.of("bb.image", "[Image]\nImage=" + ref + "\nTLSVerify=false\nGlobalArgs="
                    + String.join(" ", kpod.globalArgs()) + "\n"));
            verify("bb-image.service");
            Map<String, List<String>> svc = service("bb-image.service");
            assertThat(svc.get("ExecStart").get(0)).contains(" image pull ").endsWith(ref);
            runAll(svc.get("ExecStart"), "bb-image.service");
            assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains(ref);
            kpod.ok("rmi", ref);
        }
    }

    @Test
    void kubeUnitPlaysTheYamlWithAServiceContainerAndTakesItDown() throws Exception {
        Path yaml = kpod.base().resolve("app.yaml");
        Files.writeString(yaml, """
                apiVersion: v1
                kind: Pod
                metadata: {name: kubeunit}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - {name: c, image: %s, command: [sh, -c, "echo $(MSG); sleep 1d"], env: [{name: MSG, value: from-kube-unit}]}
                """.formatted(IMAGE));
        generate(Map.of("app.kube", "[Kube]\nYaml=" + yaml + "\nGlobalArgs=" + String.join(" ", kpod.globalArgs())
                + "\n"));
        verify("app.service");
        Map<String, List<String>> svc = service("app.service");
        assertThat(svc.get("Type")).containsExactly("notify");
        runAll(svc.get("ExecStart"), "app.service");
        String notified = awaitNotify("READY=1");
        long mainPid = Long.parseLong(notified.replaceAll("(?s).*MAINPID=([0-9]+).*", "$1"));
        assertThat(alive(mainPid)).as("the service container's conmon is the service's main pid").isTrue();
        assertThat(KpodHarness.eventually(10, () -> kpod.ok("logs", "kubeunit-c").out().equals("from-kube-unit\n")))
                .isTrue();
        assertThat(kpod.ok("pod", "ps", "--format", "{{.Name}}").out()).contains("kubeunit").contains("-service");
        runAll(svc.get("ExecStopPost"), "app.service");
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
        assertThat(KpodHarness.eventually(20, () -> !alive(mainPid))).isTrue();
    }

    /**
     * examples/quadlet as a user gets it: installed with {@code kpod quadlet install}, generated,
     * verified, the web container and the greeter pod run by hand and answering from the host.
     * Only the host ports and the subnet are changed (to this test's); the units call a wrapper
     * as {@code PODMAN} that adds this test's roots, so the example files stay as users read them.
     */
    @Test
    void examplesInstallGenerateAndServe() throws Exception {
        Path staged = Files.createDirectories(kpod.base().resolve("staged/quadlet"));
        Path examples = home().resolve("examples/quadlet");
        List<String> names;
        try (var s = Files.list(examples)) {
            names = s.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".md")).sorted().toList();
        }
        assertThat(names).contains("web.container", "web.volume", "web.network", "greeter.pod",
                "greeter-web.container", "greeter-probe.container", "two-tier.kube");
        for (String n : names) {
            Files.writeString(staged.resolve(n), Files.readString(examples.resolve(n))
                    .replace("Subnet=10.89.60.0/24", "Subnet=10.252.60.0/24")
                    .replace("Gateway=10.89.60.1", "Gateway=10.252.60.1")
                    .replace("PublishPort=8088:8080", "PublishPort=127.0.0.1:18460:8080")
                    .replace("PublishPort=8089:8080", "PublishPort=127.0.0.1:18461:8080"));
        }
        Path unitDir = kpod.base().resolve("installed/quadlet");
        Files.createDirectories(unitDir.getParent());
        Files.copy(home().resolve("examples/two-tier.yaml"), unitDir.getParent().resolve("two-tier.yaml"));
        Map<String, String> env = Map.of("QUADLET_UNIT_DIRS", unitDir.toString());

        // quadlet install | list | print
        String installed = kpod.runWithEnv(env, null, "quadlet", "install", staged.toString()).ok().out();
        assertThat(installed).contains(unitDir.resolve("web.container") + "\n");
        assertThat(kpod.runWithEnv(env, null, "quadlet", "install", staged.resolve("web.container").toString()).code())
                .as("already installed").isEqualTo(125);
        kpod.runWithEnv(env, null, "quadlet", "install", "--replace", staged.resolve("web.container").toString()).ok();
        String list = kpod.runWithEnv(env, null, "quadlet", "list").ok().out();
        assertThat(list).startsWith("NAME").contains("UNIT NAME").contains("PATH ON DISK").contains("STATUS");
        assertThat(list).containsPattern("greeter\\.pod +greeter-pod\\.service +" + unitDir.resolve("greeter.pod")
                + " +Not loaded +quadlet");
        JsonNode json = JSON.readTree(kpod.runWithEnv(env, null, "quadlet", "list", "--format", "json").ok().out());
        assertThat(json).hasSize(7);
        assertThat(kpod.runWithEnv(env, null, "quadlet", "list", "--format", "{{.Name}}={{.UnitName}}",
                "--filter", "name=web*").ok().out()).isEqualTo("web.container=web.service\nweb.network=web-network.service\n"
                + "web.volume=web-volume.service\n");
        assertThat(kpod.runWithEnv(env, null, "quadlet", "print", "web.container").ok().out())
                .isEqualTo(Files.readString(staged.resolve("web.container")));

        Path wrapper = kpod.base().resolve("kpod-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\nexec " + home().resolve("bin/kpod") + " "
                + String.join(" ", kpod.globalArgs()) + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        runGenerator(unitDir, wrapper);
        verify("web.service", "web-volume.service", "web-network.service", "greeter-pod.service",
                "greeter-web.service", "greeter-probe.service", "two-tier.service");
        // a relative Yaml= is taken from the unit file's directory
        assertThat(service("two-tier.service").get("ExecStart").get(0))
                .endsWith(" kube play --replace --service-container=true " + unitDir.getParent().resolve("two-tier.yaml"));

        runAll(service("web-network.service").get("ExecStart"), "web-network.service");
        runAll(service("web-volume.service").get("ExecStart"), "web-volume.service");
        Map<String, List<String>> web = service("web.service");
        runAll(web.get("ExecStart"), "web.service");
        awaitNotify("READY=1");
        assertThat(KpodHarness.eventually(10, () -> fetch(18460).equals("hello from a kpod Quadlet\n")))
                .as("the web container's page; got %s", fetch(18460)).isTrue();
        assertThat(kpod.ok("exec", "systemd-web", "ip", "-4", "addr", "show", "eth0").out()).contains("10.252.60.");

        Map<String, List<String>> pod = service("greeter-pod.service");
        runAll(pod.get("ExecStartPre"), "greeter-pod.service");
        runAll(pod.get("ExecStart"), "greeter-pod.service");
        Map<String, List<String>> gweb = service("greeter-web.service");
        Map<String, List<String>> probe = service("greeter-probe.service");
        runAll(gweb.get("ExecStart"), "greeter-web.service");
        runAll(probe.get("ExecStart"), "greeter-probe.service");
        assertThat(KpodHarness.eventually(10, () -> fetch(18461).equals("greetings from pod systemd-greeter\n")))
                .as("the pod's page; got %s", fetch(18461)).isTrue();
        assertThat(KpodHarness.eventually(15, () -> kpod.ok("logs", "systemd-greeter-probe").out()
                .contains("greetings from pod systemd-greeter"))).as("the sidecar reaches localhost:8080").isTrue();

        runAll(probe.get("ExecStop"), "greeter-probe.service");
        runAll(gweb.get("ExecStop"), "greeter-web.service");
        runAll(pod.get("ExecStop"), "greeter-pod.service");
        runAll(pod.get("ExecStopPost"), "greeter-pod.service");
        runAll(web.get("ExecStop"), "web.service");
        runAll(web.get("ExecStopPost"), "web.service");
        assertThat(kpod.ok("ps", "-a", "-q").trimmed()).isEmpty();
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
        assertThat(runtimeDir.resolve("web.cid")).doesNotExist();
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEqualTo("systemd-web"); // oneshots leave them, as Podman's
        kpod.ok("volume", "rm", "systemd-web");
        kpod.ok("network", "rm", "systemd-web");

        // quadlet rm: one file of the application removes all of it
        assertThat(kpod.runWithEnv(env, null, "quadlet", "rm", "--reload-systemd=false", "greeter.pod").ok().out())
                .isEqualTo("greeter.pod\n");
        try (var s = Files.list(unitDir)) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(kpod.runWithEnv(env, null, "quadlet", "rm", "web.container").code()).isEqualTo(125);
        kpod.runWithEnv(env, null, "quadlet", "rm", "-i", "web.container").ok();

        // install from a URL
        byte[] volume = Files.readAllBytes(staged.resolve("web.volume"));
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 18462), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, volume.length);
            ex.getResponseBody().write(volume);
            ex.close();
        });
        server.start();
        try {
            assertThat(kpod.runWithEnv(env, null, "quadlet", "install", "http://127.0.0.1:18462/units/web.volume")
                    .ok().out()).isEqualTo(unitDir.resolve("web.volume") + "\n");
        } finally {
            server.stop(0);
        }
        assertThat(kpod.runWithEnv(env, null, "quadlet", "print", "web.volume").ok().out())
                .isEqualTo(new String(volume, StandardCharsets.UTF_8));
        kpod.runWithEnv(env, null, "quadlet", "rm", "web.volume").ok();
    }

    // ---- systemd, by hand ----

    private void generate(Map<String, String> files) throws IOException, InterruptedException {
        units = Files.createTempDirectory(kpod.base(), "units");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(units.resolve(f.getKey()), f.getValue());
        }
        runGenerator(units, home().resolve("bin/kpod"));
    }

    private static Path home() {
        return Path.of(System.getProperty("kpod.home", "..")).toAbsolutePath().normalize();
    }

    /** bin/kpod-system-generator on {@code unitDir}, with {@code podman} as the kpod its units call. */
    private void runGenerator(Path unitDir, Path podman) throws IOException, InterruptedException {
        generated = Files.createTempDirectory(kpod.base(), "gen");
        ProcessBuilder pb = new ProcessBuilder(home().resolve("bin/kpod-system-generator").toString(),
                generated.toString(), generated.toString(), generated.toString());
        pb.environment().put("QUADLET_UNIT_DIRS", unitDir.toString());
        pb.environment().put("PODMAN", podman.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("generator: %s", log).isZero();
    }

    /** systemd-analyze verify, as strict as it gets here: exit 0 and not one complaint. */
    private void verify(String... services) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String s : services) {
            argv.add(generated.resolve(s).toString());
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("systemd-analyze verify: %s", out).isZero();
        assertThat(out).as("systemd-analyze verify output").isEmpty();
    }

    /** The [Service] section: each key with its values in order (continuation lines joined). */
    private Map<String, List<String>> service(String name) throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        String pending = null;
        for (String raw : Files.readAllLines(generated.resolve(name))) {
            String line = pending == null ? raw : pending + " " + raw.strip();
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1).stripTrailing();
                continue;
            }
            pending = null;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            if (t.startsWith("[")) {
                section = t;
                continue;
            }
            int eq = t.indexOf('=');
            if (section.equals("[Service]") && eq > 0) {
                keys.computeIfAbsent(t.substring(0, eq).strip(), k -> new ArrayList<>()).add(t.substring(eq + 1).strip());
            }
        }
        return keys;
    }

    /** Specifiers as systemd expands them for a system service; %t is this test's runtime dir. */
    private String expand(String s, String unit) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            char k = s.charAt(++i);
            switch (k) {
                case '%' -> sb.append('%');
                case 't' -> sb.append(runtimeDir);
                case 'n' -> sb.append(unit);
                case 'N' -> sb.append(unit.substring(0, unit.lastIndexOf('.')));
                case 'p' -> sb.append(unit.substring(0, unit.lastIndexOf('.')).split("@", 2)[0]);
                default -> throw new AssertionError("specifier %" + k + " in " + s + " is not handled by this test");
            }
        }
        return sb.toString();
    }

    /** systemd's command line syntax: prefixes, quotes and C escapes; the first word is the program. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char c = line.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < n) {
                    char e = line.charAt(++i);
                    switch (e) {
                        case 'n' -> w.append('\n');
                        case 't' -> w.append('\t');
                        case 's' -> w.append(' ');
                        case 'x' -> {
                            w.append((char) Integer.parseInt(line.substring(i + 1, i + 3), 16));
                            i += 2;
                        }
                        default -> w.append(e);
                    }
                } else {
                    w.append(c);
                }
                i++;
            }
            words.add(w.toString());
        }
        return words;
    }

    /** Runs each command line as systemd would; returns the file holding the last one's stdout. */
    private Path runAll(List<String> lines, String unit) throws Exception {
        Path out = null;
        for (String line : lines) {
            out = exec(line, unit);
        }
        return out;
    }

    private Path exec(String line, String unit) throws Exception {
        String cmd = line;
        boolean ignoreFailure = false;
        while (!cmd.isEmpty() && "-@:+!".indexOf(cmd.charAt(0)) >= 0) {
            ignoreFailure |= cmd.charAt(0) == '-';
            cmd = cmd.substring(1);
        }
        List<String> argv = new ArrayList<>();
        for (String w : split(cmd)) {
            argv.add(expand(w, unit));
        }
        Path out = Files.createTempFile(kpod.base(), "exec", ".out");
        Path err = Files.createTempFile(kpod.base(), "exec", ".err");
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("NOTIFY_SOCKET", notifySocket.toString());
        for (String env : service(unit).getOrDefault("Environment", List.of())) {
            for (String kv : split(env)) {
                String e = expand(kv, unit);
                int eq = e.indexOf('=');
                pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", line).isTrue();
        if (!ignoreFailure) {
            assertThat(p.exitValue()).as("%s: %s", argv, read(err)).isZero();
        }
        return out;
    }

    // ---- small helpers ----

    private String awaitNotify(String what) {
        assertThat(KpodHarness.eventually(30, () -> read(notifyLog).contains(what)))
                .as("%s on NOTIFY_SOCKET; got: %s", what, read(notifyLog)).isTrue();
        return read(notifyLog);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Alive and not a zombie waiting for PID 1 to reap it. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static String ownCgroup() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = l.split(":", 3);
            if (f[1].equals("name=systemd")) {
                return f[2];
            }
        }
        throw new AssertionError("no name=systemd cgroup line");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String fetch(int port) {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
