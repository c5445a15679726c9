package io.kpod.kube.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    /** The documented limit ({@link YamlLimits#DEFAULTS}: 4 MiB) is what is accepted, and one byte more is not. */
    @Test
    void aSourceOfExactlyTheDefaultLimitParsesQuicklyAndOneByteMoreIsRefused() {
        int limit = YamlLimits.DEFAULTS.maxSourceBytes();
        String head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: ";
        String atLimit = head + "x".repeat(limit - head.length() - 1) + "\n";
        assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(limit);

        // one 4 MiB scalar: snakeyaml's default 1 KiB read buffer made this quadratic (5 s); now linear
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> assertThat(yaml.parseText("big.yaml", atLimit).resources())
                .singleElement().satisfies(r -> assertThat(r.getMetadata().getName()).isEqualTo("big")));
        assertThatThrownBy(() -> yaml.parseText("big.yaml", atLimit + "#"))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("big.yaml: larger than 4194304 bytes; split it into smaller files");
    }

    @Test
    void anEndlessStreamIsRefusedAfterReadingOneByteMoreThanTheLimit() {
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'a');
                read[0] += len;
                return len;
            }
        };
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> yaml.parse(ManifestSource.stream("-", endless)))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("-: larger than 4194304 bytes; split it into smaller files"));
        assertThat(read[0]).isEqualTo(YamlLimits.DEFAULTS.maxSourceBytes() + 1L);
    }

    @Test
    void manyPlainValuesAreRefusedAsTooManyNotAsAnAliasBomb() {
        KubeYaml small = KubeYaml.builder().limits(new YamlLimits(1 << 20, 1 << 20, 10, 100, 50, 1000)).build();
        String wide = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: w}\nx: [" + "1, ".repeat(2000) + "1]\n";
        assertThatThrownBy(() -> small.parseText("wide.yaml", wide))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessage("wide.yaml: document 1, line 4: x[994]: holds more than 1000 values");
    }

    /** Each malformed sequence inside a value, and cut off at the end of the file. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            overlong encoding of '/',   C0AF
            UTF-16 surrogate,           EDA080
            truncated 3-byte sequence,  E282
            lone continuation byte,     80
            lead byte F5,               F5808080
            above U+10FFFF,             F4908080
            byte FF,                    FF
            """)
    void invalidUtf8IsRefusedWithLineAndOffsetWherever(String what, String hex) {
        byte[] bad = HexFormat.of().parseHex(hex);
        byte[] head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: \"".getBytes(StandardCharsets.UTF_8);
        for (boolean atEnd : new boolean[] {false, true}) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            text.writeBytes(head);
            text.writeBytes(bad);
            if (!atEnd) {
                text.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThatThrownBy(() -> yaml.parse(ManifestSource.stream("u.yaml", new java.io.ByteArrayInputStream(text.toByteArray()))))
                    .as(what + (atEnd ? " at the end" : ""))
                    .isInstanceOf(InvalidManifestException.class)
                    .hasMessage(String.format("u.yaml: line 4: is not valid UTF-8 (byte 0x%s at offset %d); save it as UTF-8",
                            hex.substring(0, 2), head.length));
        }
    }
}
