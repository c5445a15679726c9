package io.kpod.kube.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kpod.kube.yaml.InvalidManifestException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile manifests that must be refused, each at the field at fault, before kube play changes
 * anything: names that are not DNS-1123 (they become pod, container and volume names, and so
 * paths under the graph root), ConfigMap and Secret files and subPaths outside their volume,
 * values the engine's specs would refuse, and more pods than one play may make.
 */
class HostileManifestTest {
    private static final String LONG = "a".repeat(300);

    private static InvalidManifestException refusal(String yaml) {
        InvalidManifestException e = catchThrowableOfType(InvalidManifestException.class,
                () -> HostileManifestPropertiesTest.translateAndCheck(yaml));
        assertThat(e).as("refused:\n%s", yaml).isNotNull();
        return e;
    }

    private static String pod(String name, String container, String volume, String mountName) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: "%s"}
                spec:
                  containers: [{name: "%s", image: i, volumeMounts: [{name: "%s", mountPath: /v}]}]
                  volumes: [{name: "%s", emptyDir: {}}]
                """.formatted(name, container, mountName, volume);
    }

    static List<Arguments> badNames() {
        List<Arguments> out = new ArrayList<>();
        for (String bad : List.of("../x", LONG, "/etc", "A", "a_b", "..")) {
            out.add(Arguments.of("pod " + bad, pod(bad, "c", "v", "v"), "metadata.name"));
            out.add(Arguments.of("container " + bad, pod("p", bad, "v", "v"), "spec.containers[0].name"));
            out.add(Arguments.of("volume " + bad, pod("p", "c", bad, bad), "spec.volumes[0].name"));
            out.add(Arguments.of("ConfigMap " + bad, """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: "%s"}
                    """.formatted(bad), "metadata.name"));
            out.add(Arguments.of("Secret " + bad, """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: "%s"}
                    """.formatted(bad), "metadata.name"));
            out.add(Arguments.of("Deployment " + bad, """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: "%s"}
                    spec: {template: {spec: {containers: [{name: c, image: i}]}}}
                    """.formatted(bad), "metadata.name"));
            out.add(Arguments.of("Service " + bad, """
                    apiVersion: v1
                    kind: Service
                    metadata: {name: "%s"}
                    """.formatted(bad), "metadata.name"));
            out.add(Arguments.of("claimName " + bad, """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: p}
                    spec:
                      containers: [{name: c, image: i}]
                      volumes: [{name: v, persistentVolumeClaim: {claimName: "%s"}}]
                    """.formatted(bad), "spec.volumes[0].persistentVolumeClaim.claimName"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNames")
    void namesThatAreNotDns1123AreRefusedAtTheirField(String what, String yaml, String field) {
        InvalidManifestException e = refusal(yaml);
        assertThat(e.fieldPath()).isEqualTo(field);
        assertThat(e.reason()).startsWith("invalid name \"").contains("RFC 1123");
        assertThat(e.getMessage()).as("a 300-character name is shortened in the message").hasSizeLessThan(300);
    }

    static List<Arguments> escapingPaths() {
        List<Arguments> out = new ArrayList<>();
        String head = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cfg}
                data: {k: v}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: sec}
                data: {k: djE=}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: c, image: i, env: [{name: X, value: "%1$s"}], volumeMounts: [%2$s]}]
                  volumes:
                  - %3$s
                """;
        for (String p : List.of("../../etc/x", "/etc/x", "a/../../x", "..", "a/..", "\\0")) {
            out.add(Arguments.of("ConfigMap item " + p, head.formatted("", "",
                    "{name: v, configMap: {name: cfg, items: [{key: k, path: \"" + p + "\"}]}}"),
                    "spec.volumes[0].configMap.items[0].path"));
            out.add(Arguments.of("Secret item " + p, head.formatted("", "",
                    "{name: v, secret: {secretName: sec, items: [{key: k, path: \"" + p + "\"}]}}"),
                    "spec.volumes[0].secret.items[0].path"));
            out.add(Arguments.of("subPath in emptyDir " + p, head.formatted("", "{name: v, mountPath: /m, subPath: \""
                    + p + "\"}", "{name: v, emptyDir: {}}"), "spec.containers[0].volumeMounts[0].subPath"));
            out.add(Arguments.of("subPath in hostPath " + p, head.formatted("", "{name: v, mountPath: /m, subPath: \""
                    + p + "\"}", "{name: v, hostPath: {path: /srv}}"), "spec.containers[0].volumeMounts[0].subPath"));
            out.add(Arguments.of("subPathExpr to " + p, head.formatted(p, "{name: v, mountPath: /m, subPathExpr: "
                    + "\"$(X)\"}", "{name: v, emptyDir: {}}"), "spec.containers[0].volumeMounts[0].subPath"));
        }
        // without items every key becomes a file: the key must stay inside too
        out.add(Arguments.of("ConfigMap key ../x", head.replace("data: {k: v}", "data: {\"../x\": v}")
                .formatted("", "", "{name: v, configMap: {name: cfg}}"), "spec.volumes[0].configMap"));
        out.add(Arguments.of("Secret key /etc/x", head.replace("data: {k: djE=}", "data: {\"/etc/x\": djE=}")
                .formatted("", "", "{name: v, secret: {secretName: sec}}"), "spec.volumes[0].secret"));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapingPaths")
    void filesAndSubPathsOutsideTheirVolumeAreRefused(String what, String yaml, String field) {
        InvalidManifestException e = refusal(yaml);
        assertThat(e.fieldPath()).isEqualTo(field);
        assertThat(e.reason()).containsAnyOf("must not contain '..'", "must be a relative path inside the volume",
                "must not contain a NUL character");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            negative grace period   | terminationGracePeriodSeconds: -1                               | spec.terminationGracePeriodSeconds                 | must not be negative
            sysctl without a name   | securityContext: {sysctls: [{value: '1'}]}                      | spec.securityContext.sysctls[0].name               | a sysctl needs a name
            probe period 0          | containers: [{name: c, image: i, livenessProbe: {exec: {command: [x]}, periodSeconds: 0}}]      | spec.containers[0].livenessProbe.periodSeconds      | must be at least 1
            probe timeout -5        | containers: [{name: c, image: i, livenessProbe: {exec: {command: [x]}, timeoutSeconds: -5}}]    | spec.containers[0].livenessProbe.timeoutSeconds     | must be at least 1
            probe threshold -1      | containers: [{name: c, image: i, livenessProbe: {exec: {command: [x]}, failureThreshold: -1}}]  | spec.containers[0].livenessProbe.failureThreshold   | must be at least 1
            probe delay -1          | containers: [{name: c, image: i, startupProbe: {exec: {command: [x]}, initialDelaySeconds: -1}}] | spec.containers[0].startupProbe.initialDelaySeconds | must be at least 0
            hostPath volume ..      | volumes: [{name: v, hostPath: {path: ..}}]                      | spec.volumes[0].hostPath.path                      | ".." is neither an absolute path nor a volume name (names match [a-zA-Z0-9][a-zA-Z0-9_.-]*)
            """)
    void valuesTheEnginesSpecsWouldRefuseAreNamedAtTheirField(String what, String specLine, String field, String reason) {
        String containers = specLine.startsWith("containers:") ? "" : "  containers: [{name: c, image: i}]\n";
        InvalidManifestException e = refusal("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + containers
                + "  " + specLine + "\n");
        assertThat(e.fieldPath()).isEqualTo(field);
        assertThat(e.reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Pod       | metadata.annotations[io.podman.annotations.pids-limit]
            Deployment | spec.template.metadata.annotations[io.podman.annotations.pids-limit]
            """)
    void aPidsLimitAnnotationThatIsNotANumberIsRefused(String kind, String field) {
        String yaml = kind.equals("Pod")
                ? "apiVersion: v1\nkind: Pod\nmetadata: {name: p, annotations: {io.podman.annotations.pids-limit: lots}}\n"
                        + "spec: {containers: [{name: c, image: i}]}\n"
                : "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
                        + "    metadata: {annotations: {io.podman.annotations.pids-limit: lots}}\n"
                        + "    spec: {containers: [{name: c, image: i}]}\n";
        InvalidManifestException e = refusal(yaml);
        assertThat(e.fieldPath()).isEqualTo(field);
        assertThat(e.reason()).isEqualTo("\"lots\" is not a number");
    }

    /** Before the limit, {@code replicas: 2000000000} was translated pod by pod into memory: a hang, then out of memory. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            one huge Deployment         | 2000000000 | 0
            the limit spread over two   | 600        | 401
            """)
    void moreThanMaxPodsAreRefusedAtOnce(String what, int first, int second) {
        String deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s}\nspec:\n  replicas: %d\n"
                + "  template: {spec: {containers: [{name: c, image: i}]}}\n";
        String yaml = deployment.formatted("a", first) + (second == 0 ? "" : "---\n" + deployment.formatted("b", second));
        InvalidManifestException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> refusal(yaml));
        assertThat(e.fieldPath()).isEqualTo("spec.replicas");
        assertThat(e.documentIndex()).isEqualTo(second == 0 ? 1 : 2);
        assertThat(e.reason()).isEqualTo("the manifest makes more than 1000 pods (replicas counted), more than kpod runs"
                + " from one play");
        assertThat(Manifest.MAX_PODS).isEqualTo(1000);
    }
}
