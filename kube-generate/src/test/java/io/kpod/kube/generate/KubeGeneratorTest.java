package io.kpod.kube.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.kube.yaml.KubeYaml;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.HealthCheck;
import io.kpod.spec.NetworkSpec;
import io.kpod.spec.PodSpec;
import io.kpod.spec.ProcessSpec;
import io.kpod.spec.ResourceSpec;
import io.kpod.spec.RestartPolicy;
import io.kpod.spec.SecuritySpec;
import io.kpod.spec.VolumeMount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KubeGeneratorTest {
    static ContainerRecord container(String name, String podId) {
        ContainerSpec spec = new ContainerSpec(name, "quay.io/app:1",
                new ProcessSpec(null, List.of("serve", "--port", "8080"), Map.of("MODE", "prod"), "/srv", "1000:2000",
                        false, false),
                new SecuritySpec(List.of("NET_ADMIN", "CAP_CHOWN"), List.of("MKNOD"), false, true, true, null, null, null),
                new ResourceSpec(128L << 20, 50_000L, 100_000L, null, null, null, null, null),
                List.of(new VolumeMount(VolumeMount.Type.VOLUME, "data", "/data", List.of("rw")),
                        new VolumeMount(VolumeMount.Type.TMPFS, "tmpfs", "/scratch", List.of())),
                null, null, null, Map.of("io.kpod.kube.manifest", "x", "team", "a"),
                Map.of("note", "kept", "io.kpod.health.on-failure", "restart"),
                new RestartPolicy(RestartPolicy.Mode.ALWAYS, 0), null, 5, false, false,
                new HealthCheck(List.of("CMD", "true"), Duration.ofSeconds(10), Duration.ofSeconds(2), 3, Duration.ZERO),
                null, podId, null);
        return new ContainerRecord("c".repeat(64), name, spec, "i", "quay.io/app:1", List.of(), Map.of(), "/srv",
                "1000:2000", "SIGTERM", 5, "2026-01-01T00:00:00Z", spec.mounts(), List.of(), false);
    }

    static PodRecord pod() {
        PodSpec spec = new PodSpec("web", "web", null, "bridge", Map.of("app", "web", "io.kpod.kube.hash", "h"),
                List.of("db.local:10.0.0.5"), List.of(), List.of(), List.of(), null, false,
                new NetworkSpec(List.of(), List.of(), List.of("8080:8080/tcp", "30080:9090/udp"), false, null, null));
        return new PodRecord("p".repeat(64), "web", spec, "2026-01-01T00:00:00Z", "i".repeat(64));
    }

    @Test
    void podCarriesWhatTheUserSetAndNoReservedKeys() {
        var r = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(pod(), List.of(container("web-app", "p")))),
                Set.of("data"), new KubeGenerator.Options("pod", 1, true, false));
        assertThat(r.objects()).extracting(o -> o.getKind()).containsExactly("PersistentVolumeClaim", "Pod", "Service");
        Pod p = (Pod) r.objects().get(1);
        assertThat(p.getMetadata().getLabels()).containsEntry("app", "web").doesNotContainKey("io.kpod.kube.hash");
        assertThat(p.getMetadata().getAnnotations()).containsEntry("note", "kept").hasSize(1);
        var c = p.getSpec().getContainers().get(0);
        assertThat(c.getName()).isEqualTo("app");
        assertThat(c.getCommand()).isEmpty();
        assertThat(c.getArgs()).containsExactly("serve", "--port", "8080");
        assertThat(c.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("MKNOD");
        assertThat(c.getResources().getLimits().get("cpu").toString()).isEqualTo("500m");
        assertThat(c.getPorts()).hasSize(2);
        assertThat(c.getLivenessProbe().getExec().getCommand()).containsExactly("true");
        assertThat(p.getSpec().getVolumes()).extracting(v -> v.getPersistentVolumeClaim() != null
                ? "pvc:" + v.getPersistentVolumeClaim().getClaimName() : "emptyDir:" + v.getEmptyDir().getMedium())
                .containsExactly("pvc:data", "emptyDir:Memory");
        assertThat(p.getSpec().getHostAliases().get(0).getIp()).isEqualTo("10.0.0.5");
        assertThat(p.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(5L);

        // the YAML reads back through kpod's own parser
        String yaml = KubeYaml.create().dump(r.objects());
        assertThat(KubeYaml.create().parseText("gen.yaml", yaml).resources()).hasSize(3);
    }

    @Test
    void imageMountsBecomeImageVolumes() {
        ContainerSpec spec = new ContainerSpec("web-app", "quay.io/app:1", null, null, null,
                List.of(new VolumeMount(VolumeMount.Type.IMAGE, "registry.example/models/data:2", "/data",
                                List.of("ro")),
                        new VolumeMount(VolumeMount.Type.IMAGE, "registry.example/models/data:2", "/conf",
                                List.of("ro", "subpath=etc")),
                        new VolumeMount(VolumeMount.Type.IMAGE, "localhost/scratch", "/scratch", List.of("rw"))),
                null, null, null, null, null, null, null, null, false, false, null, null, "p", null);
        ContainerRecord c = new ContainerRecord("c".repeat(64), "web-app", spec, "i", "quay.io/app:1", List.of("x"),
                Map.of(), "/", "", "SIGTERM", 10, "2026-01-01T00:00:00Z", List.of(), List.of(), false);
        var r = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(pod(), List.of(c))), Set.of(),
                new KubeGenerator.Options("pod", 1, false, false));
        Pod p = (Pod) r.objects().get(0);
        assertThat(p.getSpec().getVolumes()).extracting(v -> v.getName() + "=" + v.getImage().getReference())
                .containsExactly("data-image=registry.example/models/data:2", "scratch-image-1=localhost/scratch");
        assertThat(p.getSpec().getContainers().get(0).getVolumeMounts())
                .extracting(m -> m.getName() + ":" + m.getMountPath() + ":" + m.getSubPath() + ":" + m.getReadOnly())
                .containsExactly("data-image:/data:null:true", "data-image:/conf:etc:true",
                        "scratch-image-1:/scratch:null:true");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("writable image mount at /scratch"));
        String yaml = KubeYaml.create().dump(r.objects());
        assertThat(yaml).contains("reference: registry.example/models/data:2");
    }

    @Test
    void metadataACusterWouldRefuseIsReportedNotShortened() {
        List<String> warnings = new java.util.ArrayList<>();
        String longValue = "v".repeat(64);
        KubeGenerator.checkMetadata("web", Map.of("ok", "fine", "long", longValue, "bad key!", "x"),
                Map.of("example.com/note", "a", "a".repeat(10), "b".repeat(300_000)), warnings);
        assertThat(warnings).hasSize(3);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("label long").contains("64 characters"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("label key \"bad key!\""));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("annotations total 300027 bytes"));
        List<String> none = new java.util.ArrayList<>();
        KubeGenerator.checkMetadata("web", Map.of("app.kubernetes.io/name", "web", "empty", ""),
                Map.of("io.podman.annotations.infra.name", "x".repeat(1000)), none);
        assertThat(none).isEmpty();
    }

    @Test
    void deploymentHasReplicasAndASelectorMatchingItsTemplate() {
        var r = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(pod(), List.of(container("web-app", "p")))),
                Set.of(), new KubeGenerator.Options("deployment", 3, false, false));
        Deployment d = (Deployment) r.objects().get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThatThrownBy(() -> new KubeGenerator.Options("pod", 2, false, false)).hasMessageContaining("--replicas");
        assertThatThrownBy(() -> new KubeGenerator.Options("cronjob", 1, false, false)).hasMessageContaining("--type");
    }

    @Test
    void aPlayedJobsCompletionsComeBackWithTypeJob() {
        PodRecord base = pod();
        PodRecord three = base.withSpec(base.spec().withCompletions(3));
        var r = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(three, List.of(container("web-app", "p")))),
                Set.of(), new KubeGenerator.Options("job", 1, false, false));
        Job j = (Job) r.objects().get(0);
        assertThat(j.getSpec().getCompletions()).isEqualTo(3);
        PodRecord one = base.withSpec(base.spec().withCompletions(1));
        var r1 = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(one, List.of(container("web-app", "p")))),
                Set.of(), new KubeGenerator.Options("job", 1, false, false));
        assertThat(((Job) r1.objects().get(0)).getSpec().getCompletions()).as("Kubernetes' default").isNull();
    }

    @Test
    void podmanOnlyWritesVolumesFromPerContainer() {
        ContainerRecord c = container("web-app", "p");
        ContainerRecord rec = c.withSpec(c.spec().withAnnotations(
                Map.of("io.podman.annotations.volumes-from", "data:ro;other")));
        var only = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(pod(), List.of(rec))),
                Set.of("data"), new KubeGenerator.Options("pod", 1, false, true));
        Pod p = (Pod) only.objects().get(1);
        String kubeName = p.getSpec().getContainers().get(0).getName();
        assertThat(p.getMetadata().getAnnotations())
                .containsEntry("io.podman.annotations.volumes-from/" + kubeName, "data:ro;other")
                .as("kube play refuses the bare key").doesNotContainKey("io.podman.annotations.volumes-from");
        var plain = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(pod(), List.of(rec))),
                Set.of("data"), new KubeGenerator.Options("pod", 1, false, false));
        assertThat(((Pod) plain.objects().get(1)).getMetadata().getAnnotations())
                .doesNotContainKeys("io.podman.annotations.volumes-from/" + kubeName,
                        "io.podman.annotations.volumes-from");
    }

    @Test
    void podmanOnlyKeepsTheAutoremoveAndInitSwitchesPerContainer() {
        ContainerRecord c = container("web-app", "p");
        ContainerSpec s = c.spec();
        ContainerSpec switched = new ContainerSpec(s.name(), s.image(), s.process(), s.security(),
                s.resources().withCpuset("0-1", "0"),
                s.mounts(), s.secrets(), s.hostname(), s.networkMode(), s.labels(), s.annotations(),
                new RestartPolicy(RestartPolicy.Mode.NO, 0), s.stopSignal(), s.stopTimeout(), true, true,
                s.healthCheck(), s.logDriver(), s.podId(), s.network());
        ContainerRecord rec = c.withSpec(switched);
        var only = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(pod(), List.of(rec))),
                Set.of("data"), new KubeGenerator.Options("pod", 1, false, true));
        Pod p = (Pod) only.objects().get(1);
        String kubeName = p.getSpec().getContainers().get(0).getName();
        assertThat(p.getMetadata().getAnnotations())
                .containsEntry("io.podman.annotations.autoremove/" + kubeName, "TRUE")
                .containsEntry("io.podman.annotations.init/" + kubeName, "TRUE")
                .containsEntry("io.podman.annotations.cpuset/" + kubeName, "0-1")
                .containsEntry("io.podman.annotations.memory-nodes/" + kubeName, "0");
        assertThat(p.getSpec().getRestartPolicy()).isEqualTo("Never");
        var plain = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(pod(), List.of(rec))),
                Set.of("data"), new KubeGenerator.Options("pod", 1, false, false));
        assertThat(((Pod) plain.objects().get(1)).getMetadata().getAnnotations())
                .doesNotContainKeys("io.podman.annotations.autoremove/" + kubeName);
    }
}
