package io.kpod.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFileWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesPodFilesWorldReadableAndLeavesNoTempFiles() throws Exception {
        InfraContainerPlan plan = InfraContainerPlan.of(SandboxRequest.builder("w1", "w1", tmp).build());
        EtcFileWriter.writePodFiles(plan, EtcFiles.forPod(plan, "", "nameserver 10.0.0.2\n", false));

        assertThat(Files.readString(plan.hostnameFile())).isEqualTo("w1\n");
        assertThat(Files.readString(plan.hostsFile())).startsWith("127.0.0.1\tlocalhost\n");
        assertThat(Files.readString(plan.resolvConfFile())).isEqualTo("nameserver 10.0.0.2\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plan.hostsFile()))).isEqualTo("rw-r--r--");
        try (var s = Files.list(plan.podDir())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hostname", "hosts", "resolv.conf");
        }
    }

    @Test
    void atomicWriteReplacesTheInodeButInPlaceRewriteKeepsIt() throws Exception {
        Path f = tmp.resolve("hosts");
        EtcFileWriter.writeAtomically(f, "a\n");
        Object first = Files.getAttribute(f, "unix:ino");
        EtcFileWriter.rewriteInPlace(f, "bb\n");
        assertThat(Files.getAttribute(f, "unix:ino")).isEqualTo(first);
        assertThat(Files.readString(f)).isEqualTo("bb\n");
        EtcFileWriter.writeAtomically(f, "c\n");
        assertThat(Files.getAttribute(f, "unix:ino")).isNotEqualTo(first);
        assertThat(Files.readString(f)).isEqualTo("c\n");
    }
}
