package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kube play} and {@code kube down} on the real runtime, observed from inside the pods and from the host. */
class KubePlayE2ETest extends E2EBase {
    private static final String SUBNET = "10.253.1.0/24";
    private Path dir;

    @BeforeAll
    void kubeNetwork() throws IOException {
        // the shared kube network, on this class's own subnet
        kpod.ok("network", "create", "--subnet", SUBNET, "kpod-kube");
        dir = Files.createTempDirectory(kpod.base(), "yaml");
    }

    @AfterEach
    void removeWhatAFailedTestLeft() {
        kpod.run("pod", "rm", "-a", "-f", "-t", "0");
        kpod.run("volume", "prune", "-f");
        kpod.run("secret", "rm", "--all");
    }

    private Path write(String name, String yaml) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, yaml);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String exec(String container, String script) {
        return kpod.ok("exec", container, "sh", "-c", script).out();
    }

    private void assertNothingFrom(Path manifest) {
        kpod.ok("kube", "down", "--force", manifest.toString());
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEmpty();
        assertThat(kpod.ok("secret", "ls", "--format", "{{.Name}}").trimmed()).isEmpty();
        assertThat(iptablesFor(SUBNET)).as("firewall rules left for the kube network's containers").isEmpty();
    }

    /** NAT rules that mention an address of our subnet, other than the network's own masquerade chain. */
    private static String iptablesFor(String subnet) {
        try {
            Process p = new ProcessBuilder("iptables-save", "-t", "nat").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            String prefix = subnet.substring(0, subnet.lastIndexOf('.') + 1);
            return String.join("\n", out.lines().filter(l -> l.contains(prefix) && !l.contains("/24")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void envFilesInitContainersAndPodFieldsAsKubernetesDefinesThem() {
        Path f = write("app.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data: {GREETING: hello, MODE: from-configmap, app.conf: "listen 8080\\n"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: creds}
                data: {password: czNjcmV0}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: envpod
                  namespace: team
                  labels: {app: envpod, tier: web}
                  annotations: {note: kept}
                spec:
                  hostname: envhost
                  terminationGracePeriodSeconds: 1
                  hostAliases: [{ip: 10.1.2.3, hostnames: [db.example]}]
                  initContainers:
                  - name: first
                    image: %1$s
                    command: [sh, -c, "echo one >> /shared/order"]
                    volumeMounts: [{name: shared, mountPath: /shared}]
                  - name: second
                    image: %1$s
                    command: [sh, -c, "echo two >> /shared/order"]
                    volumeMounts: [{name: shared, mountPath: /shared}]
                  containers:
                  - name: app
                    image: %1$s
                    command: [sh, -c]
                    args: ["echo started $(GREETING) '$$(GREETING)'; sleep 1d"]
                    workingDir: /not/in/image
                    envFrom: [{configMapRef: {name: cfg}, prefix: CFG_}, {configMapRef: {name: cfg}}]
                    env:
                    - {name: MODE, value: explicit}
                    - {name: WHO, value: "$(GREETING)-world"}
                    - {name: LITERAL, value: "$$(GREETING)"}
                    - name: PASSWORD
                      valueFrom: {secretKeyRef: {name: creds, key: password}}
                    - name: POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: POD_NS
                      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
                    - name: TIER
                      valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}
                    volumeMounts:
                    - {name: shared, mountPath: /shared}
                    - {name: conf, mountPath: /etc/app}
                    - {name: secret, mountPath: /run/creds}
                    - {name: shared, mountPath: /sub, subPath: nested/dir}
                  volumes:
                  - {name: shared, emptyDir: {}}
                  - name: conf
                    configMap: {name: cfg, items: [{key: app.conf, path: conf.d/app.conf, mode: 0640}]}
                  - name: secret
                    secret: {secretName: creds, defaultMode: 0400}
                """.formatted(IMAGE));
        String out = kpod.ok("kube", "play", f.toString()).out();
        assertThat(out).startsWith("Secrets:\ncreds\n\nPod:\n").contains("Container:\n").contains("Init Containers:\n");

        assertThat(exec("envpod-app", "cat /shared/order")).as("init containers ran in order").isEqualTo("one\ntwo\n");
        assertThat(kpod.ok("logs", "envpod-app").out()).isEqualTo("started hello $(GREETING)\n");
        Map<String, String> env = envOf("envpod-app");
        assertThat(env).containsEntry("MODE", "explicit").containsEntry("CFG_MODE", "from-configmap")
                .containsEntry("WHO", "hello-world").containsEntry("LITERAL", "$(GREETING)")
                .containsEntry("PASSWORD", "s3cret").containsEntry("POD_NAME", "envpod")
                .containsEntry("POD_NS", "team").containsEntry("TIER", "web");
        assertThat(exec("envpod-app", "pwd")).isEqualTo("/not/in/image\n");
        assertThat(exec("envpod-app", "hostname")).isEqualTo("envhost\n");
        assertThat(exec("envpod-app", "grep db.example /etc/hosts")).startsWith("10.1.2.3");
        assertThat(exec("envpod-app", "cat /etc/app/conf.d/app.conf; stat -c %a /etc/app/conf.d/app.conf"))
                .isEqualTo("listen 8080\n640\n");
        assertThat(exec("envpod-app", "cat /run/creds/password; echo; stat -c %a /run/creds/password"))
                .isEqualTo("s3cret\n400\n");
        assertThat(kpod.run("exec", "envpod-app", "touch", "/etc/app/x").code()).as("configMap volumes are read-only")
                .isNotZero();
        exec("envpod-app", "echo via-subpath > /sub/f");
        assertThat(exec("envpod-app", "cat /shared/nested/dir/f")).isEqualTo("via-subpath\n");
        JsonNode ctr = kpod.json("inspect", "envpod-app").get(0);
        assertThat(ctr.at("/Config/Annotations/note").asText()).isEqualTo("kept");
        assertThat(ctr.at("/Config/Labels/app").asText()).isEqualTo("envpod");
        assertThat(kpod.ok("secret", "ls", "--format", "{{.Name}}").trimmed()).isEqualTo("creds");

        // replaying the same manifest changes nothing: same containers, not restarted
        String started = kpod.ok("inspect", "--format", "{{.State.StartedAt}}", "envpod-app").trimmed();
        String ids = kpod.ok("ps", "-aq", "--no-trunc").out();
        kpod.ok("kube", "play", f.toString());
        assertThat(kpod.ok("ps", "-aq", "--no-trunc").out()).isEqualTo(ids);
        assertThat(kpod.ok("inspect", "--format", "{{.State.StartedAt}}", "envpod-app").trimmed()).isEqualTo(started);
        assertThat(exec("envpod-app", "cat /shared/order")).as("init containers did not run again").isEqualTo("one\ntwo\n");

        assertNothingFrom(f);
    }

    private Map<String, String> envOf(String container) {
        Map<String, String> env = new TreeMap<>();
        for (String line : kpod.ok("exec", container, "env").out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void frontendReachesBackendReplicasByServiceNameAndAnswersOnTheHost() throws IOException {
        String yaml = Files.readString(Path.of(System.getProperty("kpod.home", "..")).resolve("examples/two-tier.yaml"))
                .replace("hostPort: 18080", "hostPort: 18390");
        Path f = write("two-tier.yaml", yaml);
        kpod.ok("kube", "play", f.toString());
        assertThat(kpod.ok("pod", "ps", "--format", "{{.Name}}").trimmed().split("\n"))
                .containsExactlyInAnyOrder("backend-pod-0", "backend-pod-1", "frontend-pod-0");
        assertThat(KpodHarness.eventually(15, () -> KpodHarness.fetch("http://127.0.0.1:18390/cgi-bin/index")
                .contains("got: hello from the backend (served by backend-pod-"))).as("frontend answers").isTrue();
        String lookup = exec("frontend-pod-0-httpd", "nslookup backend.default.svc.cluster.local");
        assertThat(lookup.split("Address: 10\\.253\\.1\\.", -1)).as("both replicas behind the Service: %s", lookup)
                .hasSize(3);
        assertThat(exec("backend-pod-1-httpd", "wget -qO- http://backend.default:80/cgi-bin/data"))
                .contains("hello from the backend");
        assertNothingFrom(f);
        assertThat(KpodHarness.fetch("http://127.0.0.1:18390/cgi-bin/index")).as("port closed after down").isEmpty();
    }

    @Test
    void changingOneDeploymentReplacesOnlyItsPodsAndReplicasScale() {
        kpod.ok("tag", IMAGE, "localhost/busybox:v2");
        String template = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: alpha}
                spec:
                  replicas: %d
                  selector: {matchLabels: {app: alpha}}
                  template:
                    metadata: {labels: {app: alpha}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers: [{name: c, image: "%s", command: [sleep, 1d]}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: beta}
                spec:
                  selector: {matchLabels: {app: beta}}
                  template:
                    metadata: {labels: {app: beta}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers: [{name: c, image: "%s", command: [sleep, 1d]}]
                """;
        Path f = write("deploy.yaml", template.formatted(2, IMAGE, IMAGE));
        kpod.ok("kube", "play", f.toString());
        String beta = kpod.ok("inspect", "--format", "{{.Id}} {{.State.StartedAt}}", "beta-pod-0-c").trimmed();
        String alpha0 = kpod.ok("inspect", "--format", "{{.Id}}", "alpha-pod-0-c").trimmed();

        write("deploy.yaml", template.formatted(2, "localhost/busybox:v2", IMAGE));
        kpod.ok("kube", "play", f.toString());
        assertThat(kpod.ok("inspect", "--format", "{{.Id}} {{.State.StartedAt}}", "beta-pod-0-c").trimmed())
                .as("the unchanged Deployment kept running").isEqualTo(beta);
        assertThat(kpod.ok("inspect", "--format", "{{.Id}}", "alpha-pod-0-c").trimmed()).isNotEqualTo(alpha0);
        assertThat(kpod.ok("inspect", "--format", "{{.ImageName}}", "alpha-pod-1-c").trimmed())
                .isEqualTo("localhost/busybox:v2");

        write("deploy.yaml", template.formatted(3, "localhost/busybox:v2", IMAGE));
        kpod.ok("kube", "play", f.toString());
        assertThat(podNames()).containsExactly("alpha-pod-0", "alpha-pod-1", "alpha-pod-2", "beta-pod-0");
        write("deploy.yaml", template.formatted(1, "localhost/busybox:v2", IMAGE));
        String out = kpod.ok("kube", "play", f.toString()).out();
        assertThat(out).contains("Pods removed:");
        assertThat(podNames()).containsExactly("alpha-pod-0", "beta-pod-0");
        assertThat(kpod.ok("ps", "--format", "{{.Names}}").out()).doesNotContain("alpha-pod-1");

        // --replace re-creates everything
        kpod.ok("kube", "play", "--replace", f.toString());
        assertThat(kpod.ok("inspect", "--format", "{{.Id}} {{.State.StartedAt}}", "beta-pod-0-c").trimmed())
                .isNotEqualTo(beta);
        assertNothingFrom(f);
        kpod.ok("rmi", "localhost/busybox:v2");
    }

    private List<String> podNames() {
        return kpod.ok("pod", "ps", "--format", "{{.Name}}").out().lines().sorted().toList();
    }

    @Test
    void claimDataSurvivesDownAndForceRemovesIt() {
        Path f = write("pvc.yaml", """
                apiVersion: v1
                kind: PersistentVolumeClaim
                metadata: {name: data}
                spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: counter}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: c
                    image: %s
                    command: [sh, -c, "n=$(cat /data/n 2>/dev/null || echo 0); echo $((n+1)) > /data/n; sleep 1d"]
                    volumeMounts: [{name: d, mountPath: /data}]
                  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
                """.formatted(IMAGE));
        kpod.ok("kube", "play", f.toString());
        assertThat(KpodHarness.eventually(5, () -> exec("counter-c", "cat /data/n").equals("1\n"))).isTrue();
        kpod.ok("kube", "down", f.toString());
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEqualTo("data");
        kpod.ok("kube", "play", f.toString());
        assertThat(KpodHarness.eventually(5, () -> exec("counter-c", "cat /data/n").equals("2\n")))
                .as("the claim's data survived down and play").isTrue();
        kpod.ok("kube", "down", "--force", f.toString());
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEmpty();
    }

    @Test
    void jobRunsToCompletionAndLimitsAndSecurityApply() throws Exception {
        Path runs = dir.resolve("job-runs");
        Path f = write("job.yaml", """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: once}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      securityContext: {fsGroup: 2000, supplementalGroups: [3000]}
                      volumes: [{name: data, emptyDir: {}}]
                      containers:
                      - name: work
                        image: %1$s
                        command: [sh, -c, "id -u; id -g; id -G | tr ' ' '\\\\n' | sort -n | tr '\\\\n' ' '; echo; touch /data/f && stat -c %%g /data/f; touch /x 2>/dev/null && echo writable || echo read-only"]
                        volumeMounts: [{name: data, mountPath: /data}]
                        securityContext:
                          runAsUser: 1234
                          runAsGroup: 5678
                          readOnlyRootFilesystem: true
                        resources:
                          limits: {memory: 64Mi, cpu: 500m}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: thrice}
                spec:
                  completions: 3
                  parallelism: 1
                  template:
                    spec:
                      restartPolicy: Never
                      volumes: [{name: out, hostPath: {path: %2$s, type: DirectoryOrCreate}}]
                      initContainers:
                      - name: prep
                        image: %1$s
                        command: [sh, -c, "echo init >> /out/init"]
                        volumeMounts: [{name: out, mountPath: /out}]
                      containers:
                      - name: work
                        image: %1$s
                        command: [sh, -c, "echo run >> /out/runs"]
                        volumeMounts: [{name: out, mountPath: /out}]
                """.formatted(IMAGE, runs));
        KpodHarness.Result played = kpod.ok("kube", "play", f.toString());
        assertThat(played.err()).as("completions with parallelism 1 are honoured").doesNotContain("completions")
                .doesNotContain("parallelism");
        assertThat(KpodHarness.eventually(10, () -> kpod.ok("inspect", "--format", "{{.State.Status}}",
                "once-pod-work").trimmed().equals("exited"))).isTrue();
        assertThat(kpod.ok("logs", "once-pod-work").out()).isEqualTo("1234\n5678\n2000 3000 5678 \n2000\nread-only\n");
        assertThat(kpod.ok("inspect", "--format", "{{.State.ExitCode}} {{.HostConfig.Memory}} {{.HostConfig.CpuQuota}}",
                "once-pod-work").trimmed()).isEqualTo("0 67108864 50000");

        // completions: 3 runs the whole pod (init container, then the app) three times, one after another,
        // each run started by conmon's exit callback of the one before; then the pod stops, finished
        String job = "{{.Completions}} {{.Succeeded}} {{.State}}";
        assertThat(KpodHarness.eventually(30, () -> kpod.ok("pod", "inspect", "--format", job, "thrice-pod")
                .trimmed().equals("3 3 Exited"))).as(kpod.ok("pod", "inspect", "--format", job, "thrice-pod").out())
                .isTrue();
        assertThat(Files.readAllLines(runs.resolve("runs"))).containsExactly("run", "run", "run");
        assertThat(Files.readAllLines(runs.resolve("init"))).containsExactly("init", "init", "init");
        assertThat(KpodHarness.eventually(10, () -> kpod.ok("pod", "inspect", "--format", job, "once-pod")
                .trimmed().equals("1 1 Exited"))).isTrue();

        // a replay of the manifest leaves the finished Jobs alone
        kpod.ok("kube", "play", f.toString());
        Thread.sleep(1000);
        assertThat(kpod.ok("pod", "inspect", "--format", job, "thrice-pod").trimmed()).isEqualTo("3 3 Exited");
        assertThat(Files.readAllLines(runs.resolve("runs"))).hasSize(3);
        assertThat(Files.readAllLines(runs.resolve("init"))).hasSize(3);
        assertNothingFrom(f);
    }

    @Test
    void invalidManifestsAreRefusedBeforeAnythingChanges() {
        kpod.ok("pod", "create", "--name", "taken");
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers: %s
                """;
        String good = "[{name: a, image: " + IMAGE + ", command: [sleep, 1d]}]";
        Map<String, String> cases = Map.of(
                "bad name", pod.formatted("Bad_Name", good),
                "duplicate container", pod.formatted("dup", "[{name: a, image: " + IMAGE + "}, {name: a, image: "
                        + IMAGE + "}]"),
                "missing configmap", pod.formatted("ref", "[{name: a, image: " + IMAGE
                        + ", envFrom: [{configMapRef: {name: nope}}]}]"),
                "missing image", pod.formatted("img", "[{name: a, image: localhost/does-not-exist:1}]"),
                "wrong type", pod.formatted("typ", "[{name: a, image: " + IMAGE + ", command: 5, ports: x}]"),
                "name taken", pod.formatted("taken", good),
                "escaping item path", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: c}
                        data: {k: v}
                        ---
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: esc}
                        spec:
                          containers: [{name: a, image: %s, volumeMounts: [{name: v, mountPath: /v}]}]
                          volumes: [{name: v, configMap: {name: c, items: [{key: k, path: ../../etc/x}]}}]
                        """.formatted(IMAGE));
        Map<String, String> expected = Map.of(
                "bad name", "metadata.name", "duplicate container", "duplicate container name",
                "missing configmap", "envFrom[0].configMapRef.name", "missing image", "localhost/does-not-exist:1",
                "wrong type", "spec.containers[0].command", "name taken", "taken",
                "escaping item path", "items[0].path");
        for (var c : cases.entrySet()) {
            Path f = write("bad.yaml", c.getValue());
            KpodHarness.Result r = kpod.run("kube", "play", f.toString());
            assertThat(r.code()).as(c.getKey()).isNotZero();
            // one error line (a pull attempt may say "Trying to pull …" first, as Podman does)
            List<String> lines = r.err().strip().lines().filter(l -> !l.startsWith("Trying to pull ")).toList();
            assertThat(lines).as(c.getKey() + ": one line").hasSize(1);
            assertThat(lines.get(0)).as(c.getKey()).startsWith("Error: ").contains(expected.get(c.getKey()));
            assertThat(kpod.ok("pod", "ps", "--format", "{{.Name}}").trimmed()).as(c.getKey()).isEqualTo("taken");
            assertThat(kpod.ok("volume", "ls", "-q").trimmed()).as(c.getKey()).isEmpty();
        }
        kpod.ok("pod", "rm", "taken");
    }

    @Test
    void otherKindsAndUnknownFieldsWarnAndStrictRefuses() {
        Path f = write("mixed.yaml", """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: ing}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: warned}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers: [{name: a, image: %s, command: [sleep, 1d], bogusField: 1}]
                """.formatted(IMAGE));
        KpodHarness.Result strict = kpod.run("kube", "play", "--validate=strict", f.toString());
        assertThat(strict.code()).isNotZero();
        assertThat(strict.err()).contains("bogusField");
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
        KpodHarness.Result r = kpod.ok("kube", "play", f.toString());
        assertThat(r.err()).contains("networking.k8s.io/v1/Ingress").contains("bogusField");
        assertThat(kpod.ok("pod", "ps", "--format", "{{.Name}}").trimmed()).isEqualTo("warned");
        // stdin works the same, and kube down from stdin finds the pods by their workload
        kpod.runWithInput(Files.exists(f) ? read(f) : "", "kube", "down", "-").ok();
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
    }

    @Test
    void failingLivenessProbesRestartTheContainerAndHttpProbesNeedNoToolsInTheImage() {
        Path f = write("probe.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: gsvc}
                spec:
                  selector: {app: probed}
                  ports: [{port: 8080}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: probed, labels: {app: probed}}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: web
                    image: %1$s
                    command: [sh, -c, "mkdir -p /www; echo ok > /www/index.html; exec httpd -f -p 8080 -h /www"]
                    ports: [{name: http, containerPort: 8080}]
                    livenessProbe:
                      httpGet: {path: /index.html, port: http}
                      periodSeconds: 1
                  - name: gated
                    image: %1$s
                    command: [sleep, 1d]
                    readinessProbe:
                      exec: {command: [test, -f, /tmp/ready]}
                      periodSeconds: 1
                  - name: live
                    image: %1$s
                    command: [sh, -c, "touch /tmp/alive; echo started; sleep 1d"]
                    livenessProbe:
                      exec: {command: [test, -f, /tmp/alive]}
                      periodSeconds: 1
                      failureThreshold: 1
                """.formatted(IMAGE));
        kpod.ok("kube", "play", f.toString());
        assertThat(KpodHarness.eventually(20, () -> kpod.ok("inspect", "--format", "{{.State.Health.Status}}",
                "probed-web").trimmed().equals("healthy"))).isTrue();
        assertThat(kpod.ok("inspect", "--format", "{{json .State.Health.Log}}", "probed-web").out())
                .as("kpod spoke HTTP to httpd from the pod's network namespace").contains(" 200 OK");
        assertThat(KpodHarness.eventually(20, () -> kpod.ok("inspect", "--format", "{{.State.Health.Status}}",
                "probed-live").trimmed().equals("healthy"))).isTrue();
        assertThat(kpod.ok("ps", "--format", "{{.Names}} {{.Status}}").out()).containsPattern("probed-gated Up .* \\(not ready\\)");
        assertThat(kpod.ok("inspect", "--format", "{{.State.Ready}}", "probed-gated").trimmed()).isEqualTo("false");
        // the Service's names are in DNS only while the pod is ready: what aardvark-dns serves is its
        // configuration file (a negative lookup would wait for the host's resolvers)
        Path dnsEntries = kpod.runRoot().resolve("netavark/aardvark-dns/kpod-kube");
        String podIp = exec("probed-web", "ip -4 -o addr show eth0").replaceAll("(?s).*inet ([0-9.]+)/.*", "$1");
        assertThat(read(dnsEntries)).contains(" " + podIp + " ").contains("probed").doesNotContain("gsvc");
        kpod.ok("exec", "probed-gated", "touch", "/tmp/ready");
        assertThat(KpodHarness.eventually(20, () -> kpod.ok("pod", "inspect", "--format",
                "{{range .Containers}}{{.Names}}={{.Ready}} {{end}}", "probed").out().contains("probed-gated=true")))
                .as("readiness shows in pod inspect").isTrue();
        assertThat(KpodHarness.eventually(20, () -> read(dnsEntries).contains("gsvc.default.svc.cluster.local")))
                .as("a ready pod joins its Service in DNS").isTrue();
        assertThat(KpodHarness.eventually(60, () -> kpod.run("exec", "probed-live", "nslookup", "gsvc").out()
                .contains(podIp))).as("the Service name resolves to the ready pod").isTrue();
        kpod.ok("exec", "probed-gated", "rm", "/tmp/ready");
        assertThat(KpodHarness.eventually(20, () -> !read(dnsEntries).contains("gsvc")))
                .as("a pod that is no longer ready leaves its Service in DNS").isTrue();
        assertThat(read(dnsEntries)).as("its own names stay").contains("probed-web");
        kpod.ok("exec", "probed-live", "rm", "/tmp/alive");
        assertThat(KpodHarness.eventually(20, () -> kpod.ok("inspect", "--format", "{{.RestartCount}}",
                "probed-live").trimmed().equals("1"))).as("the failing liveness probe restarted it").isTrue();
        assertThat(KpodHarness.eventually(10, () -> kpod.ok("logs", "probed-live").out().equals("started\nstarted\n")))
                .isTrue();
        assertNothingFrom(f);
    }

    @Test
    void podmansPerContainerAnnotationsArePlayed() {
        int port = HostNet.freePort();
        Path f = write("annotated.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: ann
                  annotations:
                    io.podman.annotations.init/web: "true"
                    io.podman.annotations.privileged/web: "true"
                    io.podman.annotations.publish-all/web: "true"
                    io.podman.annotations.autoremove/once: "true"
                    io.podman.annotations.cpuset/web: "1"
                    io.podman.annotations.seccomp/free: unconfined
                spec:
                  restartPolicy: Never
                  containers:
                  - name: web
                    image: %1$s
                    command: [sh, -c, "mkdir -p /www; echo annotated > /www/index.html; httpd -f -p %2$d -h /www"]
                    ports: [{containerPort: %2$d}]
                  - name: once
                    image: %1$s
                    command: ["true"]
                  - name: free
                    image: %1$s
                    command: [sleep, 1d]
                """.formatted(IMAGE, port));
        kpod.ok("kube", "play", f.toString());
        assertThat(exec("ann-web", "cat /proc/1/comm")).as("an init process is PID 1").isEqualTo("podman-init\n");
        assertThat(exec("ann-web", "grep Cpus_allowed_list /proc/self/status")).as("cpuset")
                .isEqualTo("Cpus_allowed_list:\t1\n");
        assertThat(exec("ann-free", "grep ^Seccomp: /proc/self/status")).as("seccomp unconfined")
                .isEqualTo("Seccomp:\t0\n");
        assertThat(exec("ann-web", "grep CapEff /proc/self/status")).as("privileged: every capability")
                .containsPattern("CapEff:\\s+000001ff");
        assertThat(KpodHarness.eventually(10, () -> KpodHarness.fetch("http://127.0.0.1:" + port + "/")
                .equals("annotated\n"))).as("publish-all published the containerPort on the same host port").isTrue();
        assertThat(KpodHarness.eventually(20, () -> kpod.ok("ps", "-a", "--format", "{{.Names}}").out().lines()
                .noneMatch("ann-once"::equals))).as("autoremove removed the container when it exited").isTrue();
        assertNothingFrom(f);
    }

    @Test
    void theServicePodEndsWhenEveryPlayedPodHasExited() {
        Path oneShot = write("oneshot.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: short1}
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: %1$s, command: [sleep, "1"]}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: short2}
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: %1$s, command: [sh, -c, "sleep 2; exit 3"]}]
                """.formatted(IMAGE));
        kpod.ok("kube", "play", "--service-container=true", oneShot.toString());
        java.util.function.Supplier<String> pods = () -> kpod.ok("pod", "ps", "--format", "{{.Name}}={{.Status}}")
                .out();
        assertThat(pods.get()).containsPattern("kube-[0-9a-f]{12}-service=Running");
        assertThat(KpodHarness.eventually(30, () -> pods.get().matches("(?s).*kube-[0-9a-f]{12}-service=Exited.*")))
                .as("the service pod stopped by itself once both pods ended: %s", pods.get()).isTrue();
        assertThat(pods.get()).contains("short1=Exited").contains("short2=Exited");
        assertThat(kpod.ok("inspect", "--format", "{{.State.ExitCode}}", "short2-c").trimmed()).isEqualTo("3");
        assertNothingFrom(oneShot);

        Path lasting = write("lasting.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: lasting}
                spec:
                  restartPolicy: Never
                  containers: [{name: c, image: %1$s, command: [sleep, 1d]}]
                """.formatted(IMAGE));
        KpodHarness.Result any = kpod.run("kube", "play", "--service-container=true",
                "--service-exit-code-propagation=any", lasting.toString());
        assertThat(any.code()).isEqualTo(125);
        assertThat(any.err()).contains("--service-exit-code-propagation=any is not supported");
        KpodHarness.Result userns = kpod.run("kube", "play", "--userns=keep-id", lasting.toString());
        assertThat(userns.code()).isEqualTo(125);
        assertThat(userns.err()).contains("--userns=keep-id is only supported in rootless mode");
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).as("refused flags made nothing").isEmpty();
        kpod.ok("kube", "play", "--service-container=true", "--service-exit-code-propagation=none", lasting.toString());
        kpod.ok("pod", "stop", "-t", "0", "lasting");
        assertThat(KpodHarness.eventually(30, () -> pods.get().matches("(?s).*kube-[0-9a-f]{12}-service=Exited.*")))
                .as("stopping the last pod by hand ends the service too: %s", pods.get()).isTrue();
        assertNothingFrom(lasting);
    }

    @Test
    void generatedYamlPlaysBackIntoTheSamePod() throws IOException {
        kpod.ok("volume", "create", "gdata");
        kpod.ok("pod", "create", "--name", "gp", "-p", "18391:8080", "--add-host", "db.example:10.0.0.9");
        kpod.ok("create", "--pod", "gp", "--name", "gp-web", "-e", "FOO=bar", "-w", "/tmp", "-v", "gdata:/data",
                "--memory", "64m", "--read-only", "--cap-drop", "chown", "--stop-timeout", "1", IMAGE,
                "httpd", "-f", "-p", "8080", "-h", "/data");
        kpod.ok("run", "--rm", "-v", "gdata:/data", IMAGE, "sh", "-c", "echo from-volume > /data/index.html");
        Path f = dir.resolve("generated.yaml");
        kpod.ok("kube", "generate", "--type", "deployment", "-s", "-f", f.toString(), "gp");
        String yaml = read(f);
        assertThat(yaml).contains("kind: PersistentVolumeClaim").contains("kind: Deployment").contains("kind: Service")
                .contains("claimName: gdata").contains("readOnlyRootFilesystem: true").contains("- CHOWN")
                .contains("hostPort: 18391").doesNotContain("io.kpod.");
        assertThat(yaml.indexOf("PersistentVolumeClaim")).isLessThan(yaml.indexOf("kind: Deployment"));
        KpodHarness.Result again = kpod.run("kube", "generate", "-f", f.toString(), "gp");
        assertThat(again.code()).isNotZero();
        assertThat(again.err()).contains("exists");
        kpod.ok("pod", "rm", "-f", "gp");

        kpod.ok("kube", "play", f.toString());
        assertThat(exec("gp-pod-0-web", "echo $FOO; pwd; grep db.example /etc/hosts"))
                .isEqualTo("bar\n/tmp\n10.0.0.9\tdb.example\n");
        assertThat(kpod.run("exec", "gp-pod-0-web", "touch", "/x").code()).isNotZero();
        assertThat(KpodHarness.eventually(10, () -> KpodHarness.fetch("http://127.0.0.1:18391/").equals("from-volume\n")))
                .as("published port and the named volume came back").isTrue();
        kpod.ok("kube", "down", f.toString());
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).as("the claim's volume stays").isEqualTo("gdata");
        kpod.ok("volume", "rm", "gdata");
    }

    @Test
    void lifecycleHooksRunAfterStartAndBeforeStop() throws IOException {
        Path out = Files.createTempDirectory(kpod.base(), "hook");
        Path f = write("hooks.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: hooks}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                  - name: c
                    image: %s
                    command: [sleep, 1d]
                    lifecycle:
                      postStart: {exec: {command: [sh, -c, "echo post > /tmp/post"]}}
                      preStop: {exec: {command: [sh, -c, "echo pre-stop-ran > /out/pre"]}}
                    volumeMounts: [{name: out, mountPath: /out}]
                  volumes: [{name: out, hostPath: {path: %s, type: Directory}}]
                """.formatted(IMAGE, out));
        kpod.ok("kube", "play", f.toString());
        assertThat(exec("hooks-c", "cat /tmp/post")).isEqualTo("post\n");
        assertThat(out.resolve("pre")).doesNotExist();
        kpod.ok("kube", "down", f.toString());
        assertThat(read(out.resolve("pre"))).isEqualTo("pre-stop-ran\n");
    }

    @Test
    void imagesArePulledFromARegistryOncePerPlay() {
        try (LocalRegistry registry = LocalRegistry.start(15030, false, null, null)) {
            String ref = registry.host() + "/kube/busybox:1";
            kpod.ok("push", "--tls-verify=false", IMAGE, ref);
            Path f = write("pull.yaml", """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: pulled}
                    spec:
                      terminationGracePeriodSeconds: 1
                      containers:
                      - {name: a, image: "%1$s", command: [sleep, 1d]}
                      - {name: b, image: "%1$s", imagePullPolicy: Always, command: [sleep, 1d]}
                    """.formatted(ref));
            assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).doesNotContain(ref);
            kpod.ok("kube", "play", "--tls-verify=false", f.toString());
            assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains(ref);
            assertThat(kpod.ok("inspect", "--format", "{{.ImageName}}", "pulled-b").trimmed()).isEqualTo(ref);
            assertThat(exec("pulled-a", "echo pulled-and-running")).isEqualTo("pulled-and-running\n");
            assertNothingFrom(f);
            kpod.ok("rmi", ref);
        }
    }

    @Test
    void daemonSetFromAUrlWithExtraConfigMapPublishAndStartFalse() throws IOException {
        String yaml = """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      terminationGracePeriodSeconds: 1
                      shareProcessNamespace: true
                      dnsConfig: {searches: [corp.example], options: [{name: ndots, value: "2"}]}
                      containers:
                      - name: web
                        image: %1$s
                        command: [sh, -c, "mkdir -p /www; echo $(GREETING) > /www/index.html; exec httpd -f -p 8080 -h /www"]
                        envFrom: [{configMapRef: {name: external}}]
                        ports: [{containerPort: 8080}]
                      - {name: side, image: %1$s, command: [sleep, 1d]}
                """.formatted(IMAGE);
        Path cm = write("external.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: external}
                data: {GREETING: from-external-configmap}
                """);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/agent.yaml", ex -> {
            byte[] body = yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/agent.yaml";
            kpod.ok("kube", "play", "--start=false", "--configmap", cm.toString(), "--publish", "18392:8080", url);
            assertThat(kpod.ok("pod", "ps", "--format", "{{.Name}} {{.Status}}").trimmed()).isEqualTo("agent-pod Created");
            kpod.ok("pod", "start", "agent-pod");
            assertThat(KpodHarness.eventually(10, () -> KpodHarness.fetch("http://127.0.0.1:18392/").equals("from-external-configmap\n")))
                    .as("--publish maps the containerPort; --configmap fed envFrom").isTrue();
            assertThat(exec("agent-pod-side", "ps")).as("shareProcessNamespace").contains("httpd");
            assertThat(exec("agent-pod-side", "cat /etc/resolv.conf")).contains("corp.example").contains("ndots:2");
            kpod.ok("kube", "down", url);
        } finally {
            server.stop(0);
        }
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
