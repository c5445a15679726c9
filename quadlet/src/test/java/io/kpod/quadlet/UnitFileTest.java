package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitFileTest {
    private static final Path SRC = Path.of("/q/a.container");

    @Test
    void parsesSectionsKeysAndLinesWithContinuationsAndComments() {
        UnitFile f = UnitFile.parse("a.container", SRC, """
                # leading comment
                [Unit]
                Description = my app\s\s
                [Container]
                Image=img
                Exec=/bin/sh \\
                ; skipped inside the continuation
                  -c "echo hi"
                Label=a=1
                Label=
                Label=b=2
                [Install] \t
                WantedBy=multi-user.target
                """);
        assertThat(f.sectionNames()).containsExactly("Unit", "Container", "Install");
        assertThat(f.lookup("Unit", "Description")).contains("my app");
        assertThat(f.lastEntry("Container", "Exec").orElseThrow())
                .isEqualTo(new UnitEntry("Exec", "/bin/sh -c \"echo hi\"", SRC, 6));
        assertThat(f.lookupLastArgs("Container", "Exec")).contains(List.of("/bin/sh", "-c", "echo hi"));
        assertThat(f.lookupAll("Container", "Label")).containsExactly("b=2");
        assertThat(f.lastEntry("Install", "WantedBy").orElseThrow().line()).isEqualTo(13);
    }

    @Test
    void reportsTheLineOfAMalformedLine() {
        assertThatThrownBy(() -> UnitFile.parse("a.container", SRC, "[Container]\nImage=x\nnot a pair\n"))
                .isInstanceOfSatisfying(QuadletException.class,
                        e -> assertThat(e.describe()).isEqualTo("/q/a.container:3: line \"not a pair\" is not a"
                                + " key-value pair, section, or comment"));
        assertThatThrownBy(() -> UnitFile.parse("a.container", SRC, "Image=x\n"))
                .isInstanceOfSatisfying(QuadletException.class, e -> assertThat(e.line()).isEqualTo(1));
    }

    @Test
    void lookupStripsQuotesAndBooleansFollowSystemd() {
        UnitFile f = UnitFile.parse("a.container", SRC, "[C]\nName=\"x\"y\"\nA=On\nB=0\nC=perhaps\n");
        assertThat(f.lookup("C", "Name")).contains("x\"y");
        assertThat(f.lookupBoolean("C", "A")).contains(true);
        assertThat(f.lookupBoolean("C", "B")).contains(false);
        assertThat(f.lookupBoolean("C", "Missing", true)).isTrue();
        assertThatThrownBy(() -> f.lookupBoolean("C", "C")).hasMessageContaining("invalid boolean value 'perhaps'");
    }

    @Test
    void keyValsAreSortedAndLastWins() {
        UnitFile f = UnitFile.parse("a.container", SRC, "[C]\nEnvironment=B=1 \"A=x y\"\nEnvironment=B=2\n");
        assertThat(f.lookupAllKeyVal("C", "Environment")).containsExactly(
                java.util.Map.entry("A", "x y"), java.util.Map.entry("B", "2"));
    }

    @Test
    void dropInsAppendAndRenameMergesSections() {
        UnitFile f = UnitFile.parse("a.container", SRC, "[Container]\nImage=a\n");
        f.merge(UnitFile.parse("10.conf", Path.of("/q/10.conf"), "[Container]\nImage=b\n[Unit]\nAfter=x\n"));
        assertThat(f.lookup("Container", "Image")).contains("b");
        assertThat(f.lastEntry("Container", "Image").orElseThrow().source()).isEqualTo(Path.of("/q/10.conf"));
        UnitFile copy = f.copyAs("a.service");
        copy.renameSection("Container", "Unit");
        assertThat(copy.sectionNames()).containsExactly("Unit");
        assertThat(f.sectionNames()).containsExactly("Container", "Unit");
        assertThat(copy.toText(List.of("hdr"))).isEqualTo("# hdr\n[Unit]\nAfter=x\nImage=a\nImage=b\n");
    }
}
