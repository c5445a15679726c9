package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import io.kpod.engine.Json;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** save → load round trips in both formats and their compressions, and hostile archives refused. */
class ImageArchiveTest {
    @TempDir
    Path tmp;
    ImageStore store;
    ImageStore other;
    byte[] layer;

    @BeforeEach
    void setUp() {
        store = new ImageStore(tmp.resolve("graph"));
        other = new ImageStore(tmp.resolve("other"));
        layer = new TarBuilder().dir("etc", 0755).file("etc/hello", "hi\n").build();
    }

    private ImageRecord importImage(String name, byte[] rootfs) throws IOException {
        Path tar = Files.write(tmp.resolve(name.replace('/', '_') + ".tar"), rootfs);
        return store.importRootfs(tar, Optional.of(name), List.of("CMD [\"sh\"]"));
    }

    private byte[] save(ImageStore s, List<String> refs, ArchiveFormat format, boolean multi) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.save(refs, format, multi, out);
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] zstd(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new ZstdOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    enum Variant {
        DOCKER_PLAIN(ArchiveFormat.DOCKER_ARCHIVE, UnaryOperator.identity()),
        DOCKER_GZIP(ArchiveFormat.DOCKER_ARCHIVE, ImageArchiveTest::gzipUnchecked),
        DOCKER_ZSTD(ArchiveFormat.DOCKER_ARCHIVE, ImageArchiveTest::zstdUnchecked),
        OCI_PLAIN(ArchiveFormat.OCI_ARCHIVE, UnaryOperator.identity()),
        OCI_GZIP(ArchiveFormat.OCI_ARCHIVE, ImageArchiveTest::gzipUnchecked),
        OCI_ZSTD(ArchiveFormat.OCI_ARCHIVE, ImageArchiveTest::zstdUnchecked);

        final ArchiveFormat format;
        final UnaryOperator<byte[]> wrap;

        Variant(ArchiveFormat format, UnaryOperator<byte[]> wrap) {
            this.format = format;
            this.wrap = wrap;
        }
    }

    private static byte[] gzipUnchecked(byte[] b) {
        try {
            return gzip(b);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] zstdUnchecked(byte[] b) {
        try {
            return zstd(b);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void saveThenLoadKeepsTheIdNamesAndFiles(Variant v) throws IOException {
        // a gzip layer in the store: docker-archive must carry it uncompressed, oci-archive as it is
        ImageRecord img = importImage("myapp", gzip(layer));
        byte[] archive = v.wrap.apply(save(store, List.of("myapp"), v.format, false));

        assertThat(other.load(new ByteArrayInputStream(archive))).containsExactly("localhost/myapp:latest");
        ImageRecord loaded = other.resolve("myapp");
        assertThat(loaded.id()).isEqualTo(img.id());
        assertThat(loaded.layers()).isEqualTo(img.layers());
        if (v.format == ArchiveFormat.OCI_ARCHIVE) {
            assertThat(loaded.digest()).isEqualTo(img.digest());
        }
        assertThat(other.config(loaded.id()).cmd()).containsExactly("sh");
        assertThat(Files.readString(other.layerDirs(loaded.id()).get(0).resolve("etc/hello"))).isEqualTo("hi\n");

        // loading into the store that has it only adds names; after rmi it comes back with the same id
        store.remove("myapp", false, id -> Optional.empty());
        assertThat(store.load(new ByteArrayInputStream(archive))).containsExactly("localhost/myapp:latest");
        assertThat(store.resolve("myapp").id()).isEqualTo(img.id());
        assertThat(tmpLeftovers(store)).isEmpty();
    }

    @Test
    void dockerArchiveLayersAreUncompressedTarsNamedByDiffId() throws IOException {
        ImageRecord img = importImage("myapp", gzip(layer));
        byte[] archive = save(store, List.of("myapp", "extra:1"), ArchiveFormat.DOCKER_ARCHIVE, false);
        Map<String, byte[]> e = entries(archive);
        String diffHex = Digests.hex(img.layers().get(0));
        assertThat(e).containsKeys(img.id() + ".json", diffHex + ".tar", "manifest.json", "repositories");
        assertThat(Digests.of(e.get(diffHex + ".tar"))).isEqualTo(img.layers().get(0));
        assertThat(Digests.of(e.get(img.id() + ".json"))).isEqualTo("sha256:" + img.id());
        JsonNode manifest = Json.MAPPER.readTree(e.get("manifest.json"));
        assertThat(manifest.get(0).get("RepoTags").toString())
                .isEqualTo("[\"localhost/myapp:latest\",\"localhost/extra:1\"]");
        assertThat(other.load(new ByteArrayInputStream(archive))).containsExactly("localhost/myapp:latest", "localhost/extra:1");
    }

    @Test
    void multiImageDockerArchiveWritesSharedLayersOnceAndLoadsEveryImage() throws IOException {
        ImageRecord a = importImage("a", layer);
        Path tar = Files.write(tmp.resolve("b.tar"), layer);
        ImageRecord b = store.importRootfs(tar, Optional.of("b"), List.of("CMD [\"other\"]"));
        byte[] archive = save(store, List.of("a", "b"), ArchiveFormat.DOCKER_ARCHIVE, true);
        assertThat(entries(archive).keySet().stream().filter(n -> n.endsWith(".tar"))).hasSize(1);
        assertThat(other.load(new ByteArrayInputStream(archive)))
                .containsExactly("localhost/a:latest", "localhost/b:latest");
        assertThat(other.resolve("a").id()).isEqualTo(a.id());
        assertThat(other.resolve("b").id()).isEqualTo(b.id());
    }

    @Test
    void saveByIdCarriesNoNameAndLoadsDangling() throws IOException {
        ImageRecord img = importImage("myapp", layer);
        for (ArchiveFormat f : ArchiveFormat.values()) {
            ImageStore fresh = new ImageStore(tmp.resolve("fresh-" + f));
            assertThat(fresh.load(new ByteArrayInputStream(save(store, List.of(img.shortId()), f, false))))
                    .containsExactly("sha256:" + img.id());
            assertThat(fresh.list()).singleElement().satisfies(r -> assertThat(r.dangling()).isTrue());
        }
    }

    @Test
    void ociArchiveRefusesSeveralImagesAndUnknownFormats() throws IOException {
        importImage("myapp", layer);
        assertThatThrownBy(() -> save(store, List.of("myapp", "myapp"), ArchiveFormat.OCI_ARCHIVE, true))
                .hasMessageContaining("only docker-archive");
        assertThatThrownBy(() -> ArchiveFormat.parse("docker-dir")).hasMessageContaining("docker-dir");
        assertThatThrownBy(() -> save(store, List.of("nope"), ArchiveFormat.OCI_ARCHIVE, false))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    // ---- archives made by hand, as other tools write them ----

    /** A docker-archive: config, layers (as given) under the given paths, manifest.json. */
    private byte[] dockerArchive(byte[] config, String configPath, Map<String, byte[]> layers, List<String> tags,
                                 UnaryOperator<TarBuilder> extra) throws IOException {
        TarBuilder t = new TarBuilder().file(configPath, config);
        layers.forEach(t::file);
        ArrayNode manifest = Json.MAPPER.createArrayNode();
        ObjectNode item = manifest.addObject();
        item.put("Config", configPath);
        tags.forEach(item.putArray("RepoTags")::add);
        layers.keySet().forEach(item.putArray("Layers")::add);
        t.file("manifest.json", Json.MAPPER.writeValueAsBytes(manifest));
        return extra.apply(t).build();
    }

    private static byte[] config(List<byte[]> uncompressedLayers) throws IOException {
        ObjectNode cfg = Json.MAPPER.createObjectNode();
        cfg.put("architecture", "amd64");
        cfg.put("os", "linux");
        cfg.putObject("config").putArray("Cmd").add("sh");
        ObjectNode rootfs = cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        uncompressedLayers.forEach(l -> ids.add(Digests.of(l)));
        return Json.MAPPER.writeValueAsBytes(cfg);
    }

    @Test
    void dockerArchiveWithGzipAndZstdLayersAndSharedLayerSymlinksLoads() throws IOException {
        byte[] second = new TarBuilder().file("etc/second", "2\n").build();
        byte[] cfg = config(List.of(layer, second));
        String cfgHex = Digests.hex(Digests.of(cfg));
        Map<String, byte[]> layers = new LinkedHashMap<>();
        layers.put("aaa/layer.tar", gzip(layer));
        layers.put("bbb/layer.tar", zstd(second));
        byte[] archive = dockerArchive(cfg, cfgHex + ".json", layers, List.of("docker.io/library/app:1"),
                t -> t.symlink("ccc/layer.tar", "../aaa/layer.tar"));
        assertThat(store.load(new ByteArrayInputStream(gzip(archive)))).containsExactly("docker.io/library/app:1");
        ImageRecord img = store.resolve("docker.io/library/app:1");
        assertThat(img.id()).isEqualTo(cfgHex);
        assertThat(Files.readString(store.layerDirs(img.id()).get(0).resolve("etc/second"))).isEqualTo("2\n");
        // a layer path that is a symlink to another member is followed (Docker shares layer.tar that way)
        byte[] linked = new TarBuilder().file("aaa/layer.tar", layer).symlink("ccc/layer.tar", "../aaa/layer.tar")
                .file("c.json", config(List.of(layer)))
                .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"linked:1\"],\"Layers\":[\"ccc/layer.tar\"]}]"
                        .getBytes(StandardCharsets.UTF_8)).build();
        assertThat(store.load(new ByteArrayInputStream(linked))).containsExactly("localhost/linked:1");
    }

    /** Asserts the load fails as INVALID with {@code message} and leaves the store exactly empty. */
    private void refused(byte[] archive, String message) throws IOException {
        assertThatThrownBy(() -> store.load(new ByteArrayInputStream(archive)))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageContaining(message);
        assertThat(store.list()).isEmpty();
        assertThat(store.layers().list()).isEmpty();
        Path blobs = store.imagesDir().resolve("blobs/sha256");
        if (Files.isDirectory(blobs)) {
            try (Stream<Path> s = Files.list(blobs)) {
                assertThat(s.toList()).isEmpty();
            }
        }
        assertThat(tmpLeftovers(store)).isEmpty();
    }

    private static List<Path> tmpLeftovers(ImageStore s) throws IOException {
        Path t = s.imagesDir().resolve("tmp");
        if (!Files.isDirectory(t)) {
            return List.of();
        }
        try (Stream<Path> l = Files.list(t)) {
            return l.toList();
        }
    }

    private byte[] validDocker(UnaryOperator<TarBuilder> extra) throws IOException {
        byte[] cfg = config(List.of(layer));
        return dockerArchive(cfg, Digests.hex(Digests.of(cfg)) + ".json", Map.of("l.tar", layer), List.of("x:1"), extra);
    }

    @Test
    void pathTraversalAndAbsolutePathsInTheOuterTarAreRefused() throws IOException {
        refused(validDocker(t -> t.file("../evil", "x")), "points outside the archive");
        refused(validDocker(t -> t.file("a/../../evil", "x")), "points outside the archive");
        refused(validDocker(t -> t.file("/etc/evil", "x")), "absolute path");
        refused(validDocker(t -> t.file("l.tar", layer)), "holds it twice");
        refused(validDocker(t -> t.device("dev", org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR, 1, 3,
                0644)), "only files, directories and links");
    }

    @Test
    void symlinksLeavingTheArchiveAreRefused() throws IOException {
        byte[] cfg = config(List.of(layer));
        refused(new TarBuilder().symlink("manifest.json", "/etc/passwd").build(), "absolute path");
        refused(new TarBuilder().file("c.json", cfg).symlink("l.tar", "../../etc/shadow")
                .file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]".getBytes(StandardCharsets.UTF_8))
                .build(), "points outside the archive");
        refused(new TarBuilder().file("c.json", cfg).symlink("l.tar", "missing.tar")
                .file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]".getBytes(StandardCharsets.UTF_8))
                .build(), "has no layer");
        refused(new TarBuilder().symlink("a", "b").symlink("b", "a").file("c.json", cfg)
                .file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"a\"]}]".getBytes(StandardCharsets.UTF_8))
                .build(), "too many levels of links");
    }

    @Test
    void dockerDigestAndDiffIdMismatchesAndMissingLayersAreRefused() throws IOException {
        byte[] cfg = config(List.of(layer));
        refused(dockerArchive(cfg, "0".repeat(64) + ".json", Map.of("l.tar", layer), List.of(), t -> t),
                "digest mismatch");
        byte[] tampered = new TarBuilder().dir("etc", 0755).file("etc/hello", "HI\n").build();
        refused(dockerArchive(cfg, "c.json", Map.of("l.tar", tampered), List.of(), t -> t), "diff-id mismatch");
        refused(dockerArchive(cfg, "c.json", Map.of("l.tar", gzip(tampered)), List.of(), t -> t), "diff-id mismatch");
        refused(new TarBuilder().file("c.json", cfg)
                .file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"gone.tar\"]}]".getBytes(StandardCharsets.UTF_8))
                .build(), "has no layer");
        refused(new TarBuilder().file("c.json", cfg)
                .file("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[]}]".getBytes(StandardCharsets.UTF_8))
                .build(), "diff_ids");
    }

    /** An oci-archive of one image made by hand; {@code tamper} may change the blobs before they are written. */
    private byte[] ociArchive(java.util.function.Consumer<Map<String, byte[]>> tamper) throws IOException {
        return ociArchive(config(List.of(layer)), tamper);
    }

    private byte[] ociArchive(byte[] cfg, java.util.function.Consumer<Map<String, byte[]>> tamper) throws IOException {
        byte[] layerGz = gzip(layer);
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", ImageImporter.MANIFEST_TYPE);
        manifest.set("config", ImageArchiveLoader.descriptor(ImageImporter.CONFIG_TYPE, Digests.of(cfg), cfg.length));
        manifest.putArray("layers").add(ImageArchiveLoader.descriptor(Compression.GZIP.layerMediaType(),
                Digests.of(layerGz), layerGz.length));
        byte[] m = Json.MAPPER.writeValueAsBytes(manifest);
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + ImageImporter.MANIFEST_TYPE
                + "\",\"digest\":\"" + Digests.of(m) + "\",\"size\":" + m.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"quay.io/org/app:2\"}}]}";
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        blobs.put("blobs/sha256/" + Digests.hex(Digests.of(cfg)), cfg);
        blobs.put("blobs/sha256/" + Digests.hex(Digests.of(layerGz)), layerGz);
        blobs.put("blobs/sha256/" + Digests.hex(Digests.of(m)), m);
        tamper.accept(blobs);
        TarBuilder t = new TarBuilder().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        blobs.forEach(t::file);
        return t.file("index.json", index).build();
    }

    @Test
    void handMadeOciArchiveLoadsWithItsRefName() throws IOException {
        assertThat(store.load(new ByteArrayInputStream(zstd(ociArchive(b -> { }))))).containsExactly("quay.io/org/app:2");
        assertThat(Files.readString(store.layerDirs(store.resolve("quay.io/org/app:2").id()).get(0)
                .resolve("etc/hello"))).isEqualTo("hi\n");
    }

    @Test
    void ociDigestMismatchAndMissingBlobsAreRefused() throws IOException {
        String layerPath = "blobs/sha256/" + Digests.hex(Digests.of(gzip(layer)));
        refused(ociArchive(b -> b.put(layerPath, gzipUnchecked("tampered".getBytes(StandardCharsets.UTF_8)))),
                "digest mismatch");
        refused(ociArchive(b -> b.remove(layerPath)), "has no layer blob");
        List<String> keys = new ArrayList<>();
        refused(ociArchive(b -> {
            keys.addAll(b.keySet());
            b.remove(keys.get(0));
        }), "has no config blob");
        refused(new TarBuilder().file("hello", "x").build(), "neither index.json");
        refused("not a tar at all, just text that is long enough to not be a header".repeat(20)
                .getBytes(StandardCharsets.UTF_8), "tar");
    }

    @Test
    void anOciLayerThatDoesNotMatchItsDiffIdIsRefused() throws IOException {
        byte[] lying = config(List.of(new TarBuilder().file("etc/other", "x").build()));
        refused(ociArchive(lying, b -> { }), "diff-id mismatch");
    }

    @Test
    void theSameImageWithOtherLayerBlobsOnlyAddsNamesAndKeepsNoStrayBlobs() throws IOException {
        ImageRecord img = importImage("myapp", gzip(layer));
        byte[] docker = save(store, List.of("myapp", "again:1"), ArchiveFormat.DOCKER_ARCHIVE, false);
        long blobs;
        try (Stream<Path> s = Files.list(store.imagesDir().resolve("blobs/sha256"))) {
            blobs = s.count();
        }
        assertThat(store.load(new ByteArrayInputStream(docker))).containsExactly("localhost/myapp:latest",
                "localhost/again:1");
        assertThat(store.list()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(img.id());
            assertThat(r.digest()).isEqualTo(img.digest());
            assertThat(r.names()).containsExactly("localhost/myapp:latest", "localhost/again:1");
        });
        try (Stream<Path> s = Files.list(store.imagesDir().resolve("blobs/sha256"))) {
            assertThat(s.count()).isEqualTo(blobs);
        }
    }

    @Test
    void anOciIndexPicksTheHostsPlatform() throws IOException {
        ImageRecord img = importImage("myapp", layer);
        Map<String, byte[]> e = entries(save(store, List.of("myapp"), ArchiveFormat.OCI_ARCHIVE, false));
        long manifestSize = store.blobs().read(img.digest()).length;
        String nested = "{\"schemaVersion\":2,\"mediaType\":\"" + ImageArchiveLoader.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + ImageImporter.MANIFEST_TYPE + "\",\"digest\":\"sha256:" + "c".repeat(64)
                + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"other\"}},"
                + "{\"mediaType\":\"" + ImageImporter.MANIFEST_TYPE + "\",\"digest\":\"" + img.digest()
                + "\",\"size\":" + manifestSize + ",\"platform\":{\"os\":\"linux\",\"architecture\":\""
                + ImageImporter.goArch() + "\"}}]}";
        byte[] nestedBytes = nested.getBytes(StandardCharsets.UTF_8);
        TarBuilder t = new TarBuilder();
        e.forEach((name, data) -> {
            if (!name.equals("index.json")) {
                t.file(name, data);
            }
        });
        t.file("blobs/sha256/" + Digests.hex(Digests.of(nestedBytes)), nestedBytes);
        t.file("index.json", ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + ImageArchiveLoader.OCI_INDEX
                + "\",\"digest\":\"" + Digests.of(nestedBytes) + "\",\"size\":" + nestedBytes.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"multi:1\"}}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(other.load(new ByteArrayInputStream(t.build()))).containsExactly("localhost/multi:1");
        assertThat(other.resolve("multi:1").digest()).isEqualTo(img.digest());
        assertThat(other.blobs().exists(Digests.of(nestedBytes))).isFalse();
    }

    @Test
    void aHostileLayerInsideAValidArchiveLeavesNothingBehind() throws IOException {
        byte[] evil = new TarBuilder().file("../../escape", "x").build();
        byte[] good = new TarBuilder().file("ok", "fine").build();
        byte[] cfg = config(List.of(good, evil));
        Map<String, byte[]> layers = new LinkedHashMap<>();
        layers.put("good.tar", good);
        layers.put("evil.tar", evil);
        refused(dockerArchive(cfg, "c.json", layers, List.of("evil:1"), t -> t), "could escape the layer directory");
        assertThat(tmp.resolve("escape")).doesNotExist();
    }
}
