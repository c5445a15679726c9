package io.kpod.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AardvarkEntriesTest {
    private static final String FILE = "10.252.99.1\n"
            + "aaa 10.252.99.2  web-pod-0,aaa12,web-pod-0-c\n"
            + "bbb 10.252.99.3 fd00::3 other,bbb12\n";

    @Test
    void addsNamesToTheContainersEntryOnlyOnce() {
        String once = AardvarkEntries.withNames(FILE, "aaa", List.of("svc", "svc.default"), true);
        assertThat(once).isEqualTo("10.252.99.1\n"
                + "aaa 10.252.99.2  web-pod-0,aaa12,web-pod-0-c,svc,svc.default\n"
                + "bbb 10.252.99.3 fd00::3 other,bbb12\n");
        assertThat(AardvarkEntries.withNames(once, "aaa", List.of("svc"), true)).isEqualTo(once);
    }

    @Test
    void removesNamesAndLeavesOtherEntriesAlone() {
        String with = AardvarkEntries.withNames(FILE, "bbb", List.of("svc"), true);
        assertThat(with).contains("bbb 10.252.99.3 fd00::3 other,bbb12,svc\n");
        assertThat(AardvarkEntries.withNames(with, "bbb", List.of("svc", "never-there"), false)).isEqualTo(FILE);
    }

    @Test
    void aFileWithoutTheContainerIsUnchanged() {
        assertThat(AardvarkEntries.withNames(FILE, "ccc", List.of("svc"), true)).isEqualTo(FILE);
        // the first line holds addresses, never a container, even if it happened to match
        assertThat(AardvarkEntries.withNames("aaa\n", "aaa", List.of("svc"), true)).isEqualTo("aaa\n");
    }
}
