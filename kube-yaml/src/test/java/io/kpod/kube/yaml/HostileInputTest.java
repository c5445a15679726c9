package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostileInputTest {
    private static final Duration FAST = Duration.ofSeconds(1);
    private final KubeYaml yaml = KubeYaml.create();

    @BeforeAll
    static void warmUp() {
        // class loading of Jackson, fabric8 and snakeyaml is not what these tests time
        KubeYaml.create().parseText("warm.yaml", Fixtures.text("two-tier.yaml"));
    }

    @Test
    void billionLaughsIsRefusedByTheAliasLimit() {
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\nlols:\n");
        sb.append("  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            sb.append("  ").append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        String bomb = sb.toString();

        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> yaml.parseText("lol.yaml", bomb))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("lol.yaml: document 1: more than 50 aliases to mappings or sequences "
                        + "(refusing a possible alias bomb)"));
    }

    @Test
    void aliasFanOutBelowTheAliasLimitIsRefusedByTheValueBudget() {
        // 2 aliases per level, 24 levels: 48 aliases, but 2^24 lists once expanded
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fan}\nx:\n  l0: &l0 [x, y]\n");
        for (int i = 1; i <= 24; i++) {
            sb.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }
        String fan = sb.toString();

        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> yaml.parseText("fan.yaml", fan))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("fan.yaml: document 1, line ")
                .hasMessageContaining("expands to more than 1000000 values through aliases"));
    }

    @Test
    void deepFlowNestingIsRefusedBeforeComposing() {
        String deep = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nx: " + "[".repeat(200_000)
                + "]".repeat(200_000) + "\n";
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> yaml.parseText("deep.yaml", deep))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("deep.yaml: document 1, line 4: nested more than 100 levels deep"));
    }

    @Test
    void deepBlockNestingIsRefused() {
        StringBuilder sb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n");
        for (int i = 0; i < 150; i++) {
            sb.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        String deep = sb.toString();
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> yaml.parseText("block.yaml", deep))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("nested more than 100 levels deep"));
    }

    @Test
    void recursiveAliasesAreRefused() {
        String loop = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loop}\nx: &x\n  y: *x\n";
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> yaml.parseText("loop.yaml", loop))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageStartingWith("loop.yaml: document 1"));
    }

    @Test
    void oversizedSourcesAreRefusedWithoutReadingThemWhole() {
        KubeYaml small = KubeYaml.builder().limits(new YamlLimits(1024, 1024, 1000, 100, 50, 1_000_000)).build();
        assertThatThrownBy(() -> small.parseText("big.yaml", "a: " + "x".repeat(2000)))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("big.yaml: larger than 1024 bytes; split it into smaller files");
        assertThat(YamlLimits.DEFAULTS.maxSourceBytes()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void tooManyDocumentsAreRefused() {
        String many = "---\n# empty\n".repeat(1001);
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> yaml.parseText("many.yaml", many))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("many.yaml: document 1001, line 2001: more than 1000 documents in one source"));
    }
}
