package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DumpTest {
    private final KubeYaml yaml = KubeYaml.create();

    @ParameterizedTest
    @ValueSource(strings = {"two-tier.yaml", "multi-doc.yaml", "list.yaml", "octal-modes.yaml", "go-values.yaml",
        "unknown-kinds.yaml"})
    void parseDumpParseGivesEqualObjects(String fixture) {
        List<HasMetadata> first = Fixtures.parse(yaml, fixture).resources();

        String dumped = yaml.dump(first);
        List<HasMetadata> second = yaml.parseText("dumped.yaml", dumped).resources();

        assertThat(second).isEqualTo(first);
        assertThat(dumped).doesNotContain("!!").doesNotContain("additionalProperties");
        assertThat(yaml.dump(second)).as("dump is stable").isEqualTo(dumped);
    }

    @Test
    void stringsThatGoWouldReadAsOtherTypesAreQuoted() {
        Map<String, String> data = new LinkedHashMap<>();
        for (String s : List.of("0644", "yes", "no", "on", "off", "y", "n", "true", "1.0", "", "null", "~", "1_000",
                "0x1F", "0o17", "1e3", ".inf", "2024-01-02", "12:30:45", "+1", "-2")) {
            data.put("k" + data.size(), s);
        }
        data.put("plain", "nginx:1.27");
        data.put("text", "hello world");
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("q").endMetadata().withData(data).build();

        String dumped = yaml.dump(List.of(cm));

        assertThat(dumped).contains(
                "k0: \"0644\"\n", "k1: \"yes\"\n", "k2: \"no\"\n", "k3: \"on\"\n", "k4: \"off\"\n", "k5: \"y\"\n",
                "k6: \"n\"\n", "k7: \"true\"\n", "k8: \"1.0\"\n", "k9: \"\"\n", "k10: \"null\"\n", "k11: \"~\"\n",
                "k12: \"1_000\"\n", "k13: \"0x1F\"\n", "k14: \"0o17\"\n", "k15: \"1e3\"\n", "k16: \".inf\"\n",
                "k17: \"2024-01-02\"\n", "k18: \"12:30:45\"\n", "k19: \"+1\"\n", "k20: \"-2\"\n",
                "plain: nginx:1.27\n", "text: hello world\n");
        assertThat(((ConfigMap) yaml.parseText("q.yaml", dumped).resources().get(0)).getData()).isEqualTo(data);
    }

    @Test
    void keysThatGoWouldReadAsBooleansAreQuoted() {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("k")
                .addToLabels("on", "x").addToLabels("app", "web").endMetadata().build();
        String dumped = yaml.dump(List.of(cm));
        assertThat(dumped).contains("    \"on\": x\n", "    app: web\n");
        assertThat(yaml.parseText("k.yaml", dumped).resources().get(0)).isEqualTo(cm);
    }

    @Test
    void documentsAreSeparatedAndFieldsKeepFabric8Order() {
        var pod = new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox")
                .addNewPort().withContainerPort(8080).endPort()
                .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources()
                .endContainer().endSpec().build();
        var svc = new ServiceBuilder().withNewMetadata().withName("s").endMetadata()
                .withNewSpec().addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build();

        String dumped = yaml.dump(List.of(pod, svc));

        assertThat(dumped).isEqualTo("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                spec:
                  containers:
                  - image: busybox
                    name: c
                    ports:
                    - containerPort: 8080
                    resources:
                      limits:
                        memory: 64Mi
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                spec:
                  ports:
                  - port: 80
                    targetPort: 8080
                """);
    }

    @Test
    void multiLineStringsBecomeLiteralBlocks() {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName("m").endMetadata()
                .addToData("script.sh", "#!/bin/sh\necho hi\n").addToData("trailing", "a  \nb").build();
        String dumped = yaml.dump(List.of(cm));
        assertThat(dumped).contains("  script.sh: |\n    #!/bin/sh\n    echo hi\n");
        assertThat(yaml.parseText("m.yaml", dumped).resources().get(0)).isEqualTo(cm);
    }
}
