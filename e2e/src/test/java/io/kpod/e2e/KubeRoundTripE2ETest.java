package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * play → generate → down → play the generated YAML, on the real runtime: the containers must
 * see the same things the second time (environment, hostname, user and groups, capabilities,
 * mounts with their files and modes), judged inside the containers, not by comparing YAML.
 * Also {@code kube lint} and {@code kube generate --lint}.
 */
class KubeRoundTripE2ETest extends E2EBase {
    private static Path home() {
        return Path.of(System.getProperty("kpod.home", "..")).toAbsolutePath().normalize();
    }

    /** What each running container (by name) sees, as text. */
    private Map<String, String> observe() {
        Map<String, String> seen = new TreeMap<>();
        for (String name : kpod.ok("ps", "--format", "{{.Names}}").out().split("\n")) {
            if (name.isBlank() || name.endsWith("-infra")) {
                continue;
            }
            String script = String.join("; ",
                    "env | grep -v -e '^HOSTNAME=' -e '^SHLVL=' -e '^PWD=' -e '^_=' | sort",
                    "echo host=$(hostname)",
                    "id",
                    "grep -E '^Cap(Prm|Eff|Bnd)' /proc/self/status",
                    // mounts that are the pod's volumes, with each file's mode, owner and content digest
                    "for m in $(awk '{print $5}' /proc/self/mountinfo | grep -v -E '^/$|^/(proc|sys|dev)(/|$)|^/etc/(hosts|hostname|resolv.conf)$|^/run/secrets|^/run/.containerenv' | sort -u); do"
                            + " echo mount=$m $(grep \" $m \" /proc/self/mountinfo | awk '{print $6}' | cut -d, -f1);"
                            + " find $m -type f -exec ls -ln {} + 2>/dev/null | awk '{print $1, $3, $4, $5, $9}';"
                            + " find $m -type f -exec md5sum {} + 2>/dev/null; done");
            seen.put(name, kpod.ok("exec", name, "sh", "-c", script).out());
        }
        return seen;
    }

    private List<String> playedPods() {
        List<String> pods = new ArrayList<>();
        for (String p : kpod.ok("pod", "ps", "--format", "{{.Name}}").out().split("\n")) {
            if (!p.isBlank() && !p.endsWith("-service")) {
                pods.add(p);
            }
        }
        return pods;
    }

    /** Every example at once (one play of all the files), to keep the suite's time down. */
    @Test
    void theExamplesPlayedFromTheirGeneratedYamlLookTheSameFromInside() throws Exception {
        List<String> files = new ArrayList<>();
        for (String example : List.of("pod.yaml", "init-emptydir.yaml", "config-and-secret.yaml", "pvc.yaml",
                "two-tier.yaml")) {
            files.add(home().resolve("examples").resolve(example).toString());
        }
        List<String> play = new ArrayList<>(List.of("kube", "play"));
        play.addAll(files);
        kpod.ok(play.toArray(String[]::new));
        Map<String, String> before = observe();
        assertThat(before).containsKeys("hello-web", "init-demo-web", "config-demo-app", "counter-count");
        List<String> pods = playedPods();
        List<String> args = new ArrayList<>(List.of("kube", "generate"));
        args.addAll(pods);
        KpodHarness.Result gen = kpod.ok(args.toArray(String[]::new));
        Path generated = kpod.base().resolve("generated.yaml");
        Files.writeString(generated, gen.out());
        assertThat(gen.out()).startsWith("# Save the output of this file and use kubectl create -f to import\n");
        assertThat(gen.err()).contains("Warning: Secret credentials is printed with its values");
        assertThat(gen.out()).contains("kind: Secret").contains("password: czNjcmV0");
        // the original workloads come back: Deployments with their replicas, the Service, the claim
        assertThat(gen.out()).contains("kind: Deployment").contains("replicas: 2").contains("kind: Service")
                .contains("kind: PersistentVolumeClaim").contains("name: counter-data");
        List<String> down = new ArrayList<>(List.of("kube", "down"));
        down.addAll(files);
        kpod.ok(down.toArray(String[]::new));
        assertThat(playedPods()).isEmpty();

        kpod.ok("kube", "play", generated.toString());
        assertThat(playedPods()).containsExactlyInAnyOrderElementsOf(pods);
        Map<String, String> after = observe();
        // the claim's volume outlived the down: the counter it keeps went on from 1 to 2
        assertThat(kpod.ok("exec", "counter-count", "cat", "/data/n").trimmed()).isEqualTo("2");
        before.replaceAll((k, v) -> v.replaceAll("(?m)^[0-9a-f]{32}  /data/n$", ""));
        after.replaceAll((k, v) -> v.replaceAll("(?m)^[0-9a-f]{32}  /data/n$", ""));
        assertThat(after).isEqualTo(before);
        assertThat(KpodHarness.eventually(10, () -> !KpodHarness.fetch("http://127.0.0.1:18081/").isEmpty())).isTrue();
        kpod.ok("kube", "down", "--force", generated.toString());
        kpod.run("volume", "prune", "-f");
    }

    @Test
    void aHandBuiltPodComesBackTheSame() throws Exception {
        kpod.ok("pod", "create", "--name", "hb", "--hostname", "hbhost", "-p", "127.0.0.1:18611:8080");
        kpod.ok("run", "-d", "--pod", "hb", "--name", "hb-web", "-e", "GREETING=hello there", "--user", "1000:1000",
                "--cap-add", "NET_ADMIN", "--cap-drop", "CHOWN", "-v", "hbdata:/data", "-w", "/data", IMAGE,
                "sh", "-c", "mkdir -p /tmp/www && hostname > /tmp/www/index.html; exec httpd -f -p 8080 -h /tmp/www");
        assertThat(KpodHarness.eventually(10, () -> KpodHarness.fetch("http://127.0.0.1:18611/").contains("hbhost"))).isTrue();
        Map<String, String> before = observe();
        String yaml = kpod.ok("kube", "generate", "hb").out();
        Path generated = kpod.base().resolve("hb.yaml");
        Files.writeString(generated, yaml);
        kpod.ok("pod", "rm", "-f", "-t", "0", "hb");

        kpod.ok("kube", "play", generated.toString());
        Map<String, String> after = observe();
        // generate drops the pod's name from the container's (web) and play puts it back, as Podman does
        assertThat(after).isEqualTo(before);
        assertThat(after.get("hb-web")).contains("GREETING=hello there").contains("uid=1000")
                .contains("host=hbhost").contains("mount=/data rw");
        assertThat(KpodHarness.eventually(10, () -> KpodHarness.fetch("http://127.0.0.1:18611/").contains("hbhost"))).isTrue();
        kpod.ok("kube", "down", "--force", generated.toString());
        kpod.run("volume", "rm", "-f", "hbdata");
    }

    @Test
    void lintSaysWhatAClusterWouldTreatDifferently() throws Exception {
        KpodHarness.Result r = kpod.run("kube", "lint", home().resolve("examples/pod.yaml").toString());
        assertThat(r.code()).isEqualTo(1);
        List<String> lines = Arrays.asList(r.out().strip().split("\n"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("localhost/busybox:latest has a localhost/ name"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("uses hostPort 18081"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("no resource limits"));

        kpod.ok("pod", "create", "--name", "lp");
        kpod.ok("run", "-d", "--pod", "lp", "--name", "lp-app", "-v", "/tmp:/host", IMAGE, "sleep", "1d");
        KpodHarness.Result g = kpod.run("kube", "generate", "--lint", "lp");
        assertThat(g.code()).isEqualTo(1);
        assertThat(g.out()).contains("is a hostPath (/tmp)").contains("no liveness or readiness probe")
                .doesNotContain("apiVersion");

        Path careful = kpod.base().resolve("careful.yaml");
        Files.writeString(careful, """
                apiVersion: v1
                kind: Pod
                metadata: {name: careful}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 1000}
                  containers:
                  - name: app
                    image: quay.io/org/app:1
                    resources: {limits: {memory: 64Mi}}
                    readinessProbe: {tcpSocket: {port: 8080}}
                """);
        KpodHarness.Result ok = kpod.run("kube", "lint", careful.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).isEmpty();
    }
}
