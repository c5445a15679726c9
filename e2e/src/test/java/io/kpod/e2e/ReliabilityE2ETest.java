package io.kpod.e2e;

import static io.kpod.e2e.HostNet.rulesOf;
import static io.kpod.e2e.HostNet.sh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kpod is daemonless: any of its processes can die at any point, several run at once, and a
 * reboot empties the run root. These tests kill kpod while it plays a manifest, kill conmon and
 * container processes under it, simulate a reboot, run plays and downs side by side and churn
 * through hundreds of containers, and each time check what users see and that nothing leaked.
 * Everything runs on the network {@value #NET} (subnet {@value #SUBNET}, bridge {@value #BRIDGE}).
 * The figures the tests print (prefixed "reliability:") are what RELIABILITY.md quotes.
 */
class ReliabilityE2ETest extends E2EBase {
    private static final String NET = "relnet";
    private static final String SUBNET = "10.251.30.0/24";
    private static final String SUBNET_RE = "10\\.251\\.30\\.";
    private static final String BRIDGE = "kre30";
    private static final String SLEEPER = "trap 'exit 0' TERM; sleep 1000 & wait";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    void createNetwork() {
        kpod.ok("network", "create", "--subnet", SUBNET, "--interface-name", BRIDGE, NET);
    }

    /** Five pods (a Deployment of three, two Pods) using a ConfigMap, a Secret, a claim and an emptyDir. */
    private Path manifest(String p) {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: PFX-cm}
                data: {GREETING: hello-PFX}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: PFX-secret}
                stringData: {TOKEN: s3cret-PFX}
                ---
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: PFX-data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Mi}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: PFX-web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: PFX-web}}
                  template:
                    metadata: {labels: {app: PFX-web}}
                    spec:
                      containers:
                      - name: web
                        image: IMAGE
                        command: [sh, -c, "SLEEPER"]
                        envFrom: [{configMapRef: {name: PFX-cm}}, {secretRef: {name: PFX-secret}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: PFX-db}
                spec:
                  containers:
                  - name: db
                    image: IMAGE
                    command: [sh, -c, "SLEEPER"]
                    volumeMounts: [{name: data, mountPath: /data}]
                  volumes: [{name: data, persistentVolumeClaim: {claimName: PFX-data}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: PFX-cache}
                spec:
                  containers:
                  - name: cache
                    image: IMAGE
                    command: [sh, -c, "SLEEPER"]
                    volumeMounts: [{name: tmp, mountPath: /cache}]
                  volumes: [{name: tmp, emptyDir: {}}]
                """.replace("PFX", p).replace("IMAGE", IMAGE).replace("SLEEPER", SLEEPER);
        Path f = kpod.base().resolve(p + ".yaml");
        try {
            Files.writeString(f, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    private static Map<String, String> expectedPods(String p) {
        Map<String, String> pods = new TreeMap<>();
        for (int i = 0; i < 3; i++) {
            pods.put(p + "-web-pod-" + i, p + "-web-pod-" + i + "-web");
        }
        pods.put(p + "-db", p + "-db-db");
        pods.put(p + "-cache", p + "-cache-cache");
        return pods;
    }

    private JsonNode inProcessJson(String... args) {
        KpodHarness.Result r = kpod.inProcess(args).ok();
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every pod of the manifest with prefix {@code p} exists once, Running, with its infra and its container running. */
    private void assertConverged(String p) {
        Map<String, String> expected = expectedPods(p);
        Map<String, String> seen = new TreeMap<>();
        for (JsonNode pod : inProcessJson("pod", "ps", "--format", "json")) {
            String name = pod.get("Name").asText();
            if (!expected.containsKey(name)) {
                continue;
            }
            assertThat(seen).as("pod %s only once", name).doesNotContainKey(name);
            assertThat(pod.get("Status").asText()).as("pod %s", name).isEqualTo("Running");
            List<String> members = new ArrayList<>();
            for (JsonNode c : pod.get("Containers")) {
                assertThat(c.get("Status").asText()).as("%s in %s", c.get("Names").asText(), name).isEqualTo("running");
                members.add(c.get("Names").asText());
            }
            assertThat(members).as("containers of %s", name).containsExactlyInAnyOrder(name + "-infra",
                    expected.get(name));
            // the pod's network is whole: an address on eth0 of its netns, and the /etc/resolv.conf
            // its containers mount names the network's DNS server (a kill between netavark and the
            // rewrite of that file once left the host's resolvers there, or no file at all)
            Path podDir = kpod.runRoot().resolve("pods").resolve(pod.get("Id").asText());
            assertThat(sh("nsenter", "--net=" + podDir.resolve("ns/net"), "ip", "-4", "-o", "addr", "show", "eth0"))
                    .as("address of pod %s", name).containsPattern("inet " + SUBNET_RE);
            try {
                assertThat(Files.readString(podDir.resolve("resolv.conf"))).as("resolv.conf of pod %s", name)
                        .contains("nameserver " + SUBNET.replace(".0/24", ".1"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            seen.put(name, expected.get(name));
        }
        assertThat(seen).as("pods of %s", p).isEqualTo(expected);
    }

    /** Nothing of the manifest with prefix {@code p} is left but its claim's volume. */
    private void assertGone(String p) {
        for (JsonNode pod : inProcessJson("pod", "ps", "--format", "json")) {
            assertThat(pod.get("Name").asText()).as("pods left").doesNotStartWith(p + "-");
        }
        for (JsonNode c : inProcessJson("ps", "-a", "--format", "json")) {
            assertThat(c.get("Names").get(0).asText()).as("containers left").doesNotStartWith(p + "-");
        }
        assertThat(kpod.inProcess("secret", "ls", "--format", "{{.Name}}").ok().out()).doesNotContain(p + "-secret");
        assertThat(kpod.inProcess("volume", "ls", "--format", "{{.Name}}").ok().out().lines()
                .filter(v -> v.startsWith(p + "-")).toList()).as("volumes left").containsExactly(p + "-data");
    }

    /** With nothing running: no mounts, conmons, runc state, addresses, firewall rules or veths of ours. */
    private void assertHostClean() {
        assertThat(KpodHarness.eventually(15, () -> kpod.conmons().isEmpty())).as("conmons: %s", kpod.conmons())
                .isTrue();
        assertThat(KpodHarness.eventually(10, () -> strays().isEmpty())).as("other processes: %s", strays()).isTrue();
        assertThat(kpod.mounts()).as("mounts").isEmpty();
        assertThat(kpod.runcList()).as("runc containers").isEmpty();
        assertThat(allocations()).as("addresses held").isEmpty();
        assertThat(KpodHarness.eventually(10, () -> rulesOf("nat", SUBNET_RE).isEmpty()
                && rulesOf("filter", SUBNET_RE).isEmpty())).as("iptables rules: %s", rulesOf("nat", SUBNET_RE))
                .isTrue();
        assertThat(sh("ip", "-o", "link", "show", "master", BRIDGE)).as("veths on the bridge")
                .doesNotContain("veth");
    }

    /** Live processes that name this installation's run root, but aardvark-dns (which netavark keeps or ends). */
    private List<String> strays() {
        List<String> out = new ArrayList<>();
        String me = Long.toString(ProcessHandle.current().pid());
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String pid = p.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit) || pid.equals(me)) {
                    continue;
                }
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (state != 'Z' && cmd.contains(kpod.runRoot().toString()) && !cmd.contains("aardvark-dns")) {
                        out.add(pid + ": " + cmd.strip());
                    }
                } catch (IOException | RuntimeException gone) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private Set<String> allocations() {
        Path f = kpod.root().resolve("networks/ipam/" + NET + ".json");
        try {
            Set<String> ids = new TreeSet<>();
            if (Files.exists(f)) {
                JSON.readTree(f.toFile()).get("allocations").fieldNames().forEachRemaining(ids::add);
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void killingKubePlayAtThirtyPointsAlwaysConvergesAndDownLeavesNothing() throws Exception {
        Path yaml = manifest("crash");
        // a first play counts kpod's steps (state commits and helper programs started), so the
        // kills below spread over the whole play, from parsing to the last container's start
        KpodHarness.Result counted = kpod.runWithEnv(Map.of("KPOD_CRASH_AT", "count"), null,
                "kube", "play", "--network", NET, yaml.toString()).ok();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("kpod-steps: (\\d+)").matcher(counted.err());
        assertThat(m.find()).as("step count in %s", counted.err()).isTrue();
        int steps = Integer.parseInt(m.group(1));
        assertThat(steps).as("steps of a 5-pod play").isGreaterThan(60);
        assertConverged("crash");
        kpod.ok("kube", "down", yaml.toString());
        assertGone("crash");
        assertHostClean();

        int kills = 30;
        Map<Integer, Integer> containersAtKill = new TreeMap<>();
        List<Integer> points = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            // up to 95 % of the count: a run may take a few steps fewer than the counted one
            int at = 1 + (int) ((steps * 0.95 - 1) * i / (kills - 1));
            points.add(at);
            KpodHarness.Result killed = kpod.runWithEnv(Map.of("KPOD_CRASH_AT", Integer.toString(at)), null,
                    "kube", "play", "--network", NET, yaml.toString());
            assertThat(killed.code()).as("kube play killed at step %d of %d", at, steps).isEqualTo(137);
            containersAtKill.merge(inProcessJson("ps", "-a", "--format", "json").size(), 1, Integer::sum);

            // the play that follows a kill, and the down, run in this JVM: the same code as bin/kpod's
            // without two JVM starts per kill
            kpod.inProcess("kube", "play", "--network", NET, yaml.toString()).ok();
            assertConverged("crash");
            kpod.inProcess("kube", "down", yaml.toString()).ok();
            assertGone("crash");
            assertHostClean();
        }
        System.out.printf("reliability: %d kills of a 5-pod kube play of %d steps, at steps %s; containers that "
                + "existed at the kill -> kills: %s%n", kills, steps, points, containersAtKill);
        assertThat(containersAtKill.entrySet().stream().filter(e -> e.getKey() > 0 && e.getKey() < 10)
                .mapToInt(Map.Entry::getValue).sum()).as("kills while the pods were being made: %s", containersAtKill)
                .isGreaterThanOrEqualTo(10);

        kpod.ok("kube", "play", "--network", NET, yaml.toString());
        assertThat(kpod.ok("exec", "crash-web-pod-1-web", "sh", "-c", "echo $GREETING $TOKEN").trimmed())
                .isEqualTo("hello-crash s3cret-crash");
        kpod.ok("kube", "down", "--force", yaml.toString());
        assertThat(kpod.inProcess("volume", "ls", "-q").ok().out()).doesNotContain("crash-data");
        assertHostClean();
    }

    @Test
    void aContainerStartKilledAtEveryStepStartsOrIsRemovedCleanly() throws Exception {
        kpod.ok("create", "--name", "kstart", "--network", NET, "-p", "127.0.0.1::8080", IMAGE, "sleep", "1000");
        KpodHarness.Result counted = kpod.runWithEnv(Map.of("KPOD_CRASH_AT", "count"), null, "start", "kstart").ok();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("kpod-steps: (\\d+)").matcher(counted.err());
        assertThat(m.find()).isTrue();
        int steps = Integer.parseInt(m.group(1));
        kpod.inProcess("stop", "-t", "0", "kstart").ok();
        for (int at = 1; at < steps; at++) {
            KpodHarness.Result killed = kpod.runWithEnv(Map.of("KPOD_CRASH_AT", Integer.toString(at)), null,
                    "start", "kstart");
            assertThat(killed.code()).as("start killed at step %d of %d", at, steps).isEqualTo(137);
            if (at % 2 == 0) {
                // started again: it runs, once
                kpod.inProcess("start", "kstart").ok();
                assertThat(kpod.inProcess("inspect", "--format", "{{.State.Status}}", "kstart").ok().trimmed())
                        .isEqualTo("running");
                kpod.inProcess("stop", "-t", "0", "kstart").ok();
            } else {
                // or removed: nothing of the killed start stays
                kpod.inProcess("rm", "-f", "-t", "0", "kstart").ok();
                assertHostClean();
                kpod.inProcess("create", "--name", "kstart", "--network", NET, "-p", "127.0.0.1::8080", IMAGE,
                        "sleep", "1000").ok();
            }
        }
        System.out.printf("reliability: a container start (bridge network, published port) killed at each of "
                + "its %d steps, then started or removed%n", steps - 1);
        kpod.inProcess("rm", "-f", "-t", "0", "kstart").ok();
        assertHostClean();
    }

    @Test
    void killedContainerProcessesAndConmonAreReportedTruthfullyAndRestartPoliciesApply() throws Exception {
        kpod.ok("run", "-d", "--name", "kalways", "--restart", "always", "--network", NET, IMAGE, "sleep", "1000");
        kpod.ok("run", "-d", "--name", "kno", "--network", NET, IMAGE, "sleep", "1000");
        kpod.ok("run", "-d", "--name", "kconmon", "--network", NET, IMAGE, "sleep", "1000");
        String alwaysPid = kpod.ok("inspect", "--format", "{{.State.Pid}}", "kalways").trimmed();
        kill9(alwaysPid);
        kill9(kpod.ok("inspect", "--format", "{{.State.Pid}}", "kno").trimmed());
        long containerOfKilledConmon = Long.parseLong(kpod.ok("inspect", "--format", "{{.State.Pid}}", "kconmon")
                .trimmed());
        kill9(kpod.ok("inspect", "--format", "{{.State.ConmonPid}}", "kconmon").trimmed());

        assertThat(KpodHarness.eventually(20, () -> kpod.ok("inspect", "--format",
                "{{.State.Status}} {{.RestartCount}}", "kalways").trimmed().equals("running 1")))
                .as("restart=always brought the killed container back: %s",
                        kpod.run("inspect", "--format", "{{.State.Status}} {{.RestartCount}}", "kalways").out())
                .isTrue();
        assertThat(kpod.ok("inspect", "--format", "{{.State.Pid}}", "kalways").trimmed()).isNotEqualTo(alwaysPid);
        assertThat(KpodHarness.eventually(10, () -> kpod.ok("inspect", "--format", "{{.State.Status}} "
                + "{{.State.ExitCode}}", "kno").trimmed().equals("exited 137"))).as("SIGKILLed: exited 137").isTrue();
        // conmon gone, the container's process lives on: ps says running, as it is
        assertThat(ProcessHandle.of(containerOfKilledConmon).map(ProcessHandle::isAlive)).contains(true);
        assertThat(kpod.ok("ps", "--format", "{{.Names}}").out()).contains("kconmon").contains("kalways")
                .doesNotContain("kno");
        kpod.ok("rm", "-f", "-t", "0", "kalways", "kno", "kconmon");
        assertThat(KpodHarness.eventually(10, () -> ProcessHandle.of(containerOfKilledConmon).isEmpty()))
                .as("rm -f killed the process conmon had left").isTrue();
        assertHostClean();
    }

    private static void kill9(String pid) throws Exception {
        new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
    }

    @Test
    void afterASimulatedRebootPlayBringsEverythingBackWithTheClaimsData() throws Exception {
        Path yaml = manifest("boot");
        kpod.ok("kube", "play", "--network", NET, yaml.toString());
        kpod.ok("exec", "boot-db-db", "sh", "-c", "echo kept > /data/f");
        HostNet.reboot(kpod, SUBNET_RE, Set.of(BRIDGE));

        for (JsonNode c : inProcessJson("ps", "-a", "--format", "json")) {
            assertThat(c.get("State").asText()).as("%s after the reboot", c.get("Names").get(0).asText())
                    .isNotEqualTo("running");
        }
        kpod.ok("kube", "play", "--network", NET, yaml.toString());
        assertConverged("boot");
        assertThat(kpod.ok("exec", "boot-db-db", "cat", "/data/f").trimmed()).isEqualTo("kept");
        assertThat(kpod.ok("exec", "boot-web-pod-2-web", "sh", "-c", "echo $GREETING").trimmed())
                .isEqualTo("hello-boot");
        kpod.ok("kube", "down", "--force", yaml.toString());
        assertHostClean();
    }

    @Test
    void fourPlaysAndTwoDownsAtOnceBesidePsAndInspectAllSucceedWithDistinctAddresses() throws Exception {
        List<String> played = List.of("cc1", "cc2", "cc3", "cc4");
        List<String> downed = List.of("cd1", "cd2");
        for (String p : downed) {
            kpod.ok("kube", "play", "--network", NET, manifest(p).toString());
        }
        for (String p : played) {
            manifest(p);
        }
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        Thread watcher = new Thread(() -> {
            while (busy.get()) {
                KpodHarness.Result ps = kpod.run("ps", "-a", "--format", "{{.Names}}");
                looks.incrementAndGet();
                note(problems, "ps", ps, false);
                for (String name : ps.out().lines().limit(2).toList()) {
                    // a container can go between ps and inspect: "no such container" is the truth then
                    note(problems, "inspect " + name, kpod.run("inspect", "--format", "{{.State.Status}}", name), true);
                    looks.incrementAndGet();
                }
            }
        }, "ps-loop");
        watcher.start();
        List<Thread> workers = new ArrayList<>();
        Map<String, KpodHarness.Result> results = new java.util.concurrent.ConcurrentHashMap<>();
        for (String p : played) {
            workers.add(new Thread(() -> results.put("play " + p, kpod.run("kube", "play", "--network", NET,
                    kpod.base().resolve(p + ".yaml").toString()))));
        }
        for (String p : downed) {
            workers.add(new Thread(() -> results.put("down " + p, kpod.run("kube", "down",
                    kpod.base().resolve(p + ".yaml").toString()))));
        }
        long t0 = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join();
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        busy.set(false);
        watcher.join();

        results.forEach((what, r) -> assertThat(r.code()).as("%s: %s", what, r.err()).isZero());
        results.forEach((what, r) -> assertThat(r.err()).as(what).doesNotContainIgnoringCase("database is locked")
                .doesNotContain("SQLITE_BUSY").doesNotContain("Exception"));
        assertThat(problems).as("ps/inspect beside the plays").isEmpty();
        for (String p : played) {
            assertConverged(p);
        }
        for (String p : downed) {
            assertGone(p);
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode pod : inProcessJson("pod", "ps", "--format", "json")) {
            String infra = pod.get("InfraId").asText();
            addresses.add(kpod.inProcess("inspect", "--format", "{{.NetworkSettings.IPAddress}}", infra).ok()
                    .trimmed());
        }
        assertThat(addresses).as("one address per pod").hasSize(20).doesNotHaveDuplicates().allMatch(a ->
                a.startsWith("10.251.30."));
        assertThat(allocations()).as("addresses held: one per pod").hasSize(20);
        System.out.printf("reliability: 4 kube plays (20 pods) and 2 kube downs (10 pods) at once in %d ms, "
                + "beside %d ps/inspect; all succeeded, 20 distinct addresses%n", took, looks.get());

        List<Thread> downs = new ArrayList<>();
        Set<Integer> codes = java.util.Collections.synchronizedSet(new HashSet<>());
        for (String p : played) {
            downs.add(new Thread(() -> codes.add(kpod.run("kube", "down", "--force",
                    kpod.base().resolve(p + ".yaml").toString()).code())));
        }
        downs.forEach(Thread::start);
        for (Thread t : downs) {
            t.join();
        }
        assertThat(codes).containsExactly(0);
        for (String p : downed) {
            kpod.ok("volume", "rm", p + "-data");
        }
        assertThat(kpod.inProcess("volume", "ls", "-q").ok().out().lines().filter(v -> v.startsWith("cc")
                || v.startsWith("cd"))).as("volumes of these plays").isEmpty();
        assertHostClean();
    }

    private static void note(List<String> problems, String what, KpodHarness.Result r, boolean mayBeGone) {
        boolean gone = mayBeGone && r.code() == 125 && r.err().contains("no such ");
        if ((r.code() != 0 && !gone) || r.err().contains("database is locked") || r.err().contains("Exception")) {
            problems.add(what + " -> " + r.code() + ": " + r.err().strip());
        }
    }

    @Test
    void threeHundredCreateStartStopRemoveCyclesLeakNothing() throws Exception {
        int cycles = Integer.getInteger("kpod.churn", 300);
        int batch = 10;
        long fdsBefore = 0;
        long threadsBefore = 0;
        long t0 = 0;
        // one warm-up batch first, so that what the JVM opens once (jars, the database) is not counted
        for (int b = -1; b < cycles / batch; b++) {
            if (b == 0) {
                fdsBefore = openFds();
                threadsBefore = Thread.activeCount();
                t0 = System.nanoTime();
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                String name = "churn" + (b + 1) + "-" + i;
                kpod.inProcess("create", "--name", name, "--network", NET, IMAGE, "sleep", "1000").ok();
                names.add(name);
            }
            // start, stop and rm act on all ten at once, as users' scripts do
            List<String> start = new ArrayList<>(List.of("start"));
            start.addAll(names);
            kpod.inProcess(start.toArray(String[]::new)).ok();
            List<String> stop = new ArrayList<>(List.of("stop", "-t", "0"));
            stop.addAll(names);
            kpod.inProcess(stop.toArray(String[]::new)).ok();
            List<String> rm = new ArrayList<>(List.of("rm"));
            rm.addAll(names);
            kpod.inProcess(rm.toArray(String[]::new)).ok();
        }
        long took = (System.nanoTime() - t0) / 1_000_000;
        long fdsAfter = openFds();
        System.out.printf("reliability: %d create/start/stop/rm cycles (batches of %d) in one process in %d ms "
                + "(%d ms each); open files %d before, %d after; threads %d before, %d after%n", cycles, batch, took,
                took / cycles, fdsBefore, fdsAfter, threadsBefore, Thread.activeCount());
        assertThat(fdsAfter).as("file descriptors of the process that ran the cycles").isLessThanOrEqualTo(fdsBefore + 2);
        long threads = threadsBefore;
        assertThat(KpodHarness.eventually(10, () -> Thread.activeCount() <= threads + 2)).as("threads: %d before, %d"
                + " now", threadsBefore, Thread.activeCount()).isTrue();
        assertThat(inProcessJson("ps", "-a", "--format", "json")).as("rows").isEmpty();
        assertHostClean();
    }

    private static long openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
