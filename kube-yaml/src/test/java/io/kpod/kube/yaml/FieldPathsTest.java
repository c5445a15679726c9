package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.Node;

class FieldPathsTest {

    @Test
    void rendersKubernetesFieldPaths() {
        assertThat(FieldPaths.render(List.of("spec", "containers", 0, "image"))).isEqualTo("spec.containers[0].image");
        assertThat(FieldPaths.render(List.of("metadata", "labels", new FieldPaths.MapKey("app.kubernetes.io/name"))))
                .isEqualTo("metadata.labels[app.kubernetes.io/name]");
        assertThat(FieldPaths.render(List.of("data", "nginx.conf"))).isEqualTo("data[nginx.conf]");
        assertThat(FieldPaths.render(List.of())).isEmpty();
    }

    @Test
    void findsTheLineOfAPathOrOfItsDeepestPresentAncestor() {
        Node root = new Compose(LoadSettings.builder().build()).composeString("""
                spec:
                  containers:
                  - name: a
                  - name: b
                    ports:
                    - containerPort: 80
                """).orElseThrow();

        assertThat(FieldPaths.lineOf(root, List.of("spec", "containers", 1, "ports", 0, "containerPort"))).isEqualTo(6);
        assertThat(FieldPaths.lineOf(root, List.of("spec", "containers"))).isEqualTo(2);
        assertThat(FieldPaths.lineOf(root, List.of("spec", "containers", 1, "image"))).isEqualTo(4);
        assertThat(FieldPaths.lineOf(root, List.of())).isEqualTo(1);
        assertThat(FieldPaths.find(root, List.of("spec", "containers", 5))).isEmpty();
        assertThat(FieldPaths.find(root, List.of("spec", "containers", 0, "name"))).isPresent();
    }
}
