package io.kpod.kube.play;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.kube.yaml.InvalidManifestException;
import io.kpod.kube.yaml.KubeYaml;
import io.kpod.spec.VolumeMount;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Hostile and careless manifests, generated: translating them either succeeds, with nothing that
 * points outside a volume, or fails with kpod's invalid-manifest error naming a field path —
 * never another exception. (Translation runs before kube play changes anything, so a refused
 * manifest leaves the host as it was; the e2e errors test checks that on the runtime.)
 */
class TranslationPropertiesTest {
    /** Mostly what a careful author writes, sometimes what a hostile or careless one does. */
    private static Arbitrary<String> mix(List<String> valid, List<String> hostile) {
        return Arbitraries.frequencyOf(Tuple.of(7, Arbitraries.of(valid)), Tuple.of(1, Arbitraries.of(hostile)));
    }

    @Provide
    Arbitrary<String> manifests() {
        Arbitrary<String> name = mix(List.of("web", "a", "x-1"),
                List.of("../x", "A", "a_b", "", "-a", "a".repeat(64), "a".repeat(300), "dots.in.label"));
        Arbitrary<String> mount = mix(List.of("/data", "/etc/cfg", "/ok/sub"),
                List.of("data", "../..", "/", "/a/../../b", "", "/x/./y"));
        Arbitrary<String> item = mix(List.of("f.txt", "dir/f.txt"),
                List.of("../../etc/x", "/etc/passwd", "a/../../b", "..", "", "./f", "a//b"));
        Arbitrary<String> subPath = mix(List.of("", "f.txt", "dir"),
                List.of("../../etc/x", "/etc/passwd", "a/../../b", "..", "./f"));
        Arbitrary<String> port = mix(List.of("80", "8080"), List.of("0", "-1", "70000", "\"abc\"", "1.5", "true", "[]", "{}"));
        Arbitrary<String> hostPort = mix(List.of("0", "null"), List.of("-1", "70000", "\"x\""));
        Arbitrary<String> user = mix(List.of("0", "1000", "null"), List.of("-1", "\"abc\"", "1.5", "[]"));
        Arbitrary<String> memory = mix(List.of("\"64Mi\"", "\"1Gi\"", "null"), List.of("\"abc\"", "\"-1\"", "[]", "true"));
        Arbitrary<String> replicas = mix(List.of("1", "2", "0"), List.of("-1", "\"abc\"", "1.5"));
        Arbitrary<String> hostPath = mix(List.of("/tmp", "/srv/data"), List.of("relative", "", "/a/../b"));
        Arbitrary<String> kind = Arbitraries.of("Pod", "Deployment", "DaemonSet", "Job");
        List<Arbitrary<String>> parts = List.of(kind, name, name, mount, item, subPath, port, hostPort, user, memory,
                replicas, name, hostPath);
        return Combinators.combine(parts).as(TranslationPropertiesTest::manifest);
    }

    private static String manifest(List<String> v) {
        String kind = v.get(0);
        String podName = v.get(1);
        String container = v.get(2);
        String mount = v.get(3);
        String item = v.get(4);
        String subPath = v.get(5);
        String port = v.get(6);
        String hostPort = v.get(7);
        String user = v.get(8);
        String memory = v.get(9);
        String replicas = v.get(10);
        String volume = v.get(11);
        String hostPath = v.get(12);
        String spec = """
                  volumes:
                  - name: "%s"
                    configMap: {name: cfg, items: [{key: k, path: "%s"}]}
                  - name: host
                    hostPath: {path: "%s"}
                  containers:
                  - name: "%s"
                    image: localhost/busybox:latest
                    env: [{name: A, value: "$(B)x"}, {name: B, valueFrom: {configMapKeyRef: {name: cfg, key: k}}}]
                    ports: [{containerPort: %s, hostPort: %s}]
                    securityContext: {runAsUser: %s}
                    resources: {limits: {memory: %s}}
                    volumeMounts:
                    - {name: "%s", mountPath: "%s", subPath: "%s"}
                    - {name: host, mountPath: /host}
                """.formatted(volume, item, hostPath, container, port, hostPort, user, memory, volume, mount, subPath);
        String head = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data: {k: v}
                ---
                """;
        if (kind.equals("Pod")) {
            return head + "apiVersion: v1\nkind: Pod\nmetadata: {name: \"" + podName + "\"}\nspec:\n" + spec;
        }
        String api = kind.equals("Job") ? "batch/v1" : "apps/v1";
        String indented = spec.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
        return head + "apiVersion: " + api + "\nkind: " + kind + "\nmetadata: {name: \"" + podName + "\"}\nspec:\n"
                + (kind.equals("Deployment") ? "  replicas: " + replicas + "\n" : "")
                + "  selector: {matchLabels: {app: x}}\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n"
                + indented;
    }

    @Property(tries = 400)
    @StatisticsReport(onFailureOnly = true)
    void translationSucceedsSafelyOrNamesTheField(@ForAll("manifests") String yaml) {
        String outcome = "translated";
        try {
            Manifest m = Manifest.of(KubeYaml.create().parseText("t.yaml", yaml), List.of());
            PlayOptions opts = PlayOptions.defaults();
            PodTranslator t = new PodTranslator(m, opts, "key", List.of("kpod-kube"), new Warnings(opts.strict()));
            for (Manifest.Workload w : m.workloads()) {
                for (int i = 0; i < w.replicas(); i++) {
                    DesiredPod d = t.translate(w, i, Map.of());
                    for (DesiredContainer c : d.containers()) {
                        for (VolumeMount vm : c.spec().mounts()) {
                            assertThat(vm.destination()).startsWith("/");
                            assertThat(vm.destination().split("/")).doesNotContain("..");
                            for (String o : vm.options()) {
                                if (o.startsWith("subpath=")) {
                                    String sub = o.substring("subpath=".length());
                                    assertThat(sub).doesNotStartWith("/");
                                    assertThat(sub.split("/")).doesNotContain("..");
                                }
                            }
                        }
                    }
                    for (DesiredVolume dv : d.volumes()) {
                        for (String f : dv.files().keySet()) {
                            assertThat(f).doesNotStartWith("/");
                            assertThat(f.split("/")).doesNotContain("..");
                        }
                    }
                }
            }
        } catch (InvalidManifestException e) {
            assertThat(e.fieldPath()).as("the error names a field: %s", e.getMessage()).isNotBlank();
            outcome = "refused";
        }
        Statistics.collect(outcome);
        // both outcomes must be common, or the generator tests only one of them
        Statistics.coverage(c -> {
            c.check("translated").percentage(p -> p > 10);
            c.check("refused").percentage(p -> p > 30);
        });
    }
}
