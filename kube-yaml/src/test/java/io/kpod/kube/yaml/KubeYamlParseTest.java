package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeYamlParseTest {
    private final KubeYaml yaml = KubeYaml.create();

    @Test
    void multiDocumentSkipsEmptyAndCommentOnlyDocuments() {
        ParseResult result = Fixtures.parse(yaml, "multi-doc.yaml");

        assertThat(result.documents()).extracting(d -> d.resource().getKind(), ParsedDocument::index,
                ParsedDocument::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Pod", 1, 3),
                        org.assertj.core.groups.Tuple.tuple("ConfigMap", 3, 18),
                        org.assertj.core.groups.Tuple.tuple("Service", 5, 28));
        assertThat(result.documents()).allMatch(d -> d.source().equals("multi-doc.yaml"));
        assertThat(result.warnings()).isEmpty();
        Pod pod = (Pod) result.resources().get(0);
        assertThat(pod.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort()).isEqualTo(80);
        Service svc = (Service) result.resources().get(2);
        assertThat(svc.getSpec().getPorts().get(0).getTargetPort()).isEqualTo(new IntOrString(80));
    }

    @Test
    void listItemsAreFlattenedWithTheirOwnLines() {
        ParseResult result = Fixtures.parse(yaml, "list.yaml");

        assertThat(result.documents()).extracting(ParsedDocument::line).containsExactly(5, 22, 32);
        assertThat(result.documents()).allMatch(d -> d.index() == 1);
        assertThat(result.resources().get(0)).isInstanceOf(Deployment.class);
        assertThat(((Deployment) result.resources().get(0)).getSpec().getReplicas()).isEqualTo(2);
        Service svc = (Service) result.resources().get(1);
        assertThat(svc.getSpec().getPorts().get(0).getTargetPort()).isEqualTo(new IntOrString("http"));
        assertThat(result.resources().get(2)).isInstanceOf(GenericKubernetesResource.class);
        assertThat(result.unhonouredKinds()).containsExactly("networking.k8s.io/v1/Ingress");
    }

    @Test
    void otherKindsArriveAsGenericResourcesWithTheirContent() {
        ParseResult result = Fixtures.parse(yaml, "unknown-kinds.yaml");

        assertThat(result.documents()).extracting(ParsedDocument::honoured)
                .containsExactly(false, false, false, false, true);
        assertThat(result.unhonouredKinds()).containsExactly("networking.k8s.io/v1/Ingress", "v1/ServiceAccount",
                "widgets.example.com/v1alpha1/Widget", "extensions/v1beta1/Deployment");
        GenericKubernetesResource widget = (GenericKubernetesResource) result.resources().get(2);
        assertThat(widget.getMetadata().getName()).isEqualTo("w1");
        assertThat((Integer) widget.get("spec", "size")).isEqualTo(3);
        assertThat(widget.<List<Object>>get("spec", "tags")).containsExactly("a", "b");
        assertThat(result.warnings()).isEmpty();
        assertThat(result.resources().get(4)).isInstanceOf(Pod.class);
    }

    @Test
    void octalModesMeanWhatGoReadsThemAs() {
        Pod pod = (Pod) Fixtures.parse(yaml, "octal-modes.yaml").resources().get(0);
        Map<String, Volume> volumes = pod.getSpec().getVolumes().stream()
                .collect(Collectors.toMap(Volume::getName, v -> v));

        assertThat(volumes.get("config").getConfigMap().getDefaultMode()).isEqualTo(0644).isEqualTo(420);
        assertThat(volumes.get("config").getConfigMap().getItems().get(0).getMode()).isEqualTo(0755);
        assertThat(volumes.get("secret").getSecret().getDefaultMode()).isEqualTo(0600);
        assertThat(volumes.get("decimal").getSecret().getDefaultMode()).isEqualTo(420);
        // fabric8's GoCompatibilityModule would read this decimal 400 as octal "00", i.e. 0
        assertThat(volumes.get("decimal-with-zeros").getConfigMap().getDefaultMode()).isEqualTo(400);
        assertThat(volumes.get("hex").getConfigMap().getDefaultMode()).isEqualTo(0x1A4);
    }

    @Test
    void scalarsFollowSigsK8sYaml() {
        Deployment d = (Deployment) Fixtures.parse(yaml, "go-values.yaml").resources().get(0);
        Map<String, String> env = d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));

        assertThat(d.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("tier", "1", "enabled", "true", "version", "1"));
        assertThat(d.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(
                Map.of("quoted", "0644", "plain-octal", "420", "underscore", "1000"));
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of(
                "UNQUOTED", "1234", "QUOTED", "1234", "YES_WORD", "true", "OFF_WORD", "false",
                "FLOAT", "1.5", "BIG_FLOAT", "1e+06", "EMPTY", "", "NULL_VALUE", "null"));
        var security = d.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
        assertThat(security.getPrivileged()).isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).isFalse();
    }

    @Test
    void quantitiesAcceptNumbersAsKubernetesDoes() {
        Pod pod = (Pod) yaml.parseText("q.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: q}
                spec:
                  containers:
                  - name: c
                    resources:
                      requests: {cpu: 0.5, memory: 1e9}
                      limits: {cpu: 2, memory: 1.5Gi, ephemeral-storage: 129e6}
                """).resources().get(0);
        var resources = pod.getSpec().getContainers().get(0).getResources();
        assertThat(resources.getRequests()).extractingByKeys("cpu", "memory")
                .map(Object::toString).containsExactly("0.5", "1000000000");
        assertThat(resources.getLimits()).extractingByKeys("cpu", "memory", "ephemeral-storage")
                .map(Object::toString).containsExactly("2", "1.5Gi", "129000000");
    }

    @Test
    void aBareYesAsANameIsTrueAsInGo() {
        ConfigMap cm = (ConfigMap) yaml.parseText("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: yes
                data:
                  on: off
                  1: 2
                """).resources().get(0);
        assertThat(cm.getMetadata().getName()).isEqualTo("true");
        assertThat(cm.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("true", "false", "1", "2"));
    }

    @Test
    void mergeKeysAndAnchorsWorkAsInGo() {
        Pod pod = (Pod) yaml.parseText("anchors.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: anchors
                  labels: &labels
                    app: web
                    tier: front
                spec:
                  containers:
                  - &base
                    name: one
                    image: busybox
                    command: [sleep, "1000"]
                  - <<: *base
                    name: two
                  nodeSelector: *labels
                """).resources().get(0);
        assertThat(pod.getSpec().getContainers()).extracting("name", "image")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("one", "busybox"),
                        org.assertj.core.groups.Tuple.tuple("two", "busybox"));
        assertThat(pod.getSpec().getContainers().get(1).getCommand()).containsExactly("sleep", "1000");
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("tier", "front");
    }

    @Test
    void jsonManifestsAreRead() {
        ParseResult result = yaml.parseText("pod.json", """
                {
                	"apiVersion": "v1",
                	"kind": "Pod",
                	"metadata": {"name": "from-json", "labels": {"port": "8080"}},
                	"spec": {"containers": [{"name": "c", "image": "busybox", "ports": [{"containerPort": 8080}]}]}
                }
                """);
        Pod pod = (Pod) result.resources().get(0);
        assertThat(pod.getMetadata().getName()).isEqualTo("from-json");
        assertThat(pod.getMetadata().getLabels()).containsEntry("port", "8080");
    }

    @Test
    void sourcesResolveFilesDirectoriesAndStdin(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.yaml"), Fixtures.text("list.yaml"));
        Files.writeString(dir.resolve("a.yml"), Fixtures.text("octal-modes.yaml"));
        Files.writeString(dir.resolve("c.json"), "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"j\"}}");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        Files.createDirectory(dir.resolve("sub.yaml"));
        var stdin = new ByteArrayInputStream(Fixtures.text("multi-doc.yaml").getBytes(StandardCharsets.UTF_8));

        ParseResult result = yaml.parseArguments(List.of(dir.toString(), "-"), stdin);

        assertThat(result.documents()).extracting(ParsedDocument::source).containsExactly(
                dir.resolve("a.yml").toString(), dir.resolve("b.yaml").toString(), dir.resolve("b.yaml").toString(),
                dir.resolve("b.yaml").toString(), dir.resolve("c.json").toString(), "-", "-", "-");
        assertThat(result.resources().get(0).getMetadata().getName()).isEqualTo("modes");
        assertThat(result.resources().get(4).getMetadata().getName()).isEqualTo("j");
    }

    @Test
    void missingPathsAndEmptyDirectoriesAreReported(@TempDir Path dir) {
        assertThatThrownBy(() -> yaml.parseArguments(List.of(dir.resolve("nope.yaml").toString()), null))
                .isInstanceOf(KpodException.class)
                .satisfies(e -> assertThat(((KpodException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND))
                .hasMessageContaining("nope.yaml does not exist");
        assertThatThrownBy(() -> yaml.parseArguments(List.of(dir.toString()), null))
                .isInstanceOf(KpodException.class)
                .hasMessageContaining("holds no .yaml, .yml or .json file");
    }

    @Test
    void fileSourcesAreNamedByTheirPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, Fixtures.text("errors/app.yaml"));
        assertThatThrownBy(() -> yaml.parse(ManifestSource.file(file)))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage(file + ": document 2, line 14: spec.containers[0].ports[0].containerPort: "
                        + "cannot parse \"abc\" as an integer");
    }

    @Test
    void emptyInputHasNoDocuments() {
        assertThat(yaml.parseText("empty.yaml", "").documents()).isEmpty();
        assertThat(yaml.parseText("comments.yaml", "# nothing\n---\n# still nothing\n...\n").documents()).isEmpty();
    }
}
