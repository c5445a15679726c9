package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.engine.sys.FileTrees;
import io.kpod.engine.sys.Libc;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerDifferTest {
    @TempDir
    Path tmp;

    private Path mountOverlay(String lowerdir, Path upper, Path work, Path merged) throws IOException {
        if (upper != null) {
            Files.createDirectories(upper);
            Files.createDirectories(work);
        }
        Files.createDirectories(merged);
        String opts = "lowerdir=" + lowerdir + (upper == null ? "" : ",upperdir=" + upper + ",workdir=" + work);
        Libc.mount("overlay", merged, "overlay", upper == null ? Libc.MS_RDONLY : 0, opts);
        return merged;
    }

    @Test
    void upperDirExportsToALayerThatUnpacksToTheSameTreeAndView() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("base"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TarBuilder().dir("etc", 0755)
                .file("etc/keep", "keep").file("etc/gone", "gone").file("etc/edit", "v1")
                .dir("data", 0755).file("data/old1", "1").file("data/old2", "2")
                .dir("app", 0755).file("app/run", "#!/bin/sh", 0755, 0, 0, Map.of()).build()), base);

        Path upper = tmp.resolve("upper");
        Path merged = mountOverlay(base.toString(), upper, tmp.resolve("work"), tmp.resolve("merged"));
        Map<String, String> mutatedView;
        try {
            Files.delete(merged.resolve("etc/gone"));
            Files.writeString(merged.resolve("etc/edit"), "v2");
            FileTrees.delete(merged.resolve("data"));
            Files.createDirectory(merged.resolve("data"));
            Files.writeString(merged.resolve("data/new"), "new");
            Files.writeString(merged.resolve("app/added"), "added");
            Libc.chmod(merged.resolve("app/run"), 04750);
            Libc.lchown(merged.resolve("app/added"), 123, 456);
            Files.createLink(merged.resolve("app/added2"), merged.resolve("app/added"));
            Files.createSymbolicLink(merged.resolve("app/link"), Path.of("../etc/keep"));
            Libc.mknod(merged.resolve("app/fifo"), Libc.S_IFIFO | 0644, 0, 0);
            Libc.setXattr(merged.resolve("app/added"), "user.note", "hi".getBytes());
            Files.createDirectories(merged.resolve("new/deep/dir"));
            mutatedView = TreeSnapshot.of(merged);
        } finally {
            Libc.unmount(merged, false);
        }
        assertThat(Libc.getXattr(upper.resolve("data"), "trusted.overlay.opaque")).containsExactly('y');

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerUnpacker.Result exported = LayerDiffer.export(upper, out);
        byte[] tar = out.toByteArray();
        assertThat(exported.diffId()).isEqualTo(Digests.of(tar));
        assertThat(entryNames(tar)).contains("etc/.wh.gone", "data/.wh..wh..opq", "data/new", "app/added2")
                .doesNotContain("etc/gone");
        assertThat(linkTarget(tar, "app/added2")).isEqualTo("app/added");

        Path again = Files.createDirectory(tmp.resolve("again"));
        LayerUnpacker.Result unpacked = LayerUnpacker.unpack(new ByteArrayInputStream(tar), again);
        assertThat(unpacked.diffId()).isEqualTo(exported.diffId());
        assertThat(TreeSnapshot.of(again)).isEqualTo(TreeSnapshot.of(upper));

        Path view = mountOverlay(again + ":" + base, null, null, tmp.resolve("view"));
        try {
            Map<String, String> replayed = TreeSnapshot.of(view);
            assertThat(replayed.keySet()).isEqualTo(mutatedView.keySet());
            assertThat(replayed.get("data/new")).isEqualTo(mutatedView.get("data/new"));
            assertThat(view.resolve("data/old1")).doesNotExist();
            assertThat(view.resolve("etc/gone")).doesNotExist();
            assertThat(view.resolve("etc/edit")).hasContent("v2");
        } finally {
            Libc.unmount(view, false);
        }

        ByteArrayOutputStream second = new ByteArrayOutputStream();
        assertThat(LayerDiffer.export(upper, second).diffId()).as("deterministic").isEqualTo(exported.diffId());
    }

    private static List<String> entryNames(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static String linkTarget(byte[] tar, String name) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name) && e.isLink()) {
                    return e.getLinkName();
                }
            }
        }
        return null;
    }

    @Test
    void devicesAndWhiteoutsRoundTrip() throws IOException {
        Path upper = Files.createDirectory(tmp.resolve("u"));
        Files.writeString(upper.resolve("f"), "x");
        Libc.mknod(upper.resolve("wh"), Libc.S_IFCHR, 0, 0);
        Libc.mknod(upper.resolve("tty"), Libc.S_IFCHR | 0620, 4, 300);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiffer.export(upper, out);
        assertThat(entryNames(out.toByteArray())).containsExactly("f", "tty", ".wh.wh");
        Path back = Files.createDirectory(tmp.resolve("b"));
        LayerUnpacker.unpack(new ByteArrayInputStream(out.toByteArray()), back);
        assertThat(TreeSnapshot.of(back)).isEqualTo(TreeSnapshot.of(upper));
        assertThat(Files.isRegularFile(back.resolve(".wh.wh"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
