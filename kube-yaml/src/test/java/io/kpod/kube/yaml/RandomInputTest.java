package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever text arrives, kube-yaml either reads it or says why in an InvalidManifestException. */
class RandomInputTest {
    private static final KubeYaml YAML = KubeYaml.create();
    private static final KubeYaml STRICT = KubeYaml.builder().strict(true).build();

    @Property(tries = 1500)
    void yamlishInputParsesOrFailsAsInvalidManifest(@ForAll("yamlish") String text) {
        for (KubeYaml yaml : List.of(YAML, STRICT)) {
            try {
                ParseResult result = yaml.parseText("random.yaml", text);
                assertThat(result.documents()).allSatisfy(d -> assertThat(d.resource()).isNotNull());
            } catch (InvalidManifestException e) {
                assertThat(e.getMessage()).startsWith("random.yaml").doesNotContain("\n");
            }
        }
    }

    @Property(tries = 300)
    void mutatedRealManifestsParseOrFailAsInvalidManifest(@ForAll("mutated") String text) {
        try {
            YAML.parseText("mutated.yaml", text);
        } catch (InvalidManifestException e) {
            assertThat(e.file()).isEqualTo("mutated.yaml");
        }
    }

    @Property(tries = 1000)
    void anyTextParsesOrFailsAsInvalidManifest(@ForAll String text) {
        try {
            YAML.parseText("any.yaml", text);
        } catch (InvalidManifestException e) {
            assertThat(e.file()).isEqualTo("any.yaml");
        }
    }

    @Provide
    Arbitrary<String> yamlish() {
        Arbitrary<String> tokens = Arbitraries.of(
                "apiVersion: v1\n", "apiVersion: apps/v1\n", "kind: Pod\n", "kind: Deployment\n", "kind: List\n",
                "kind: ConfigMap\n", "kind: Service\n", "kind: Secret\n", "kind: Job\n", "kind: Widget\n",
                "metadata:\n", "  name: x\n", "spec:\n", "  containers:\n", "  - name: c\n", "    image: i\n",
                "  replicas: ", "items:\n", "- ", "data:\n", "  k: ", "---\n", "...\n", "# c\n", "&a ", "*a", "<<: ",
                "!!str ", "!!int ", "!foo ", "{", "}", "[", "]", ", ", ": ", "\"", "'", "|\n", ">-\n", "0644", "yes",
                "1.5", "~", "\t", "  ", "\n", "-", "?", "%YAML 1.1\n", "\\u0000", "é", "\u2028", "0x", "1e999", "null");
        return tokens.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<String> mutated() {
        String base = Fixtures.text("two-tier.yaml");
        Arbitrary<Integer> position = Arbitraries.integers().between(0, base.length() - 1);
        Arbitrary<Character> chars = Arbitraries.of(':', '-', ' ', '\n', '[', '{', '"', '&', '*', '!', '|', '#', 'x', '0', '\t');
        return position.list().ofMinSize(1).ofMaxSize(5).flatMap(positions -> chars.list().ofSize(positions.size())
                .map(cs -> {
                    StringBuilder sb = new StringBuilder(base);
                    for (int i = 0; i < positions.size(); i++) {
                        sb.setCharAt(Math.min(positions.get(i), sb.length() - 1), cs.get(i));
                    }
                    return sb.toString();
                }));
    }
}
