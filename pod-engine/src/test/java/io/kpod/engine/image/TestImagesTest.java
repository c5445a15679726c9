package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestImagesTest {
    @TempDir
    Path tmp;

    @Test
    void busyboxImageImportsAsLocalhostBusyboxAndRuns() throws Exception {
        ImageStore store = new ImageStore(tmp.resolve("graph"));
        ImageRecord img = TestImages.importBusybox(store);
        assertThat(img.names()).containsExactly("localhost/busybox:latest");
        assertThat(store.resolve("busybox")).isEqualTo(img);
        ImageConfig c = store.config(img.id());
        assertThat(c.cmd()).containsExactly("sh");
        assertThat(c.env()).containsExactly("PATH=" + TestImages.DEFAULT_PATH);

        Path root = store.layerDirs(img.id()).get(0);
        assertThat(Files.isExecutable(root.resolve("bin/busybox"))).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.readSymbolicLink(root.resolve("usr/sbin/chroot"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(root.resolve("etc/passwd")).content().contains("nobody:x:65534:65534:");
        assertThat(root.resolve("etc/group")).content().contains("nobody:x:65534:");
        for (String d : new String[] {"proc", "sys", "dev", "etc", "tmp", "root", "var/www"}) {
            assertThat(root.resolve(d)).isDirectory();
        }
        Map<String, Object> tmpAttrs = Files.readAttributes(root.resolve("tmp"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat((Integer) tmpAttrs.get("mode") & 07777).isEqualTo(01777);

        Process p = new ProcessBuilder("chroot", root.toString(), "/bin/sh", "-c", "echo hello from $(basename $0)")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo("hello from sh\n");
    }

    @Test
    void mainWritesAReproducibleTar() throws IOException {
        Path a = tmp.resolve("a.tar");
        Path b = tmp.resolve("b.tar");
        TestImages.main(new String[] {a.toString()});
        TestImages.writeBusyboxRootfs(b);
        assertThat(Files.size(a)).isGreaterThan(Files.size(TestImages.HOST_BUSYBOX));
        assertThat(Digests.of(Files.readAllBytes(a))).isEqualTo(Digests.of(Files.readAllBytes(b)));
        assertThat(TestImages.applets(TestImages.HOST_BUSYBOX)).contains("bin/sh", "usr/bin/wget");
    }
}
