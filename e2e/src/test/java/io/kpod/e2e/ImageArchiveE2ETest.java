package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * load, save and commit on the real runtime: kpod's archives read by skopeo and loaded back
 * with the same id, skopeo's archives loaded by kpod, committed containers run with their
 * changes, hostile archives refused with nothing stored, and rmi -f of an image in use.
 */
class ImageArchiveE2ETest extends E2EBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A busybox image of its own (a different config, so a different id from the shared one). */
    private String importImage(String name, String env) {
        return kpod.ok("import", KpodHarness.testRootfs().toString(), name, "--change", "CMD [\"sh\"]",
                "--change", "ENV " + env).trimmed().substring(7);
    }

    private String id(String ref) {
        return kpod.json("image", "inspect", ref).get(0).get("Id").asText();
    }

    private int imageCount() {
        return kpod.ok("images", "-q", "--no-trunc").out().lines().toList().size();
    }

    /** Runs bin/kpod with stdin and stdout redirected to files (binary archives do not fit the harness's strings). */
    private int kpodRedirected(Path stdin, Path stdout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("kpod.bin", "../bin/kpod")).toAbsolutePath().normalize().toString());
        argv.addAll(kpod.globalArgs());
        argv.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile())
                    : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(stdout != null ? ProcessBuilder.Redirect.to(stdout.toFile())
                    : ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static KpodHarness.Result skopeo(String... args) {
        List<String> argv = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread t = new Thread(() -> {
                try (InputStream e = p.getErrorStream()) {
                    e.transferTo(err);
                } catch (IOException ignored) {
                    // the exit code says enough
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            t.join();
            return new KpodHarness.Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void savedArchivesAreReadBySkopeoAndLoadBackToTheSameImageThatRuns() throws IOException {
        String id = importImage("localhost/arch:1", "ARCH=one");
        Path docker = kpod.base().resolve("arch-docker.tar");
        Path oci = kpod.base().resolve("arch-oci.tar");
        kpod.ok("save", "-o", docker.toString(), "arch:1");
        kpod.ok("image", "save", "--format", "oci-archive", "-o", oci.toString(), id.substring(0, 12));

        String layer = kpod.json("image", "inspect", "arch:1").get(0).get("RootFS").get("Layers").get(0).asText();
        for (String ref : List.of("docker-archive:" + docker, "oci-archive:" + oci)) {
            KpodHarness.Result r = skopeo("inspect", ref);
            assertThat(r.code()).as(ref + ": " + r.err()).isZero();
            JsonNode info = JSON.readTree(r.out());
            assertThat(info.get("Layers").toString()).as(ref).contains(layer);
            assertThat(info.get("Env").toString()).contains("ARCH=one");
        }

        kpod.ok("rmi", "arch:1");
        assertThat(kpod.ok("load", "-i", docker.toString()).out()).isEqualTo("Loaded image: localhost/arch:1\n");
        assertThat(id("arch:1")).isEqualTo(id);
        assertThat(kpod.ok("run", "--rm", "arch:1", "sh", "-c", "echo $ARCH; head -1 /etc/passwd").out())
                .isEqualTo("one\nroot:x:0:0:root:/root:/bin/sh\n");

        // saved by id: no name inside, so the loaded image is dangling and reported by id
        kpod.ok("rmi", "arch:1");
        assertThat(kpodRedirected(oci, null, "load")).isZero();
        assertThat(kpod.ok("image", "exists", id).code()).isZero();
        assertThat(kpod.ok("run", "--rm", id.substring(0, 12), "cat", "/etc/group").out()).contains("root:x:0:");

        // to stdout, compressed as a whole, and back from stdin
        kpod.ok("tag", id, "localhost/arch:2");
        Path piped = kpod.base().resolve("piped.tar");
        assertThat(kpodRedirected(null, piped, "save", "arch:2")).isZero();
        Path gz = kpod.base().resolve("piped.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(piped, out);
        }
        kpod.ok("rmi", "-f", id);
        assertThat(imageCount()).isEqualTo(1);
        Path loadOut = kpod.base().resolve("load.out");
        assertThat(kpodRedirected(gz, loadOut, "load", "-q")).isZero();
        assertThat(Files.readString(loadOut)).isEqualTo("Loaded image: localhost/arch:2\n");
        assertThat(id("arch:2")).isEqualTo(id);
        kpod.ok("rmi", "arch:2");
    }

    @Test
    void archivesMadeBySkopeoLoadAndRun() throws IOException {
        String id = importImage("localhost/sk:src", "FROM=skopeo");
        Path saved = kpod.base().resolve("sk-src.tar");
        kpod.ok("save", "--format", "oci-archive", "-o", saved.toString(), "sk:src");
        Path dir = kpod.base().resolve("sk-layout");
        Path skDocker = kpod.base().resolve("sk-docker.tar");
        Path skOci = kpod.base().resolve("sk-oci.tar");
        assertThat(skopeo("copy", "oci-archive:" + saved, "oci:" + dir + ":sk").code()).isZero();
        assertThat(skopeo("copy", "oci:" + dir + ":sk", "docker-archive:" + skDocker + ":localhost/sk:docker").code())
                .isZero();
        assertThat(skopeo("copy", "--dest-compress-format", "zstd", "oci:" + dir + ":sk",
                "oci-archive:" + skOci + ":localhost/sk:oci").code()).isZero();
        kpod.ok("rmi", "sk:src");

        assertThat(kpod.ok("load", "-i", skDocker.toString()).out()).isEqualTo("Loaded image: localhost/sk:docker\n");
        assertThat(kpod.ok("load", "-i", skOci.toString()).out()).isEqualTo("Loaded image: localhost/sk:oci\n");
        assertThat(id("sk:docker")).isEqualTo(id);
        for (String ref : List.of("sk:docker", "sk:oci")) {
            assertThat(kpod.ok("run", "--rm", ref, "sh", "-c", "echo $FROM").out()).as(ref).isEqualTo("skopeo\n");
        }
        kpod.ok("rmi", "sk:docker", "sk:oci");
    }

    @Test
    void commitKeepsWrittenAndDeletedFilesAndTheContainersSettings() throws IOException {
        kpod.ok("run", "-d", "--name", "work", "-e", "STAGE=built", IMAGE, "sleep", "300");
        kpod.ok("exec", "work", "sh", "-c", "mkdir -p /srv && echo made > /srv/new.txt && rm /etc/group");
        String id = kpod.ok("commit", "-q", "--pause", "-a", "tester", "-m", "first commit",
                "-c", "CMD [\"cat\", \"/srv/new.txt\"]", "work", "committed:1").trimmed();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(kpod.ok("inspect", "--format", "{{.State.Status}}", "work").trimmed()).isEqualTo("running");

        assertThat(kpod.ok("run", "--rm", "committed:1").out()).isEqualTo("made\n");
        assertThat(kpod.ok("run", "--rm", "committed:1", "sh", "-c",
                "test -e /etc/group && echo group-present || echo group-gone; echo $STAGE").out())
                .isEqualTo("group-gone\nbuilt\n");
        JsonNode inspect = kpod.json("image", "inspect", id.substring(0, 12)).get(0);
        assertThat(inspect.get("Author").asText()).isEqualTo("tester");
        assertThat(inspect.get("Comment").asText()).isEqualTo("first commit");
        assertThat(inspect.get("RootFS").get("Layers")).hasSize(2);
        // the base image is untouched
        assertThat(kpod.ok("run", "--rm", IMAGE, "sh", "-c", "test -e /etc/group && echo present").out())
                .isEqualTo("present\n");

        // a stopped container commits too, and a commit without a name is dangling
        kpod.ok("stop", "-t", "0", "work");
        Path iid = kpod.base().resolve("iid");
        String dangling = kpod.ok("container", "commit", "--iidfile", iid.toString(), "work").trimmed();
        assertThat(Files.readString(iid)).isEqualTo(dangling);
        assertThat(kpod.json("image", "inspect", dangling).get(0).get("RepoTags")).isEmpty();
        kpod.ok("rm", "work");
        assertThat(kpod.ok("image", "prune", "-f").out()).isEqualTo(dangling + "\n");
        kpod.ok("rmi", "committed:1");
    }

    @Test
    void multiImageArchiveCarriesEveryImage() throws IOException {
        String id = importImage("localhost/multi:1", "MULTI=1");
        Path multi = kpod.base().resolve("multi.tar");
        kpod.ok("save", "-m", "-o", multi.toString(), "multi:1", IMAGE);
        KpodHarness.Result inspect = skopeo("inspect", "docker-archive:" + multi + ":localhost/multi:1");
        assertThat(inspect.code()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("MULTI=1");
        kpod.ok("rmi", "multi:1");
        assertThat(kpod.ok("load", "-i", multi.toString()).out())
                .isEqualTo("Loaded image: localhost/multi:1\nLoaded image: " + IMAGE + "\n");
        assertThat(id("multi:1")).isEqualTo(id);
        // without -m the other words are extra names, which oci-archive cannot carry
        long size = Files.size(multi);
        KpodHarness.Result oci = kpod.run("save", "--format", "oci-archive", "-o", multi.toString(), "multi:1", "x:1");
        assertThat(oci.code()).isEqualTo(125);
        assertThat(oci.err()).contains("only docker-archive");
        assertThat(kpod.run("save", "-o", multi.toString(), "nosuch:1").code()).isEqualTo(125);
        assertThat(Files.size(multi)).as("a failed save keeps the old file").isEqualTo(size);
        try (var s = Files.list(kpod.base())) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        kpod.ok("rmi", "multi:1");
    }

    @Test
    void rmiForceRemovesTheContainersThatUseTheImage() {
        String id = importImage("localhost/used:1", "USED=yes");
        kpod.ok("create", "--name", "user1", "used:1", "true");
        kpod.ok("run", "-d", "--name", "user2", id.substring(0, 12), "sleep", "300");
        KpodHarness.Result refused = kpod.run("rmi", "used:1");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("image is in use by a container");
        // one of several names: only the name goes, the containers stay
        kpod.ok("tag", "used:1", "localhost/used:2");
        assertThat(kpod.ok("rmi", "-f", "used:2").out()).isEqualTo("Untagged: localhost/used:2\n");
        assertThat(kpod.run("container", "exists", "user1").code()).isZero();
        assertThat(kpod.ok("rmi", "-f", "localhost/used:1").out()).contains("Deleted: " + id);
        assertThat(kpod.run("container", "exists", "user1").code()).isEqualTo(1);
        assertThat(kpod.run("container", "exists", "user2").code()).isEqualTo(1);
        assertThat(kpod.run("image", "exists", id).code()).isEqualTo(1);
    }

    /** A tar with the given entries; a value starting with "->" makes a symlink. */
    private Path archive(String name, boolean zstd, String... entries) throws IOException {
        Path file = kpod.base().resolve(name);
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream comp = zstd ? new ZstdOutputStream(raw) : raw;
             TarArchiveOutputStream tar = new TarArchiveOutputStream(comp)) {
            for (int i = 0; i < entries.length; i += 2) {
                String value = entries[i + 1];
                TarArchiveEntry e;
                if (value.startsWith("->")) {
                    e = new TarArchiveEntry(entries[i], TarArchiveEntry.LF_SYMLINK, true);
                    e.setLinkName(value.substring(2));
                    tar.putArchiveEntry(e);
                } else {
                    byte[] data = value.getBytes(StandardCharsets.UTF_8);
                    e = new TarArchiveEntry(entries[i], true);
                    e.setSize(data.length);
                    tar.putArchiveEntry(e);
                    tar.write(data);
                }
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    @Test
    void hostileArchivesAreRefusedWithOneLineAndNothingStored() throws IOException {
        Path good = kpod.base().resolve("good.tar");
        kpod.ok("save", "-o", good.toString(), IMAGE);
        int images = imageCount();
        List<Path> hostile = List.of(
                archive("traversal.tar", false, "../../evil", "x", "manifest.json", "[]"),
                archive("absolute.tar.zst", true, "/etc/evil", "x", "manifest.json", "[]"),
                archive("symlink.tar", false, "manifest.json", "->/etc/passwd"),
                archive("missing.tar", false, "manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[\"l.tar\"]}]",
                        "c.json", "{\"rootfs\":{\"diff_ids\":[\"sha256:" + "a".repeat(64) + "\"]}}"),
                archive("mismatch.tar", false, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}",
                        "index.json", "{\"manifests\":[{\"digest\":\"sha256:" + "b".repeat(64) + "\"}]}",
                        "blobs/sha256/" + "b".repeat(64), "{}"));
        List<String> expected = List.of("points outside the archive", "absolute path", "absolute path",
                "has no layer", "digest mismatch");
        long blobsBefore = countFiles(kpod.root().resolve("images/blobs"));
        for (int i = 0; i < hostile.size(); i++) {
            KpodHarness.Result r = kpod.run("load", "-i", hostile.get(i).toString());
            assertThat(r.code()).as(hostile.get(i).toString()).isEqualTo(125);
            assertThat(r.err()).as(hostile.get(i).toString()).startsWith("Error: ").contains(expected.get(i));
            assertThat(r.err().lines().count()).isEqualTo(1);
        }
        assertThat(imageCount()).isEqualTo(images);
        assertThat(countFiles(kpod.root().resolve("images/blobs"))).isEqualTo(blobsBefore);
        assertThat(countFiles(kpod.root().resolve("images/tmp"))).isZero();
        assertThat(kpod.run("load", "-i", kpod.base().resolve("nope.tar").toString()).code()).isEqualTo(125);
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
