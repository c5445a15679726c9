package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import io.kpod.engine.sys.Libc;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LayerUnpackerTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> stat(Path p) throws IOException {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void whiteoutsBecomeCharDevicesAndOpaqueXattrsAndMarkersAreNeverExtracted() throws IOException {
        Path layer = Files.createDirectory(tmp.resolve("l"));
        byte[] tar = new TarBuilder().dir("opt", 0755).file("opt/.wh.gone.txt", "")
                .dir("opt/olddir", 0755).file("opt/olddir/.wh..wh..opq", "").file("opt/olddir/new", "n")
                .file("implicit/.wh..wh..opq", "").build();
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), layer);

        Map<String, Object> wh = stat(layer.resolve("opt/gone.txt"));
        assertThat((Integer) wh.get("mode") & 0170000).isEqualTo(Libc.S_IFCHR);
        assertThat((Long) wh.get("rdev")).isZero();
        assertThat(Libc.getXattr(layer.resolve("opt/olddir"), "trusted.overlay.opaque")).containsExactly('y');
        assertThat(Libc.getXattr(layer.resolve("implicit"), "trusted.overlay.opaque")).containsExactly('y');
        assertThat(Libc.getXattr(layer.resolve("opt"), "trusted.overlay.opaque")).isNull();
        assertThat(TreeSnapshot.of(layer).keySet()).containsExactlyInAnyOrder(
                "opt", "opt/gone.txt", "opt/olddir", "opt/olddir/new", "implicit");
    }

    @Test
    void overlayMountShowsWhiteoutHidingTheLowerFile() throws IOException {
        Path bottom = Files.createDirectory(tmp.resolve("bottom"));
        Path top = Files.createDirectory(tmp.resolve("top"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TarBuilder().dir("opt", 0755)
                .file("opt/gone.txt", "old").file("opt/kept.txt", "kept")
                .dir("opt/olddir", 0755).file("opt/olddir/a", "a").build()), bottom);
        LayerUnpacker.unpack(new ByteArrayInputStream(new TarBuilder().file("opt/.wh.gone.txt", "")
                .file("opt/olddir/.wh..wh..opq", "").file("opt/olddir/b", "b").build()), top);
        Path merged = Files.createDirectory(tmp.resolve("merged"));
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        Libc.mount("overlay", merged, "overlay", 0,
                "lowerdir=" + top + ":" + bottom + ",upperdir=" + upper + ",workdir=" + work);
        try {
            assertThat(merged.resolve("opt/gone.txt")).doesNotExist();
            assertThat(merged.resolve("opt/kept.txt")).hasContent("kept");
            try (var s = Files.list(merged.resolve("opt/olddir"))) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("b");
            }
        } finally {
            Libc.unmount(merged, false);
        }
    }

    @Test
    void preservesHardlinksSymlinksModesOwnersMtimesXattrsAndDevices() throws IOException {
        Path layer = Files.createDirectory(tmp.resolve("l"));
        byte[] tar = new TarBuilder().dir("usr", 0755).dir("usr/bin", 0755)
                .file("usr/bin/su", "suid", 04755, 0, 0, Map.of())
                .dir("shared", 01777)
                .file("home/app/data", "d", 0640, 1000, 1001, Map.of("user.origin", "tar", "security.test", "x"))
                .hardlink("home/app/data2", "home/app/data")
                .hardlink("/usr/bin/su2", "/usr/bin/su")
                .symlink("bin", "usr/bin")
                .symlink("abs", "/etc/hostname")
                .device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                .device("dev/fifo", TarConstants.LF_FIFO, 0, 0, 0600)
                .dir("/rooted", 0700)
                .build();
        LayerUnpacker.Result r = LayerUnpacker.unpack(new ByteArrayInputStream(tar), layer);
        assertThat(r.diffId()).isEqualTo(Digests.of(tar));
        assertThat(r.size()).isEqualTo(tar.length);

        Map<String, Object> su = stat(layer.resolve("usr/bin/su"));
        assertThat((Integer) su.get("mode") & 07777).isEqualTo(04755);
        assertThat((Integer) su.get("nlink")).isEqualTo(2);
        assertThat(su.get("ino")).isEqualTo(stat(layer.resolve("usr/bin/su2")).get("ino"));
        assertThat((Integer) stat(layer.resolve("shared")).get("mode") & 07777).isEqualTo(01777);
        Map<String, Object> data = stat(layer.resolve("home/app/data"));
        assertThat(data.get("uid")).isEqualTo(1000);
        assertThat(data.get("gid")).isEqualTo(1001);
        assertThat((Integer) data.get("mode") & 07777).isEqualTo(0640);
        assertThat(data.get("ino")).isEqualTo(stat(layer.resolve("home/app/data2")).get("ino"));
        assertThat(new String(Libc.getXattr(layer.resolve("home/app/data"), "user.origin"))).isEqualTo("tar");
        assertThat(new String(Libc.getXattr(layer.resolve("home/app/data"), "security.test"))).isEqualTo("x");
        assertThat(Files.readSymbolicLink(layer.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
        assertThat(Files.readSymbolicLink(layer.resolve("abs"))).isEqualTo(Path.of("/etc/hostname"));
        Map<String, Object> nul = stat(layer.resolve("dev/null"));
        assertThat((Integer) nul.get("mode") & 0170000).isEqualTo(Libc.S_IFCHR);
        assertThat((Long) nul.get("rdev")).isEqualTo((1L << 8) | 3);
        assertThat((Integer) stat(layer.resolve("dev/fifo")).get("mode") & 0170000).isEqualTo(Libc.S_IFIFO);
        assertThat((Integer) stat(layer.resolve("rooted")).get("mode") & 07777).isEqualTo(0700);
        for (String p : List.of("usr", "usr/bin", "usr/bin/su", "shared", "home/app/data", "dev/null", "rooted")) {
            assertThat(Files.getLastModifiedTime(layer.resolve(p), LinkOption.NOFOLLOW_LINKS).toInstant()
                    .getEpochSecond()).as(p).isEqualTo(TarBuilder.MTIME);
        }
    }

    @Test
    void gzipAndZstdLayersAreDetectedByMagicAndHaveTheTarsDiffId() throws IOException {
        byte[] tar = new TarBuilder().file("a", "hello").build();
        for (Function<OutputStream, OutputStream> c : List.<Function<OutputStream, OutputStream>>of(
                o -> uncheck(() -> new GZIPOutputStream(o)), o -> uncheck(() -> new ZstdOutputStream(o)))) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (OutputStream z = c.apply(buf)) {
                z.write(tar);
            }
            Path layer = Files.createTempDirectory(tmp, "z");
            LayerUnpacker.Result r = LayerUnpacker.unpack(new ByteArrayInputStream(buf.toByteArray()), layer);
            assertThat(r.diffId()).isEqualTo(Digests.of(tar));
            assertThat(layer.resolve("a")).hasContent("hello");
        }
    }

    static List<Object[]> hostileTars() {
        List<Object[]> out = new java.util.ArrayList<>();
        out.add(hostile("dotdot", o -> new TarBuilder().file("../x", "evil"), "../x"));
        out.add(hostile("nested dotdot", o -> new TarBuilder().dir("a", 0755).file("a/../../x", "evil"), "a/../../x"));
        out.add(hostile("symlinked parent", o -> new TarBuilder().symlink("a", o).file("a/file", "evil"), "a/file"));
        out.add(hostile("hardlink outside", o -> new TarBuilder().hardlink("passwd", "../../etc/passwd"), "passwd"));
        out.add(hostile("hardlink through symlink", o -> new TarBuilder().symlink("a", o)
                .hardlink("stolen", "a/secret"), "stolen"));
        out.add(hostile("whiteout through symlink", o -> new TarBuilder().symlink("a", o)
                .file("a/.wh.secret", ""), "a/.wh.secret"));
        out.add(hostile("opaque through symlink", o -> new TarBuilder().symlink("a", o)
                .file("a/.wh..wh..opq", ""), "a/.wh..wh..opq"));
        out.add(hostile("dir through symlink", o -> new TarBuilder().symlink("a", o).dir("a/sub", 0755), "a/sub/"));
        return out;
    }

    private static Object[] hostile(String name, Function<String, TarBuilder> tar, String entry) {
        return new Object[] {name, tar, entry};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTars")
    void hostileTarsAreRefusedAndLeaveNothingBehind(String what, Function<String, TarBuilder> tarMaker, String entry)
            throws IOException {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
        byte[] tar = tarMaker.apply(outside.toString()).build();
        ImageStore store = new ImageStore(tmp.resolve("root"));
        Path tarFile = tmp.resolve("hostile.tar");
        Files.write(tarFile, tar);
        Map<String, String> outsideBefore = TreeSnapshot.of(outside);
        Map<String, String> tmpBefore = TreeSnapshot.of(tmp);

        assertThatThrownBy(() -> store.importRootfs(tarFile, Optional.of("hostile"), List.of()))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageContaining("refusing layer entry \"" + entry + "\"");

        assertThat(TreeSnapshot.of(outside)).isEqualTo(outsideBefore);
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(store.list()).isEmpty();
        assertThat(store.layers().list()).isEmpty();
        Map<String, String> after = TreeSnapshot.of(tmp);
        after.keySet().removeIf(k -> k.startsWith("root"));
        tmpBefore.keySet().removeIf(k -> k.startsWith("root"));
        assertThat(after).isEqualTo(tmpBefore);
        assertThat(filesUnder(store.imagesDir().resolve("blobs"))).isEmpty();
        assertThat(filesUnder(store.imagesDir().resolve("tmp"))).isEmpty();
    }

    @Test
    void diffIdMismatchIsRefusedAndNothingStays() {
        LayerStore layers = new LayerStore(tmp.resolve("images"));
        byte[] tar = new TarBuilder().file("a", "a").build();
        String wrong = Digests.of("other".getBytes());
        assertThatThrownBy(() -> layers.unpack(new ByteArrayInputStream(tar), Optional.of(wrong)))
                .isInstanceOf(KpodException.class).hasMessageContaining("diff-id mismatch");
        assertThat(layers.list()).isEmpty();
        assertThat(filesUnder(tmp.resolve("images/tmp"))).isEmpty();
        LayerUnpacker.Result ok = layers.unpack(new ByteArrayInputStream(tar), Optional.of(Digests.of(tar)));
        assertThat(layers.diffDir(ok.diffId()).resolve("a")).hasContent("a");
        assertThat(layers.size(ok.diffId())).isEqualTo(tar.length);
    }

    @Test
    void blobDigestMismatchIsRefused() {
        BlobStore blobs = new BlobStore(tmp.resolve("images"));
        String wrong = Digests.of("x".getBytes());
        assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream("y".getBytes()), Optional.of(wrong)))
                .isInstanceOf(KpodException.class).hasMessageContaining("digest mismatch");
        assertThat(blobs.exists(wrong)).isFalse();
        assertThat(blobs.exists(Digests.of("y".getBytes()))).isFalse();
        assertThat(filesUnder(tmp.resolve("images/tmp"))).isEmpty();
    }

    static List<String> filesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (var s = Files.walk(dir)) {
            return s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).map(Path::toString).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T uncheck(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
