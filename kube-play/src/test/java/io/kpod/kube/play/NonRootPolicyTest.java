package io.kpod.kube.play;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.engine.ImageSource;
import io.kpod.kube.yaml.InvalidManifestException;
import io.kpod.kube.yaml.KubeYaml;
import io.kpod.kube.yaml.ParseResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NonRootPolicyTest {

    @ParameterizedTest(name = "USER \"{0}\" → {1}")
    @CsvSource(delimiter = '|', value = {
            "''           | runs as root (it sets no USER)",
            "0            | runs as root (USER 0)",
            "0:1000       | runs as root (USER 0:1000)",
            "000          | runs as root (USER 000)",
            "root         | sets USER root, a name, so it cannot be verified not to be root",
            "nobody:nogroup | sets USER nobody:nogroup, a name, so it cannot be verified not to be root",
            "1000         | ''",
            "1000:0       | ''",
            "65534        | ''"})
    void onlyANumericUidOtherThanZeroPasses(String user, String reason) {
        assertThat(NonRootPolicy.violation(user).orElse("")).isEqualTo(reason);
    }

    private static List<DesiredPod> translate(String yaml) {
        ParseResult parsed = KubeYaml.create().parseText("nr.yaml", yaml);
        Manifest m = Manifest.of(parsed, List.of());
        PodTranslator t = new PodTranslator(m, PlayOptions.defaults(), "key", List.of("kpod-kube"),
                new Warnings(false));
        return m.workloads().stream().map(w -> t.translate(w, 0, Map.of())).toList();
    }

    private static ImageSource imageWithUser(String user) {
        return new ImageSource() {
            @Override
            public ResolvedImage resolve(String reference) {
                return new ResolvedImage("id", reference, List.of(), new ImageDefaults(List.of(), List.of(), List.of(),
                        "", user, List.of(), null, Map.of(), List.of()));
            }

            @Override
            public boolean exists(String imageId) {
                return true;
            }

            @Override
            public List<Path> layerDirs(String imageId) {
                return List.of();
            }
        };
    }

    private static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: own}
            spec:
              containers:
              - {name: a, image: img, securityContext: {runAsUser: 1000}}
              - {name: b, image: img, securityContext: {runAsNonRoot: true}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: inherited}
            spec:
              selector: {matchLabels: {app: x}}
              template:
                metadata: {labels: {app: x}}
                spec:
                  securityContext: {runAsNonRoot: true}
                  containers:
                  - {name: a, image: img, securityContext: {runAsUser: 1000}}
                  - {name: b, image: img}
                  - {name: c, image: img, securityContext: {runAsNonRoot: false}}
            """;

    @Test
    void theFieldThatAskedIsNamedAndAGivenRunAsUserNeedsNoImageCheck() {
        List<DesiredPod> pods = translate(PODS);
        assertThat(pods.get(0).containers()).extracting(c -> c.nonRoot() == null ? null : c.nonRoot().field())
                .containsExactly(null, "spec.containers[1].securityContext.runAsNonRoot");
        assertThat(pods.get(1).containers()).extracting(c -> c.nonRoot() == null ? null : c.nonRoot().field())
                .containsExactly(null, "spec.template.spec.securityContext.runAsNonRoot", null);
    }

    @Test
    void aRootImageIsRefusedWithTheFieldAndWhatToDo() {
        List<DesiredPod> pods = translate(PODS);
        assertThatThrownBy(() -> NonRootPolicy.check(pods, imageWithUser("")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("nr.yaml: document 1, line 1: spec.containers[1].securityContext.runAsNonRoot: image img"
                        + " runs as root (it sets no USER); set runAsUser to a uid other than 0, or use an image whose"
                        + " USER is one");
        NonRootPolicy.check(pods, imageWithUser("1000"));
    }

    @Test
    void theRequirementIsNotPartOfThePodsHash() {
        DesiredPod p = translate(PODS).get(0);
        List<DesiredContainer> without = p.containers().stream()
                .map(c -> new DesiredContainer(c.spec(), c.init(), c.pullPolicy(), null)).toList();
        assertThat(PodTranslator.hash(p.pod(), without, p.volumes()))
                .isEqualTo(PodTranslator.hash(p.pod(), p.containers(), p.volumes()));
    }
}
