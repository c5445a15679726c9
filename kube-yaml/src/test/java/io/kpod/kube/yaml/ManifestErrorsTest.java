package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kpod.spec.ErrorKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestErrorsTest {
    private final KubeYaml yaml = KubeYaml.create();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            app.yaml                 | 2 | 14 | spec.containers[0].ports[0].containerPort | cannot parse "abc" as an integer
            quoted-port.yaml         | 1 | 10 | spec.containers[0].ports[0].containerPort | cannot parse "80" as an integer (quoted, it is a string: remove the quotes)
            fractional-replicas.yaml | 1 | 6  | spec.replicas                             | cannot parse 2.5 as an integer
            quoted-bool.yaml         | 1 | 6  | spec.hostNetwork                          | cannot parse "true" as a boolean (quoted, it is a string: remove the quotes)
            scalar-for-list.yaml     | 1 | 6  | spec.containers                           | expected a list, found the string "nginx"
            mapping-for-int.yaml     | 1 | 6  | spec.replicas                             | expected an integer, found a mapping
            missing-kind.yaml        | 2 | 7  | kind                                      | required field is missing
            missing-apiversion.yaml  | 1 | 1  | apiVersion                                | required field is missing
            duplicate-key.yaml       | 1 | 5  | metadata.name                             | duplicate key "name"
            duplicate-label.yaml     | 1 | 8  | metadata.labels.app                       | duplicate key "app"
            not-a-mapping.yaml       | 2 | 6  | ''                                        | a document must be a mapping (a Kubernetes object), found a list
            list-item-error.yaml     | 1 | 14 | items[1].spec.ports[0].port               | cannot parse "eighty" as an integer
            unknown-tag.yaml         | 1 | 6  | data.key                                  | unsupported YAML tag !custom
            """)
    void errorsNameFileDocumentLineAndFieldPath(String file, int document, int line, String path, String reason) {
        InvalidManifestException e = catchThrowableOfType(InvalidManifestException.class,
                () -> Fixtures.parse(yaml, "errors/" + file));

        assertThat(e).as("an error for %s", file).isNotNull();
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.documentIndex()).isEqualTo(document);
        assertThat(e.line()).isEqualTo(line);
        assertThat(e.fieldPath()).isEqualTo(path);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID);
        String where = file + ": document " + document + ", line " + line + ": ";
        assertThat(e.getMessage()).isEqualTo(where + (path.isEmpty() ? "" : path + ": ") + reason);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {apiVersion: v1, kind: Pod, metadata: {name: a, labels: {app: [x]}}}                                   | metadata.labels[app]: expected a string, found a list
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, resources: {limits: {memory: abc}}}]}}       | spec.containers[0].resources.limits[memory]: cannot parse "abc" as a quantity such as 250m or 1Gi
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, resources: {limits: {memory: 1Gb}}}]}}       | spec.containers[0].resources.limits[memory]: cannot parse "1Gb" as a quantity such as 250m or 1Gi
            {apiVersion: v1, kind: Service, spec: {ports: [{port: 80, targetPort: {a: 1}}]}}                       | spec.ports[0].targetPort: expected an integer or a string, found a mapping
            {apiVersion: v1, kind: Pod, spec: {activeDeadlineSeconds: 99999999999999999999}}                       | spec.activeDeadlineSeconds: 100000000000000000000 is out of range for this field
            {apiVersion: apps/v1, kind: Deployment, spec: {replicas: 3000000000}}                                  | spec.replicas: 3000000000 is out of range for this field
            {apiVersion: v1, kind: Pod, spec: {hostNetwork: 1}}                                                    | spec.hostNetwork: cannot parse 1 as a boolean
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, ports: [{containerPort: .nan}]}]}}           | spec.containers[0].ports[0].containerPort: cannot parse NaN as an integer
            {apiVersion: v1, kind: [Pod]}                                                                          | kind: expected a string, found a list
            {apiVersion: v1, kind: List, items: [{apiVersion: v1}]}                                                | items[0].kind: required field is missing
            {apiVersion: v1, kind: List, items: [oops]}                                                            | items[0]: expected a mapping (a Kubernetes object), found the string "oops"
            {apiVersion: v1, kind: ConfigMap, data: {? [a]: b}}                                                    | data: a mapping key must be a string, not a list
            {apiVersion: v1, kind: ConfigMap, data: {~: b}}                                                        | data: a mapping key must not be null
            {apiVersion: v1, kind: ConfigMap, data: {a: !!int x}}                                                  | data.a: cannot read "x" as !!int
            {apiVersion: v1, kind: ConfigMap, data: {a: *nowhere}}                                                 | invalid YAML: found undefined alias nowhere
            {apiVersion: v1, kind: Pod, metadata: oops}                                                            | metadata: expected a mapping (ObjectMeta), found the string "oops"
            {apiVersion: v1, kind: Pod, spec: [a]}                                                                 | spec: expected a mapping (PodSpec), found a list
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, ports: "80"}]}}                              | spec.containers[0].ports: expected a list, found the string "80"
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, env: FOO=bar}]}}                             | spec.containers[0].env: expected a list, found the string "FOO=bar"
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, command: sh -c true}]}}                      | spec.containers[0].command: expected a list, found the string "sh -c true"
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, volumeMounts: {name: v}}]}}                  | spec.containers[0].volumeMounts: expected a list, found a mapping
            {apiVersion: v1, kind: Pod, spec: {containers: [{securityContext: {capabilities: {add: NET_ADMIN}}}]}} | spec.containers[0].securityContext.capabilities.add: expected a list, found the string "NET_ADMIN"
            {apiVersion: v1, kind: Pod, spec: {volumes: [{name: v, configMap: {items: k}}]}}                       | spec.volumes[0].configMap.items: expected a list, found the string "k"
            {apiVersion: v1, kind: Pod, spec: {volumes: [{configMap: {items: [{key: k, path: [x]}]}}]}}            | spec.volumes[0].configMap.items[0].path: expected a string, found a list
            {apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: nginx}}}}                 | spec.template.spec.containers: expected a list, found the string "nginx"
            {apiVersion: v1, kind: Service, spec: {ports: {port: 80}}}                                             | spec.ports: expected a list, found a mapping
            {apiVersion: v1, kind: ConfigMap, data: [a, b]}                                                        | data: expected a mapping, found a list
            {apiVersion: v1, kind: ConfigMap, data: {a: {b: c}}}                                                   | data[a]: expected a string, found a mapping
            {apiVersion: v1, kind: Pod, kind: Service}                                                             | kind: duplicate key "kind"
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, image: a, image: b}]}}                       | spec.containers[0].image: duplicate key "image"
            {apiVersion: v1, kind: ConfigMap, data: {a: x, 'a': y}}                                                | data.a: duplicate key "a"
            {apiVersion: v1, kind: ConfigMap, data: {1: x, "1": y}}                                                | data[1]: duplicate key "1"
            {apiVersion: v1, kind: ConfigMap, data: {0x10: x, 16: y}}                                              | data[16]: duplicate key "16"
            {apiVersion: v1, kind: Pod, spec: {containers: [null]}}                                                | spec.containers[0]: a list item must not be null (an empty "-" entry?)
            {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, command: [sh, ~]}]}}                         | spec.containers[0].command[1]: a list item must not be null (an empty "-" entry?)
            {apiVersion: v1, kind: Pod, spec: {volumes: [{name: v, secret: {items: [null]}}]}}                     | spec.volumes[0].secret.items[0]: a list item must not be null (an empty "-" entry?)
            {apiVersion: v1, kind: Service, spec: {ports: [~]}}                                                    | spec.ports[0]: a list item must not be null (an empty "-" entry?)
            {apiVersion: v1, kind: Secret, data: {k: "!!!!"}}                                                      | data[k]: is not valid base64 (Illegal base64 character 21); plain text belongs in stringData
            {apiVersion: v1, kind: Secret, data: {k: djE}}                                                         | data[k]: is not valid base64 (its length is not a multiple of 4: '=' padding missing?); plain text belongs in stringData
            {apiVersion: v1, kind: ConfigMap, binaryData: {k: "@@@@"}}                                             | binaryData[k]: is not valid base64 (Illegal base64 character 40)
            """)
    void oneLineManifestErrors(String manifest, String expected) {
        assertThatThrownBy(() -> yaml.parseText("one.yaml", manifest))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("one.yaml: document 1, line 1: " + expected);
    }

    /**
     * As Go's encoding/json decodes them (what Kubernetes and Podman read with): a null map value
     * is the empty string. A merge key ({@code <<}) is not a duplicate: the mapping's own key wins.
     */
    @Test
    void nullMapValuesAreEmptyStringsAndMergedKeysAreNotDuplicates() {
        ParseResult r = yaml.parseText("n.yaml", """
                base: &base {a: merged, b: merged}
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, labels: {app: null}}
                data:
                  <<: *base
                  a: own
                  empty: ~
                """);
        io.fabric8.kubernetes.api.model.ConfigMap cm = (io.fabric8.kubernetes.api.model.ConfigMap) r.resources().get(0);
        assertThat(cm.getData()).containsEntry("a", "own").containsEntry("b", "merged").containsEntry("empty", "");
        assertThat(cm.getMetadata().getLabels()).containsEntry("app", "");
    }

    /**
     * Duplicate keys are refused wherever they are, as kubectl's strict decoding and
     * sigs.k8s.io/yaml's UnmarshalStrict/YAMLToJSONStrict do ("key already set in map"); its
     * lenient Unmarshal, which Podman's kube play uses, keeps one of the values silently.
     */
    @Test
    void duplicateKeysAreRefusedInLaterDocumentsAndBlockListsToo() {
        InvalidManifestException e = catchThrowableOfType(InvalidManifestException.class, () -> yaml.parseText("d.yaml",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: c
                    image: a
                    env:
                    - name: X
                      value: "1"
                      value: "2"
                """));
        assertThat(e.getMessage()).isEqualTo("d.yaml: document 2, line 15: spec.containers[0].env[0].value: duplicate key \"value\"");
    }

    @Test
    void syntaxErrorsCarryTheScannerLine() {
        InvalidManifestException e = catchThrowableOfType(InvalidManifestException.class,
                () -> Fixtures.parse(yaml, "errors/syntax.yaml"));
        assertThat(e.getMessage()).startsWith("syntax.yaml: document 1, line 5: invalid YAML: ");
        assertThat(e.fieldPath()).isEmpty();
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void syntaxErrorsInLaterDocumentsNameThatDocument() {
        InvalidManifestException e = catchThrowableOfType(InvalidManifestException.class,
                () -> yaml.parseText("x.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkey: [unclosed\n"));
        assertThat(e.documentIndex()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("x.yaml: document 2, line ");
    }

    @Test
    void unknownFieldsAreWarningsWithPathsAndLines() {
        ParseResult result = Fixtures.parse(yaml, "errors/unknown-field.yaml");

        assertThat(result.documents()).hasSize(1);
        assertThat(result.warnings()).extracting(ManifestWarning::toString).containsExactly(
                "unknown-field.yaml: document 1, line 5: metadata.lables: unknown field, ignored",
                "unknown-field.yaml: document 1, line 11: spec.containers[0].imagePullPolicyy: unknown field, ignored",
                "unknown-field.yaml: document 1, line 14: spec.containers[0].ports[0].hostPrt: unknown field, ignored");
        assertThat(result.warnings().get(1).fieldPath()).isEqualTo("spec.containers[0].imagePullPolicyy");
    }

    @Test
    void strictModeTurnsUnknownFieldsIntoErrors() {
        KubeYaml strict = KubeYaml.builder().strict(true).build();
        assertThatThrownBy(() -> Fixtures.parse(strict, "errors/unknown-field.yaml"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("unknown-field.yaml: document 1, line 5: metadata.lables: unknown field");
        // other kinds carry arbitrary content: never an unknown-field error
        assertThat(Fixtures.parse(strict, "unknown-kinds.yaml").documents()).hasSize(5);
    }

    @Test
    void invalidUtf8IsRefusedWithItsLine() {
        byte[] bytes = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> yaml.parse(ManifestSource.stream("-", new ByteArrayInputStream(bytes))))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("-: line 4: is not valid UTF-8 (byte 0xE9 at offset 52); save it as UTF-8");
    }

    @Test
    void utf16IsRefusedAndAUtf8ByteOrderMarkIsAccepted() {
        byte[] utf16 = "\uFEFFapiVersion: v1\n".getBytes(StandardCharsets.UTF_16BE);
        assertThatThrownBy(() -> yaml.parse(ManifestSource.stream("w.yaml", new ByteArrayInputStream(utf16))))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("w.yaml: line 1: is UTF-16 encoded; save it as UTF-8");
        byte[] bom = "\uFEFFapiVersion: v1\nkind: ConfigMap\nmetadata: {name: bom}\n".getBytes(StandardCharsets.UTF_8);
        assertThat(yaml.parse(ManifestSource.stream("b.yaml", new ByteArrayInputStream(bom))).resources())
                .extracting(r -> r.getMetadata().getName()).containsExactly("bom");
    }

    @Test
    void nonPrintableCharactersAreSyntaxErrors() {
        assertThatThrownBy(() -> yaml.parseText("nul.yaml", "apiVersion: v1\nkind: Pod\u0000\n"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("nul.yaml: document 1, line 2: invalid YAML: character U+0000 is not allowed");
    }
}
