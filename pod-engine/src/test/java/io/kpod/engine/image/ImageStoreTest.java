package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.ImageSource;
import io.kpod.engine.Json;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
    @TempDir
    Path tmp;
    ImageStore store;
    Path rootfs;

    @BeforeEach
    void setUp() {
        store = new ImageStore(tmp.resolve("graph"));
        rootfs = new TarBuilder().dir("bin", 0755).file("bin/tool", "#!/bin/sh\n", 0755, 0, 0, Map.of())
                .dir("etc", 0755).file("etc/os-release", "ID=test\n").writeTo(tmp.resolve("rootfs.tar"));
    }

    private Path otherRootfs(String content) {
        return new TarBuilder().file("other", content).writeTo(tmp.resolve("other-" + content + ".tar"));
    }

    private static Optional<String> nobody(String imageId) {
        return Optional.empty();
    }

    @Test
    void importedImageResolvesByEveryReferenceFormAndCarriesTheChanges() throws IOException {
        ImageRecord img = store.importRootfs(rootfs, Optional.of("myapp"), List.of("CMD [\"/bin/tool\"]",
                "ENV PATH=/bin", "WORKDIR /srv", "USER 65534", "LABEL team=core", "EXPOSE 8080",
                "VOLUME /data", "STOPSIGNAL SIGINT", "ENTRYPOINT /bin/tool run"));
        assertThat(img.names()).containsExactly("localhost/myapp:latest");
        assertThat(img.id()).isEqualTo(Digests.hex(Digests.of(Files.readAllBytes(
                store.blobs().path("sha256:" + img.id())))));
        assertThat(img.layers()).containsExactly(Digests.of(Files.readAllBytes(rootfs)));
        assertThat(img.size()).isEqualTo(Files.size(rootfs));
        assertThat(store.list()).containsExactly(img);

        for (String ref : List.of("myapp", "myapp:latest", "localhost/myapp", "localhost/myapp:latest", img.id(),
                "sha256:" + img.id(), img.shortId(), img.id().substring(0, 3), "localhost/myapp@" + img.digest(),
                "myapp@" + img.digest())) {
            assertThat(store.resolve(ref)).as(ref).isEqualTo(img);
        }
        assertThatThrownBy(() -> store.resolve("myapp:2")).isInstanceOf(NoSuchObjectException.class)
                .hasMessage("myapp:2: image not known");
        assertThatThrownBy(() -> store.resolve("other")).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> store.resolve("myapp@sha256:" + "0".repeat(64))).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(() -> store.resolve("Bad:Ref:")).isInstanceOfSatisfying(KpodException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID));

        ImageConfig c = store.config(img.id());
        assertThat(c.cmd()).containsExactly("/bin/tool");
        assertThat(c.entrypoint()).containsExactly("/bin/sh", "-c", "/bin/tool run");
        assertThat(c.env()).containsExactly("PATH=/bin");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.user()).isEqualTo("65534");
        assertThat(c.labels()).containsEntry("team", "core");
        assertThat(c.exposedPorts()).containsExactly("8080/tcp");
        assertThat(c.volumes()).containsExactly("/data");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");

        List<Path> dirs = store.layerDirs(img.id());
        assertThat(dirs).hasSize(1);
        assertThat(dirs.get(0).resolve("etc/os-release")).hasContent("ID=test");
        assertThat(dirs.get(0)).isEqualTo(store.imagesDir().resolve("layers").resolve(Digests.hex(img.layers().get(0)))
                .resolve("diff"));

        JsonNode inspect = Json.MAPPER.valueToTree(store.inspect("myapp"));
        assertThat(inspect.path("Id").asText()).isEqualTo(img.id());
        assertThat(inspect.path("Digest").asText()).isEqualTo(img.digest());
        assertThat(inspect.path("RepoTags").get(0).asText()).isEqualTo("localhost/myapp:latest");
        assertThat(inspect.path("RepoDigests").get(0).asText()).isEqualTo("localhost/myapp@" + img.digest());
        assertThat(inspect.path("Config").path("Cmd").get(0).asText()).isEqualTo("/bin/tool");
        assertThat(inspect.path("Config").path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(inspect.path("RootFS").path("Type").asText()).isEqualTo("layers");
        assertThat(inspect.path("RootFS").path("Layers").get(0).asText()).isEqualTo(img.layers().get(0));
        assertThat(inspect.path("Os").asText()).isEqualTo("linux");
        assertThat(inspect.path("Architecture").asText()).isNotEmpty();
        assertThat(inspect.path("Labels").path("team").asText()).isEqualTo("core");
        assertThat(inspect.path("Created").asText()).isEqualTo(img.created()).isNotEmpty();
        assertThat(inspect.path("ManifestType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");

        ImageSource.ResolvedImage resolved = new LocalImageSource(store).resolve("myapp");
        assertThat(resolved.name()).isEqualTo("localhost/myapp:latest");
        assertThat(resolved.layerDirs()).isEqualTo(dirs);
        assertThat(resolved.defaults().cmd()).containsExactly("/bin/tool");
        assertThat(resolved.defaults().stopSignal()).isEqualTo("SIGINT");
    }

    @Test
    void compressedImportsShareTheUnpackedLayerAndKeepTheCompressedBlob() throws IOException {
        Path gz = tmp.resolve("rootfs.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(rootfs));
        }
        ImageRecord plain = store.importRootfs(rootfs, Optional.of("plain"), List.of());
        ImageRecord zipped = store.importRootfs(gz, Optional.of("quay.io/org/zipped:v1"), List.of("USER 1"));
        assertThat(zipped.layers()).isEqualTo(plain.layers());
        assertThat(store.layers().list()).hasSize(1);
        JsonNode manifest = Json.MAPPER.readTree(store.blobs().read(zipped.digest()));
        assertThat(manifest.path("layers").get(0).path("mediaType").asText()).endsWith("tar+gzip");
        assertThat(manifest.path("layers").get(0).path("digest").asText())
                .isEqualTo(Digests.of(Files.readAllBytes(gz)));
        assertThat(store.resolve("zipped:v1")).isEqualTo(zipped);
        assertThat(store.resolve("org/zipped:v1")).isEqualTo(zipped);
        assertThatThrownBy(() -> store.resolve("zipped")).isInstanceOf(NoSuchObjectException.class);

        store.remove("plain", false, ImageStoreTest::nobody);
        assertThat(store.layers().list()).hasSize(1);
        assertThat(store.layerDirs(zipped.id()).get(0).resolve("bin/tool")).exists();
        store.remove("zipped:v1", false, ImageStoreTest::nobody);
        assertThat(store.layers().list()).isEmpty();
        assertThat(LayerUnpackerTest.filesUnder(store.imagesDir().resolve("blobs"))).isEmpty();
    }

    @Test
    void tagUntagAndRemoveFollowPodman() {
        ImageRecord a = store.importRootfs(rootfs, Optional.of("first"), List.of());
        assertThat(store.tag("first", "second:v2")).isEqualTo("localhost/second:v2");
        assertThat(store.tag(a.shortId(), "docker.io/team/app")).isEqualTo("docker.io/team/app:latest");
        assertThat(store.resolve("second:v2").id()).isEqualTo(a.id());
        assertThat(store.resolve("app").id()).isEqualTo(a.id());
        assertThatThrownBy(() -> store.tag("first", "x@sha256:" + "a".repeat(64))).isInstanceOf(KpodException.class)
                .hasMessageContaining("digest");

        ImageRecord b = store.importRootfs(otherRootfs("b"), Optional.of("first"), List.of());
        assertThat(store.resolve("first").id()).isEqualTo(b.id());
        assertThat(store.resolve(a.id()).names()).containsExactly("localhost/second:v2", "docker.io/team/app:latest");

        assertThat(store.untag("app", List.of("docker.io/team/app"))).containsExactly("docker.io/team/app:latest");
        assertThatThrownBy(() -> store.untag(a.id(), List.of("nope"))).isInstanceOf(NoSuchObjectException.class)
                .hasMessage("localhost/nope:latest: tag not known");
        store.tag(a.id(), "third");

        RemoveReport r1 = store.remove("second:v2", false, ImageStoreTest::nobody);
        assertThat(r1.untagged()).containsExactly("localhost/second:v2");
        assertThat(r1.deleted()).isEmpty();
        assertThat(store.resolve(a.id()).names()).containsExactly("localhost/third:latest");

        store.tag(a.id(), "fourth");
        assertThatThrownBy(() -> store.remove(a.id(), false, ImageStoreTest::nobody))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("by ID with more than one tag");
        assertThat(store.remove("third", false, id -> Optional.of("web-1")).untagged())
                .as("only untagging, in use does not matter").containsExactly("localhost/third:latest");
        assertThatThrownBy(() -> store.remove("fourth", false, id -> Optional.of("web-1")))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("image used by web-1");
        assertThat(store.exists(a.id())).isTrue();
        RemoveReport forced = store.remove("fourth", true, id -> Optional.of("web-1"));
        assertThat(forced.untagged()).containsExactly("localhost/fourth:latest");
        assertThat(forced.deleted()).containsExactly(a.id());
        assertThat(store.exists(a.id())).isFalse();
        assertThatThrownBy(() -> store.remove("fourth", false, ImageStoreTest::nobody))
                .isInstanceOf(NoSuchObjectException.class).hasMessage("fourth: image not known");

        store.tag(b.id(), "another");
        RemoveReport byIdForced = store.remove(b.id(), true, ImageStoreTest::nobody);
        assertThat(byIdForced.deleted()).containsExactly(b.id());
        assertThat(byIdForced.untagged()).containsExactly("localhost/first:latest", "localhost/another:latest");
        assertThat(store.list()).isEmpty();
        assertThat(store.layers().list()).isEmpty();
        assertThat(LayerUnpackerTest.filesUnder(store.imagesDir().resolve("blobs"))).isEmpty();
    }

    @Test
    void pruneRemovesOnlyUnusedDanglingImages() {
        ImageRecord named = store.importRootfs(rootfs, Optional.of("named"), List.of());
        ImageRecord dangling = store.importRootfs(otherRootfs("d"), Optional.empty(), List.of());
        ImageRecord used = store.importRootfs(otherRootfs("u"), Optional.empty(), List.of());
        ImageRecord orphaned = store.importRootfs(otherRootfs("o"), Optional.of("named"), List.of());
        assertThat(dangling.dangling()).isTrue();
        assertThat(store.resolve(named.id()).dangling()).as("lost its name to a newer import").isTrue();

        List<String> pruned = store.prune(id -> id.equals(used.id()));
        assertThat(pruned).containsExactlyInAnyOrder(dangling.id(), named.id());
        assertThat(store.list()).extracting(ImageRecord::id).containsExactlyInAnyOrder(used.id(), orphaned.id());
        assertThat(store.prune(true, id -> id.equals(used.id()))).containsExactly(orphaned.id());
        assertThat(store.list()).extracting(ImageRecord::id).containsExactly(used.id());
    }

    @Test
    void badInputIsRefusedWithoutStoringAnything() {
        assertThatThrownBy(() -> store.importRootfs(rootfs, Optional.of("x"), List.of("RUN make")))
                .isInstanceOf(KpodException.class).hasMessageContaining("unsupported instruction RUN");
        assertThatThrownBy(() -> store.importRootfs(rootfs, Optional.of("UPPER"), List.of()))
                .hasMessageContaining("lowercase");
        assertThatThrownBy(() -> store.importRootfs(tmp.resolve("missing.tar"), Optional.empty(), List.of()))
                .isInstanceOfSatisfying(KpodException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(store.list()).isEmpty();
        assertThat(LayerUnpackerTest.filesUnder(store.imagesDir().resolve("blobs"))).isEmpty();

        assertThatThrownBy(() -> store.resolve("ab")).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void concurrentProcessesAndThreadsNeverLoseIndexUpdates() throws Exception {
        ImageRecord base = store.importRootfs(rootfs, Optional.of("base"), List.of());
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        List<Process> procs = new ArrayList<>();
        for (String prefix : List.of("p1", "p2")) {
            procs.add(new ProcessBuilder(java, "-cp", cp, IndexHammer.class.getName(), tmp.resolve("graph").toString(),
                    base.id(), prefix, "15", otherRootfs(prefix).toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve(prefix + ".log").toFile()).start());
        }
        List<Thread> threads = new ArrayList<>();
        for (String prefix : List.of("t1", "t2")) {
            Thread t = new Thread(() -> IndexHammer.main(new String[] {tmp.resolve("graph").toString(), base.id(),
                    prefix, "15", otherRootfs(prefix).toString()}));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Process p : procs) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(tmp.resolve("p1.log")) + Files.readString(tmp.resolve("p2.log")))
                    .isZero();
        }
        ImageRecord after = store.resolve(base.id());
        assertThat(after.names()).hasSize(1 + 4 * 15);
        for (String prefix : List.of("p1", "p2", "t1", "t2")) {
            for (int i = 0; i < 15; i++) {
                assertThat(after.names()).contains("localhost/" + prefix + "-" + i + ":latest");
            }
            assertThat(store.config(store.resolve(prefix + "-imported").id()).user()).isEqualTo(prefix);
        }
        assertThat(store.list()).hasSize(5);
        assertThat(LayerUnpackerTest.filesUnder(store.imagesDir().resolve("tmp"))).isEmpty();
    }

    @Test
    void addImageRegistersBlobsCopiedFromElsewhereLikeALoadOrPullWould() throws IOException {
        ImageRecord src = store.importRootfs(rootfs, Optional.of("src"), List.of("CMD [\"x\"]"));
        ImageStore other = new ImageStore(tmp.resolve("other"));
        JsonNode manifest = Json.MAPPER.readTree(store.blobs().read(src.digest()));
        List<String> digests = new ArrayList<>(List.of(src.digest(), "sha256:" + src.id()));
        manifest.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        for (String d : digests) {
            try (var in = store.blobs().open(d)) {
                other.blobs().put(in, Optional.of(d));
            }
        }
        ImageRecord copy = other.addImage(src.digest(), List.of("docker.io/library/copied:1"));
        assertThat(copy.id()).isEqualTo(src.id());
        assertThat(copy.layers()).isEqualTo(src.layers());
        assertThat(copy.size()).isEqualTo(src.size());
        assertThat(other.resolve("copied:1")).isEqualTo(copy);
        assertThat(other.config(copy.id()).cmd()).containsExactly("x");
        assertThat(other.layerDirs(copy.id()).get(0).resolve("bin/tool")).exists();
        assertThat(other.addImage(src.digest(), List.of("again")).names())
                .containsExactly("docker.io/library/copied:1", "localhost/again:latest");
        assertThat(other.list()).hasSize(1);

        RemoveReport first = other.remove("again", true, id -> Optional.of("c1"));
        RemoveReport second = other.remove(copy.id(), true, id -> Optional.of("c1"));
        assertThat(first.untagged()).containsExactly("localhost/again:latest");
        assertThat(second.untagged()).containsExactly("docker.io/library/copied:1");
        assertThat(second.deleted()).containsExactly(copy.id());
        assertThat(other.list()).isEmpty();
        assertThat(other.layers().list()).isEmpty();
    }
}
