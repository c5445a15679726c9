package io.kpod.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.cli.format.TableWriter.Flag;
import org.junit.jupiter.api.Test;

/** Expected outputs are the documented outputs of Go's text/tabwriter examples. */
class TableWriterTest {
    @Test
    void elasticColumnsRightAlignedWithDebugBars() {
        String out = new TableWriter(0, 0, 1, '.', Flag.ALIGN_RIGHT, Flag.DEBUG)
                .write("a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n").flush();
        assertThat(out).isEqualTo("....a|..b|c\n...aa|.bb|cc\n..aaa|\n.aaaa|.dddd|eeee\n");
    }

    @Test
    void trailingTabMakesTheLastCellPartOfAColumn() {
        String out = new TableWriter(0, 0, 3, '-', Flag.ALIGN_RIGHT, Flag.DEBUG)
                .write("a\tb\taligned\t\naa\tbb\taligned\t\naaa\tbbb\tunaligned\naaaa\tbbbb\taligned\t\n").flush();
        assertThat(out).isEqualTo("------a|------b|---aligned|\n"
                + "-----aa|-----bb|---aligned|\n"
                + "----aaa|----bbb|unaligned\n"
                + "---aaaa|---bbbb|---aligned|\n");
    }

    @Test
    void tabPaddingAndMinimalWidth() {
        String tabs = new TableWriter(0, 8, 0, '\t').write("a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n").flush();
        assertThat(tabs).isEqualTo("a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n\n");
        String right = new TableWriter(5, 0, 1, ' ', Flag.ALIGN_RIGHT)
                .write("a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n").flush();
        assertThat(right).isEqualTo("    a     b       c         d.\n  123 12345 1234567 123456789.\n\n");
    }

    @Test
    void podmanDefaultsPadToTwelveAndTwoSpaces() {
        String out = TableWriter.podman().row("VOLUME NAME", "DRIVER").row("data", "local")
                .row("a-rather-long-volume-name", "local").flush();
        assertThat(out).isEqualTo("VOLUME NAME                DRIVER\n"
                + "data                       local\n"
                + "a-rather-long-volume-name  local\n");
        assertThat(TableWriter.format("ID\tNAME\n1\tx\n")).isEqualTo("ID          NAME\n1           x\n");
    }

    @Test
    void aLineWithoutTabsEndsAColumnBlock() {
        String out = TableWriter.podman().write("a\tb\nbreak\nlonger-than-twelve\tc\n").flush();
        assertThat(out).isEqualTo("a           b\nbreak\nlonger-than-twelve  c\n");
    }

    @Test
    void widthCountsCharactersNotBytesAndNoNewlineIsAdded() {
        String out = TableWriter.podman().write("żółć\tx\nab\ty").flush();
        assertThat(out).isEqualTo("żółć        x\nab          y");
    }
}
