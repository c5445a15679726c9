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

    private static List<String> warningsOf(String yaml) {
        ParseResult parsed = KubeYaml.create().parseText("test.yaml", yaml);
        Manifest m = Manifest.of(parsed, List.of());
        Warnings w = new Warnings(false);
        PodTranslator t = new PodTranslator(m, PlayOptions.defaults(), "key", List.of("kpod-kube"), w);
        m.workloads().forEach(wl -> t.translate(wl, 0, Map.of()));
        return w.lines();
    }

    private static String job(String jobSpec) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: j}
                spec:
                  %s
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: a, image: i}]
                """.formatted(jobSpec);
    }

    @Test
    void aJobsCompletionsAreItsPodsAndRunOneAfterAnotherWithoutWarning() {
        assertThat(translate(job("completions: 3")).get(0).pod().completions()).isEqualTo(3);
        assertThat(warningsOf(job("completions: 3"))).isEmpty();
        assertThat(warningsOf(job("completions: 3\n  parallelism: 1"))).isEmpty();
        assertThat(translate(job("backoffLimit: 2")).get(0).pod().completions()).as("Kubernetes' default").isEqualTo(1);
        assertThat(translate("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers: [{name: a, image: i}]
                """).get(0).pod().completions()).as("not a Job").isNull();

        List<String> parallel = warningsOf(job("completions: 3\n  parallelism: 2"));
        assertThat(parallel).hasSize(1);
        assertThat(parallel.get(0)).contains("spec.parallelism").contains("parallelism 1");
        assertThat(translate(job("completions: 3\n  parallelism: 2")).get(0).pod().completions()).isEqualTo(3);
        assertThatThrownBy(() -> translate(job("completions: -1"))).hasMessageContaining("spec.completions");
    }

    @Test
    void completionsChangeAJobsHashOnlyAboveOne() {
        String one = translate(job("backoffLimit: 2")).get(0).hash();
        assertThat(translate(job("backoffLimit: 2\n  completions: 1")).get(0).hash())
                .as("completions 1 is the default: a Job played before completions counted keeps its hash")
                .isEqualTo(one);
        String three = translate(job("backoffLimit: 2\n  completions: 3")).get(0).hash();
        assertThat(three).isNotEqualTo(one);
        assertThat(translate(job("backoffLimit: 2\n  completions: 4")).get(0).hash()).isNotEqualTo(three);
    }

    private static final String VOLUMES_FROM = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: vf}
            spec:
              selector: {matchLabels: {app: vf}}
              template:
                metadata:
                  labels: {app: vf}
                  annotations:
                    io.podman.annotations.volumes-from/reader: "data:ro;writer;later:rw,z"
                spec:
                  containers:
                  - {name: writer, image: quay.io/x/y}
                  - {name: reader, image: quay.io/x/y}
                  - {name: later, image: quay.io/x/y}
            """;

    @Test
    void volumesFromNamesEarlierContainersOfThePodOrContainersOutsideIt() {
        DesiredPod p = translate(VOLUMES_FROM).get(0);
        DesiredContainer writer = p.containers().get(0);
        DesiredContainer reader = p.containers().get(1);
        assertThat(reader.spec().annotations()).as("writer is in the pod and declared before; later is not")
                .containsEntry("io.podman.annotations.volumes-from", "data:ro;vf-pod-0-writer;later:rw");
        assertThat(reader.volumesFrom().containers()).containsExactly("data", "later");
        assertThat(reader.volumesFrom().field())
                .isEqualTo("spec.template.metadata.annotations[io.podman.annotations.volumes-from/reader]");
        assertThat(writer.volumesFrom()).isNull();
        assertThat(writer.spec().annotations()).doesNotContainKey("io.podman.annotations.volumes-from");
        assertThat(PodTranslator.hash(p.pod(), p.containers(), p.volumes()))
                .as("a changed source changes the pod").isNotEqualTo(translate(VOLUMES_FROM.replace("data:ro", "data"))
                        .get(0).hash());
    }

    @Test
    void volumesFromErrorsNameTheAnnotation() {
        String field = "spec.template.metadata.annotations[io.podman.annotations.volumes-from/reader]";
        assertThatThrownBy(() -> translate(VOLUMES_FROM.replace("data:ro;", "data:Z;")))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining(field)
                .hasMessageContaining("invalid option \"Z\"");
        assertThatThrownBy(() -> translate(VOLUMES_FROM.replace("data:ro;", "reader;")))
                .isInstanceOf(InvalidManifestException.class).hasMessageContaining(field)
                .hasMessageContaining("cannot take volumes from itself");
        assertThatThrownBy(() -> translate(VOLUMES_FROM.replace("volumes-from/reader", "volumes-from")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("spec.template.metadata.annotations[io.podman.annotations.volumes-from]")
                .hasMessageContaining("reserved for internal use");
    }

    @Test
    void volumesFromSourcesOutsideThePodMustExistBeforeAnythingIsMade() {
        List<DesiredPod> pods = translate(VOLUMES_FROM);
        java.util.Set<String> asked = new java.util.LinkedHashSet<>();
        VolumesFromSources.check(pods, ref -> asked.add(ref));
        assertThat(asked).containsExactly("data", "later");
        assertThatThrownBy(() -> VolumesFromSources.check(pods, ref -> !ref.equals("later")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("spec.template.metadata.annotations[io.podman.annotations.volumes-from/reader]")
                .hasMessageContaining("no container with name or ID \"later\" found");
    }

    private static final String ANNOTATED = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ann
              annotations:
                io.podman.annotations.autoremove/once: "true"
                io.podman.annotations.init/web: "TRUE"
                io.podman.annotations.privileged/web: "1"
                io.podman.annotations.publish-all/web: "true"
                io.podman.annotations.privileged/once: "false"
                io.podman.annotations.apparmor/web: unconfined
                io.podman.annotations.cpuset/web: "0-1"
                io.podman.annotations.seccomp/web: unconfined
                io.podman.annotations.seccomp/once: /etc/kpod/strict.json
                io.podman.annotations.memory-nodes/web: "0"
            spec:
              restartPolicy: Never
              containers:
              - {name: web, image: quay.io/x/y, ports: [{containerPort: 8080}, {containerPort: 9090, hostPort: 19090}]}
              - {name: once, image: quay.io/x/y}
            """;

    @Test
    void podmansPerContainerAnnotationsAreHonoured() {
        DesiredPod p = translate(ANNOTATED).get(0);
        ContainerSpec web = p.containers().get(0).spec();
        ContainerSpec once = p.containers().get(1).spec();
        assertThat(web.init()).isTrue();
        assertThat(web.security().privileged()).isTrue();
        assertThat(web.removeOnExit()).isFalse();
        assertThat(once.removeOnExit()).isTrue();
        assertThat(once.init()).isFalse();
        assertThat(once.security().privileged()).isFalse();
        assertThat(web.resources().cpusetCpus()).isEqualTo("0-1");
        assertThat(web.resources().cpusetMems()).isEqualTo("0");
        assertThat(once.resources().cpusetCpus()).isNull();
        assertThat(web.security().seccompProfile()).isEqualTo("unconfined");
        assertThat(once.security().seccompProfile()).isEqualTo("/etc/kpod/strict.json");
        assertThat(p.pod().network().publish()).as("publish-all publishes the container's ports on the same host ports")
                .containsExactly("8080:8080/tcp", "19090:9090/tcp");
    }

    @Test
    void podmanAnnotationErrorsNameTheAnnotation() {
        assertThatThrownBy(() -> translate(ANNOTATED.replace("\"TRUE\"", "maybe")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("metadata.annotations[io.podman.annotations.init/web]")
                .hasMessageContaining("\"maybe\" is not a boolean");
        assertThatThrownBy(() -> translate(ANNOTATED.replace("restartPolicy: Never", "restartPolicy: Always")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("metadata.annotations[io.podman.annotations.autoremove/once]")
                .hasMessageContaining("restartPolicy Never");
        assertThatThrownBy(() -> translate(ANNOTATED.replace("\"0-1\"", "\"1-0\"")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("metadata.annotations[io.podman.annotations.cpuset/web]")
                .hasMessageContaining("goes backwards");
        assertThatThrownBy(() -> translate(ANNOTATED.replace("seccomp/web: unconfined", "seccomp/web: relative.json")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("metadata.annotations[io.podman.annotations.seccomp/web]");
    }

    @Test
    void aPodWithReadinessProbesGetsItsServiceNamesOnlyThroughTheEngine() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata: {name: s1}
                spec: {selector: {app: a}, ports: [{port: 80}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: probed, labels: {app: a}}
                spec:
                  containers:
                  - name: c
                    image: quay.io/x/y
                    readinessProbe: {exec: {command: ["true"]}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: plain, labels: {app: a}}
                spec:
                  containers: [{name: c, image: quay.io/x/y}]
                """;
        List<DesiredPod> pods = translate(yaml);
        DesiredPod probed = pods.stream().filter(p -> p.name().equals("probed")).findFirst().orElseThrow();
        DesiredPod plain = pods.stream().filter(p -> p.name().equals("plain")).findFirst().orElseThrow();
        assertThat(probed.pod().network().aliases()).contains("probed", "probed-c").doesNotContain("s1");
        assertThat(probed.pod().labels()).containsEntry(io.kpod.engine.pod.PodService.READY_NAMES,
                "s1,s1.default,s1.default.svc,s1.default.svc.cluster.local");
        assertThat(plain.pod().network().aliases()).contains("s1", "s1.default.svc.cluster.local");
        assertThat(plain.pod().labels()).doesNotContainKey(io.kpod.engine.pod.PodService.READY_NAMES);
    }

    @Test
    void theUsernsAnnotationGivesThePodItsUserNamespaceAndWinsOverTheFlag() {
        String yaml = ANNOTATED.replace("io.podman.annotations.apparmor/web: unconfined",
                "io.podman.annotations.apparmor/web: unconfined\n    io.podman.annotations.userns: auto:size=4096");
        PlayOptions strict = new PlayOptions(true, false, List.of(), List.of(), false, null, Map.of(), List.of(),
                List.of(), false, true, null);
        assertThat(translate(yaml, strict).get(0).pod().userns().autoSize()).isEqualTo(4096L);
        PlayOptions host = new PlayOptions(true, false, List.of(), List.of(), false, null, Map.of(), List.of(),
                List.of(), false, false, null, Map.of(), false, "host");
        assertThat(translate(yaml, host).get(0).pod().userns().mode()).isEqualTo("auto");
        PlayOptions auto = new PlayOptions(true, false, List.of(), List.of(), false, null, Map.of(), List.of(),
                List.of(), false, false, null, Map.of(), false, "auto");
        assertThat(translate(ANNOTATED, auto).get(0).pod().userns().autoSize()).isNull();
        assertThat(translate(ANNOTATED).get(0).pod().userns()).isNull();
        assertThatThrownBy(() -> translate(yaml.replace("auto:size=4096", "keep-id"), strict))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("metadata.annotations[io.podman.annotations.userns]")
                .hasMessageContaining("rootless");
    }
}
