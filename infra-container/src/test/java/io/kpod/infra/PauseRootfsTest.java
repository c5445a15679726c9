package io.kpod.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseRootfsTest {
    @TempDir
    Path tmp;

    private Path fakeCatatonit() throws Exception {
        Path bin = tmp.resolve("bin/catatonit");
        Files.createDirectories(bin.getParent());
        Files.writeString(bin, "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void createsTheTreeOnceAndReusesIt() throws Exception {
        Path root = tmp.resolve("pause");
        assertThat(PauseRootfs.ensure(root, fakeCatatonit())).isEqualTo(root);

        assertThat(PauseRootfs.isComplete(root)).isTrue();
        assertThat(Files.readString(root.resolve("catatonit"))).isEqualTo("#!/bin/sh\n");
        assertThat(Files.isExecutable(root.resolve("catatonit"))).isTrue();
        for (String d : List.of("proc", "dev", "sys")) {
            assertThat(root.resolve(d)).isEmptyDirectory();
        }
        assertThat(root.resolve("etc")).isDirectory();
        for (String f : List.of("etc/hostname", "etc/hosts", "etc/resolv.conf")) {
            assertThat(root.resolve(f)).isEmptyFile();
        }
        Object inode = Files.getAttribute(root, "unix:ino");
        PauseRootfs.ensure(root, tmp.resolve("missing"));
        assertThat(Files.getAttribute(root, "unix:ino")).isEqualTo(inode);
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("bin", "pause", ".pause.lock");
        }
    }

    @Test
    void replacesAnIncompleteLeftover() throws Exception {
        Path root = tmp.resolve("pause");
        Files.createDirectories(root.resolve("proc"));
        PauseRootfs.ensure(root, fakeCatatonit());
        assertThat(PauseRootfs.isComplete(root)).isTrue();
    }

    @Test
    void concurrentCreatorsAllSucceed() throws Exception {
        Path root = tmp.resolve("pause");
        Path cat = fakeCatatonit();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> PauseRootfs.ensure(root, cat)));
            }
            for (Future<Path> f : results) {
                assertThat(f.get()).isEqualTo(root);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(PauseRootfs.isComplete(root)).isTrue();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tmp-") || n.contains(".stale-"));
        }
    }

    @Test
    void missingCatatonitSaysWhatToInstall() {
        assertThatThrownBy(() -> PauseRootfs.findCatatonit(List.of(tmp.resolve("nope"))))
                .isInstanceOf(KpodException.class)
                .hasMessageContaining("install the catatonit package")
                .satisfies(e -> assertThat(((KpodException) e).kind()).isEqualTo(ErrorKind.RUNTIME));
    }

    @Test
    void findsTheHostsCatatonitWhenInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/catatonit")), "catatonit not installed");
        assertThat(PauseRootfs.findCatatonit()).isEqualTo(Path.of("/usr/bin/catatonit"));
        assertThat(PauseRootfs.findCatatonit(List.of(Path.of("/nonexistent"), Path.of("/usr/libexec/podman/catatonit"))))
                .isEqualTo(Path.of("/usr/libexec/podman/catatonit"));
    }
}
