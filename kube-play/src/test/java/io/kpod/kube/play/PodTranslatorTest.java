package io.kpod.kube.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.engine.image.PullPolicy;
import io.kpod.kube.yaml.InvalidManifestException;
import io.kpod.kube.yaml.KubeYaml;
import io.kpod.kube.yaml.ParseResult;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.RestartPolicy;
import io.kpod.spec.VolumeMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTranslatorTest {
    private static List<DesiredPod> translate(String yaml) {
        return translate(yaml, PlayOptions.defaults());
    }

    private static List<DesiredPod> translate(String yaml, PlayOptions opts) {
        ParseResult parsed = KubeYaml.create().parseText("test.yaml", yaml);
        Manifest m = Manifest.of(parsed, List.of());
        PodTranslator t = new PodTranslator(m, opts, "key", List.of("kpod-kube"), new Warnings(opts.strict()));
        return m.workloads().stream().flatMap(w -> java.util.stream.IntStream.range(0, w.replicas())
                .mapToObj(i -> t.translate(w, i, Map.of()))).toList();
    }

    private static final String DEPLOY = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm}
            data: {A: from-cm, B: b}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: c
                    image: quay.io/x/y
                    command: [run, "$(A)", "$$(A)"]
                    args: ["$(MISSING)"]
                    envFrom: [{configMapRef: {name: cm}}]
                    env: [{name: A, value: explicit}, {name: C, value: "$(A)-$(B)"}]
                    ports: [{containerPort: 80}, {containerPort: 443, hostPort: 8443}]
                    resources: {limits: {memory: 128Mi, cpu: 250m}, requests: {cpu: "1"}}
                    volumeMounts: [{name: tmp, mountPath: /tmp, subPath: a/b}]
                  volumes: [{name: tmp, emptyDir: {medium: Memory, sizeLimit: 1Mi}}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: websvc, namespace: prod}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{port: 80, nodePort: 30080}]
            """;

    @Test
    void deploymentReplicasAreNamedAsPodmanNamesThem() {
        List<DesiredPod> pods = translate(DEPLOY);
        assertThat(pods).extracting(DesiredPod::name).containsExactly("web-pod-0", "web-pod-1", "web-pod-2");
        assertThat(pods.get(0).containers().get(0).spec().name()).isEqualTo("web-pod-0-c");
        assertThat(pods.get(0).pod().infraName()).isEqualTo("web-pod-0-infra");
        assertThat(pods.get(0).hash()).isNotEqualTo(pods.get(1).hash());
        assertThat(translate(DEPLOY).get(0).hash()).as("stable").isEqualTo(pods.get(0).hash());
    }

    @Test
    void envExplicitWinsAndExpandsFromEarlierEntries() {
        ContainerSpec c = translate(DEPLOY).get(0).containers().get(0).spec();
        assertThat(c.process().env()).containsEntry("A", "explicit").containsEntry("B", "b")
                .containsEntry("C", "explicit-b");
        assertThat(c.process().entrypoint()).containsExactly("run", "explicit", "$(A)");
        assertThat(c.process().command()).containsExactly("$(MISSING)");
        assertThat(c.restartPolicy()).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ALWAYS, 0));
        assertThat(translate(DEPLOY).get(0).containers().get(0).pullPolicy()).isEqualTo(PullPolicy.ALWAYS);
    }

    @Test
    void resourcesPortsServicesAndVolumes() {
        DesiredPod p0 = translate(DEPLOY).get(0);
        ContainerSpec c = p0.containers().get(0).spec();
        assertThat(c.resources().memoryBytes()).isEqualTo(128L << 20);
        assertThat(c.resources().cpuQuota()).isEqualTo(25_000L);
        assertThat(c.resources().cpuShares()).isEqualTo(1024L);
        assertThat(p0.pod().network().publish()).containsExactly("8443:443/tcp", "30080:80/tcp");
        assertThat(translate(DEPLOY).get(1).pod().network().publish()).as("node ports on replica 0 only")
                .containsExactly("8443:443/tcp");
        assertThat(p0.pod().network().aliases()).contains("websvc", "websvc.prod", "websvc.prod.svc.cluster.local",
                "web-pod-0", "web-pod-0-c");
        assertThat(p0.volumes()).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("web-pod-0-tmp");
            assertThat(v.options()).containsEntry("type", "tmpfs").containsEntry("o", "size=1048576");
        });
        assertThat(c.mounts()).containsExactly(new VolumeMount(VolumeMount.Type.VOLUME, "web-pod-0-tmp", "/tmp",
                List.of("rw", "subpath=a/b")));
    }

    @Test
    void errorsNameTheFieldPath() {
        assertThatThrownBy(() -> translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: i, envFrom: [{secretRef: {name: nope}}]}]
                """)).isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("spec.containers[0].envFrom[0].secretRef.name");
        assertThatThrownBy(() -> translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: i, volumeMounts: [{name: v, mountPath: /v, subPath: ../x}]}]
                  volumes: [{name: v, emptyDir: {}}]
                """)).hasMessageContaining("volumeMounts[0].subPath");
        assertThatThrownBy(() -> translate("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: j}
                spec:
                  template:
                    spec:
                      restartPolicy: Always
                      containers: [{name: a, image: i}]
                """)).hasMessageContaining("restartPolicy");
        assertThatThrownBy(() -> translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers: [{name: a, image: i}]
                """.formatted("x".repeat(64)))).hasMessageContaining("at most 63");
    }

    @Test
    void imageVolumesMountReadOnlyWithTheirPullPolicy() {
        DesiredPod p = translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: a
                    image: i:1
                    volumeMounts:
                    - {name: data, mountPath: /data}
                    - {name: data, mountPath: /etc-of-data, subPath: etc, readOnly: false}
                    - {name: tools, mountPath: /tools}
                  volumes:
                  - name: data
                    image: {reference: "registry.example/data:2", pullPolicy: Never}
                  - name: tools
                    image: {reference: "registry.example/tools"}
                """).get(0);
        assertThat(p.containers().get(0).spec().mounts()).containsExactly(
                new VolumeMount(VolumeMount.Type.IMAGE, "registry.example/data:2", "/data", List.of("ro")),
                new VolumeMount(VolumeMount.Type.IMAGE, "registry.example/data:2", "/etc-of-data",
                        List.of("ro", "subpath=etc")),
                new VolumeMount(VolumeMount.Type.IMAGE, "registry.example/tools", "/tools", List.of("ro")));
        assertThat(p.volumes()).filteredOn(v -> v.kind() == DesiredVolume.Kind.IMAGE)
                .extracting(DesiredVolume::name, v -> v.options().get(DesiredVolume.PULL_POLICY))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("registry.example/data:2", "NEVER"),
                        org.assertj.core.groups.Tuple.tuple("registry.example/tools", "ALWAYS"));
        assertThatThrownBy(() -> translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: i:1, volumeMounts: [{name: v, mountPath: /v}]}]
                  volumes: [{name: v, image: {pullPolicy: Never}}]
                """)).isInstanceOf(InvalidManifestException.class).hasMessageContaining("spec.volumes[0].image.reference");
        assertThatThrownBy(() -> translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: i:1, volumeMounts: [{name: v, mountPath: /v}]}]
                  volumes: [{name: v, image: {reference: x, pullPolicy: Sometimes}}]
                """)).hasMessageContaining("spec.volumes[0].image.pullPolicy").hasMessageContaining("Sometimes");
    }

    @Test
    void optionalReferencesMayBeMissingAndOptionalOnlyThen() {
        List<DesiredPod> pods = translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: a
                    image: i:1
                    envFrom: [{configMapRef: {name: nope, optional: true}}]
                    env: [{name: X, valueFrom: {secretKeyRef: {name: s, key: k, optional: true}}}]
                """);
        assertThat(pods.get(0).containers().get(0).spec().process().env()).doesNotContainKey("X");
        assertThat(pods.get(0).containers().get(0).pullPolicy()).isEqualTo(PullPolicy.MISSING);
    }

    @Test
    void expansionFollowsKubernetes() {
        Map<String, String> env = Map.of("A", "1", "B", "two");
        assertThat(EnvExpansion.expand("$(A)-$(B)", env)).isEqualTo("1-two");
        assertThat(EnvExpansion.expand("$$(A)", env)).isEqualTo("$(A)");
        assertThat(EnvExpansion.expand("$(C) $A $", env)).isEqualTo("$(C) $A $");
        assertThat(EnvExpansion.expand("$(A", env)).isEqualTo("$(A");
        assertThat(EnvExpansion.expand("$$$(A)", env)).isEqualTo("$1");
    }
}
