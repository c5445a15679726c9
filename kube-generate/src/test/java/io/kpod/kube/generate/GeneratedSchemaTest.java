package io.kpod.kube.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kpod.kube.yaml.KubeYaml;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Service;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every document kube generate writes is judged by a validator kpod did not write: the
 * official Kubernetes Java client's generated models, whose {@code validateJsonElement} rejects
 * unknown fields, wrong types and missing required fields.
 */
class GeneratedSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Validates one document by its kind; throws what the Kubernetes model says. */
    static void validate(JsonNode doc) throws IOException {
        JsonElement e = JsonParser.parseString(JSON.writeValueAsString(doc));
        switch (doc.path("kind").asText()) {
            case "Pod" -> V1Pod.validateJsonElement(e);
            case "Deployment" -> V1Deployment.validateJsonElement(e);
            case "DaemonSet" -> V1DaemonSet.validateJsonElement(e);
            case "Job" -> V1Job.validateJsonElement(e);
            case "Service" -> V1Service.validateJsonElement(e);
            case "PersistentVolumeClaim" -> V1PersistentVolumeClaim.validateJsonElement(e);
            default -> throw new AssertionError("kube generate wrote a kind the test does not know: " + doc.path("kind"));
        }
    }

    /** The YAML text's documents as JSON trees, read with a plain YAML loader (not kpod's parser). */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        Load load = new Load(LoadSettings.builder().build());
        for (Object o : load.loadAllFromString(yaml)) {
            if (o != null) {
                docs.add(JSON.valueToTree(o));
            }
        }
        return docs;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pod", "deployment", "daemonset", "job"})
    void everyGeneratedDocumentPassesTheKubernetesSchema(String type) throws IOException {
        var r = new KubeGenerator().generate(List.of(new KubeGenerator.Subject(KubeGeneratorTest.pod(),
                        List.of(KubeGeneratorTest.container("web-app", "p")))), Set.of("data"),
                new KubeGenerator.Options(type, type.equals("deployment") ? 3 : 1, true, false));
        List<JsonNode> docs = documents(KubeYaml.create().dump(r.objects()));
        assertThat(docs).extracting(d -> d.path("kind").asText()).contains("PersistentVolumeClaim", "Service");
        for (JsonNode d : docs) {
            validate(d);
        }
    }

    @Test
    void theValidatorDoesRejectWhatIsWrong() {
        JsonNode bad = documents("""
                apiVersion: v1
                kind: Pod
                metadata: {name: x}
                spec:
                  containers:
                  - {name: a, image: busybox, notAField: 1}
                """).get(0);
        assertThatThrownBy(() -> validate(bad)).hasMessageContaining("notAField");
        JsonNode missing = documents("""
                apiVersion: v1
                kind: Pod
                metadata: {name: x}
                spec:
                  containers:
                  - {image: busybox}
                """).get(0);
        assertThatThrownBy(() -> validate(missing)).hasMessageContaining("name");
    }
}
