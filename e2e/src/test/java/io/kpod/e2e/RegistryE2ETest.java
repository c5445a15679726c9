package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pull, push, login and registries.conf against Debian's real Docker distribution registry:
 * a plain-HTTP one with the busybox image (pushed by kpod) and a three-layer image (copied
 * in by skopeo from an OCI layout this test writes), and a TLS one with htpasswd auth.
 */
class RegistryE2ETest extends E2EBase {
    private static final String USER = "kpoduser";
    private static final String PASSWORD = "kpod-s3cret";

    private LocalRegistry plain;
    private LocalRegistry secure;
    private Path work;
    private String busyboxId;
    private String multiDigest;

    @BeforeAll
    void startRegistries() throws Exception {
        plain = LocalRegistry.start(15010, false, null, null);
        secure = LocalRegistry.start(15011, true, USER, PASSWORD);
        work = Files.createTempDirectory(Path.of("/var/tmp"), "kreg-work");
        busyboxId = kpod.ok("image", "inspect", "--format", "{{.Id}}", IMAGE).trimmed();
        kpod.ok("push", "--tls-verify=false", IMAGE, plain.host() + "/e2e/busybox:1");
        kpod.ok("push", "--tls-verify=false", IMAGE, "docker://" + plain.host() + "/e2e/multi:bb");
        Path layout = multiLayerLayout();
        exec(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":1",
                "docker://" + plain.host() + "/e2e/multi:1"));
        multiDigest = registryDigest(plain.host(), "e2e/multi", "1");
    }

    @AfterAll
    void stopRegistries() throws IOException {
        if (plain != null) {
            plain.close();
        }
        if (secure != null) {
            secure.close();
        }
        try (Stream<Path> walk = Files.walk(work)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** An OCI layout with three layers: the busybox rootfs, a gzipped hello file, and 40 MiB of random bytes. */
    private Path multiLayerLayout() throws Exception {
        Path layout = work.resolve("layout");
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        Path src = Files.createDirectories(work.resolve("src2/data"));
        Files.writeString(src.resolve("hello.txt"), "hello from a pulled layer\n");
        exec(List.of("tar", "-C", work.resolve("src2").toString(), "-cf", work.resolve("l2.tar").toString(), "data"));
        exec(List.of("gzip", "-k", "-n", work.resolve("l2.tar").toString()));
        Path big = Files.createDirectories(work.resolve("src3/data"));
        exec(List.of("dd", "if=/dev/urandom", "of=" + big.resolve("big.bin"), "bs=1M", "count=40", "status=none"));
        exec(List.of("tar", "-C", work.resolve("src3").toString(), "-cf", work.resolve("l3.tar").toString(), "data"));
        String[][] layers = {
            {KpodHarness.testRootfs().toString(), KpodHarness.testRootfs().toString(), "application/vnd.oci.image.layer.v1.tar"},
            {work.resolve("l2.tar.gz").toString(), work.resolve("l2.tar").toString(), "application/vnd.oci.image.layer.v1.tar+gzip"},
            {work.resolve("l3.tar").toString(), work.resolve("l3.tar").toString(), "application/vnd.oci.image.layer.v1.tar"},
        };
        StringBuilder diffIds = new StringBuilder();
        StringBuilder descs = new StringBuilder();
        for (String[] l : layers) {
            Path blob = Path.of(l[0]);
            String digest = sha256(blob);
            Files.copy(blob, blobs.resolve(digest.substring(7)));
            diffIds.append(diffIds.length() == 0 ? "" : ",").append('"').append(sha256(Path.of(l[1]))).append('"');
            descs.append(descs.length() == 0 ? "" : ",").append("{\"mediaType\":\"").append(l[2]).append("\",\"digest\":\"")
                    .append(digest).append("\",\"size\":").append(Files.size(blob)).append('}');
        }
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        String configDigest = put(blobs, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length() + "},\"layers\":[" + descs + "]}";
        String manifestDigest = put(blobs, manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                + manifest.length() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}");
        return layout;
    }

    private static String put(Path blobs, String content) throws IOException {
        byte[] b = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String d = sha256(b);
        Files.write(blobs.resolve(d.substring(7)), b);
        return d;
    }

    private static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    private static String exec(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as("%s: %s", argv, out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The manifest digest the registry reports for a tag (HEAD, as any client would). */
    private static String registryDigest(String host, String repo, String tag) throws Exception {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + host + "/v2/" + repo + "/manifests/" + tag))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    /** Stores an OCI index under {@code repo:tag} whose entries are (digest, os/arch) pairs. */
    private static void putIndex(String host, String repo, String tag, String... entries) throws Exception {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < entries.length; i += 2) {
            String[] p = entries[i + 1].split("/");
            m.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"")
                    .append(entries[i]).append("\",\"size\":").append(manifestSize(host, repo, entries[i]))
                    .append(",\"platform\":{\"os\":\"").append(p[0]).append("\",\"architecture\":\"").append(p[1]).append("\"}}");
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[" + m + "]}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + host + "/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.index.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(index)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static long manifestSize(String host, String repo, String digest) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + host + "/v2/" + repo + "/manifests/" + digest))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(), HttpResponse.BodyHandlers.ofByteArray());
        return r.body().length;
    }

    private String multi() {
        return plain.host() + "/e2e/multi:1";
    }

    private void removeImage(String ref) {
        kpod.run("rmi", "-f", ref);
        assertThat(kpod.run("image", "exists", ref).code()).isEqualTo(1);
    }

    private long storeBlobs() {
        Path dir = kpod.root().resolve("images/blobs/sha256");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void pullByTagAndByDigestThenRunFromThePulledImage() {
        removeImage(multi());
        String id = kpod.ok("pull", "--tls-verify=false", multi()).trimmed();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").out())
                .contains(plain.host() + "/e2e/multi:1 " + id.substring(0, 12));
        assertThat(kpod.ok("image", "inspect", "--format", "{{.Digest}}", multi()).trimmed()).isEqualTo(multiDigest);
        assertThat(kpod.ok("run", "--rm", "--network", "none", multi(), "cat", "/data/hello.txt").out())
                .isEqualTo("hello from a pulled layer\n");
        assertThat(kpod.ok("run", "--rm", "--network", "none", multi(), "sh", "-c", "wc -c < /data/big.bin").trimmed())
                .isEqualTo(Integer.toString(40 << 20));

        String byDigest = plain.host() + "/e2e/multi@" + multiDigest;
        removeImage(multi());
        assertThat(kpod.ok("pull", "-q", "--tls-verify=false", byDigest).trimmed()).isEqualTo(id);
        assertThat(kpod.ok("run", "--rm", "--network", "none", "--pull", "never", byDigest, "cat", "/data/hello.txt").out())
                .isEqualTo("hello from a pulled layer\n");
        removeImage(byDigest);
    }

    @Test
    void blobsAlreadyPresentAreNotDownloadedAgain() {
        removeImage(plain.host() + "/e2e/busybox:1");
        kpod.ok("pull", "--tls-verify=false", multi());
        String busyboxLayer = kpod.json("image", "inspect", plain.host() + "/e2e/multi:1").get(0)
                .path("RootFS").path("Layers").get(0).asText();
        int before = plain.log().split("\n").length;
        assertThat(kpod.ok("pull", "--tls-verify=false", plain.host() + "/e2e/busybox:1").trimmed()).isEqualTo(busyboxId);
        List<String> requests = List.of(plain.log().split("\n")).subList(before, plain.log().split("\n").length);
        // the busybox layer is stored uncompressed, so its blob digest is its diff-id; the store has it already
        assertThat(requests).anyMatch(l -> l.contains("GET /v2/e2e/busybox/manifests/1"));
        assertThat(requests).noneMatch(l -> l.contains("/blobs/" + busyboxLayer));
        assertThat(kpod.ok("run", "--rm", "--network", "none", plain.host() + "/e2e/busybox:1", "echo", "ok").out()).isEqualTo("ok\n");
    }

    @Test
    void runAndCreatePullAsTheirPullPolicySays() {
        String ref = plain.host() + "/e2e/busybox:1";
        removeImage(ref);
        // missing (the default): pulled because absent, then used as it is
        assertThat(kpod.ok("run", "--rm", "--network", "none", "--tls-verify=false", ref, "echo", "pulled").out())
                .isEqualTo("pulled\n");
        assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains(ref);
        int before = plain.log().split("\n").length;
        kpod.ok("create", "--network", "none", "--tls-verify=false", ref, "true");
        assertThat(plain.log().split("\n").length).as("no request for a present image").isEqualTo(before);
        kpod.ok("create", "--network", "none", "--tls-verify=false", "--pull", "always", ref, "true");
        assertThat(List.of(plain.log().split("\n")).subList(before, plain.log().split("\n").length))
                .anyMatch(l -> l.contains("GET /v2/e2e/busybox/manifests/1"));
        before = plain.log().split("\n").length;
        kpod.ok("create", "--network", "none", "--tls-verify=false", "--pull=newer", ref, "true");
        assertThat(List.of(plain.log().split("\n")).subList(before, plain.log().split("\n").length))
                .anyMatch(l -> l.contains("HEAD /v2/e2e/busybox/manifests/1"))
                .noneMatch(l -> l.contains("GET /v2/e2e/busybox/manifests/1"));
        KpodHarness.Result bad = kpod.run("create", "--pull", "sometimes", ref, "true");
        assertThat(bad.err().strip()).isEqualTo("Error: invalid pull policy \"sometimes\": expected always, missing, never or newer");
        removeImage(ref);
    }

    @Test
    void pullKilledHalfWayLeavesNoImageAndARepullWorks() throws Exception {
        removeImage(multi());
        List<String> argv = new java.util.ArrayList<>();
        argv.add(Path.of(System.getProperty("kpod.bin", "../bin/kpod")).toAbsolutePath().normalize().toString());
        argv.addAll(kpod.globalArgs());
        argv.addAll(List.of("pull", "--tls-verify=false", multi()));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(work.resolve("killed.log").toFile()).start();
        Path tmp = kpod.root().resolve("images/tmp");
        // kill as soon as the pull has anything under way in the store's temp dir (a blob download or a layer unpack)
        boolean downloading = false;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!downloading && p.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(tmp)) {
                try (Stream<Path> s = Files.list(tmp)) {
                    downloading = s.findAny().isPresent();
                } catch (IOException e) {
                    // listed while an entry vanished: look again
                }
            }
            if (!downloading) {
                Thread.sleep(2);
            }
        }
        assertThat(downloading).as("a blob download in progress").isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("killed before it finished: %s", Files.readString(work.resolve("killed.log"))).isEqualTo(137);
        assertThat(kpod.run("image", "exists", multi()).code()).isEqualTo(1);
        assertThat(kpod.ok("images", "--format", "{{.Repository}}").out()).doesNotContain("e2e/multi");
        String id = kpod.ok("pull", "--tls-verify=false", multi()).trimmed();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(kpod.ok("run", "--rm", "--network", "none", multi(), "cat", "/data/hello.txt").out())
                .isEqualTo("hello from a pulled layer\n");
    }

    @Test
    void loginLogoutAndUnauthorized() throws IOException {
        Path authFile = work.resolve("auth.json");
        String target = secure.host() + "/private/busybox:1";
        KpodHarness.Result denied = kpod.run("push", "--tls-verify=false", "--authfile", authFile.toString(), IMAGE, target);
        assertThat(denied.code()).isEqualTo(125);
        assertThat(denied.err().strip()).startsWith("Error: ").contains("authentication required").doesNotContain("\n");

        KpodHarness.Result bad = kpod.runWithInput("wrong\n", "login", "-u", USER, "--password-stdin", "--tls-verify=false",
                "--authfile", authFile.toString(), secure.host());
        assertThat(bad.code()).isEqualTo(125);
        assertThat(bad.err()).contains("invalid username/password");
        assertThat(kpod.runWithInput(PASSWORD + "\n", "login", "-u", USER, "--password-stdin", "--tls-verify=false",
                "--authfile", authFile.toString(), secure.host()).ok().out()).contains("Login Succeeded!");
        assertThat(Files.readString(authFile)).contains("\"" + secure.host() + "\"");
        kpod.ok("push", "--tls-verify=false", "--authfile", authFile.toString(), IMAGE, target);
        removeImage(target);
        assertThat(kpod.ok("pull", "--tls-verify=false", "--authfile", authFile.toString(), target).trimmed()).isEqualTo(busyboxId);
        removeImage(target);

        assertThat(kpod.ok("logout", "--authfile", authFile.toString(), secure.host()).out())
                .contains("Removed login credentials for " + secure.host());
        long blobs = storeBlobs();
        KpodHarness.Result anonymous = kpod.run("pull", "--tls-verify=false", "--authfile", authFile.toString(), target);
        assertThat(anonymous.code()).isEqualTo(125);
        assertThat(anonymous.err()).contains("authentication required");
        assertThat(kpod.run("image", "exists", target).code()).isEqualTo(1);
        assertThat(storeBlobs()).isEqualTo(blobs);
        assertThat(kpod.run("logout", "--authfile", authFile.toString(), secure.host()).err()).contains("not logged into");
    }

    @Test
    void tlsIsVerifiedUnlessTurnedOff() throws IOException {
        Path authFile = work.resolve("tls-auth.json");
        kpod.runWithInput(PASSWORD, "login", "-u", USER, "--password-stdin", "--tls-verify=false",
                "--authfile", authFile.toString(), secure.host()).ok();
        String target = secure.host() + "/tls/busybox:1";
        kpod.ok("push", "--tls-verify=false", "--authfile", authFile.toString(), IMAGE, target);
        KpodHarness.Result verified = kpod.run("pull", "--authfile", authFile.toString(), target);
        assertThat(verified.code()).isEqualTo(125);
        assertThat(verified.err()).contains("TLS verification failed: certificate signed by unknown authority");
        assertThat(kpod.run("image", "exists", target).code()).isEqualTo(1);
        // trusted through a certs.d directory the certificate is verified and the pull works
        Path certs = Files.createDirectories(work.resolve("certs.d").resolve(secure.host()));
        Files.copy(secure.certificate(), certs.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(kpod.runWithEnv(Map.of("KPOD_CERTS_D", work.resolve("certs.d").toString()), null,
                "pull", "-q", "--authfile", authFile.toString(), target).ok().trimmed()).isEqualTo(busyboxId);
        removeImage(target);
        assertThat(kpod.ok("pull", "--tls-verify=false", "--authfile", authFile.toString(), target).trimmed()).isEqualTo(busyboxId);
        removeImage(target);
    }

    @Test
    void registriesConfShortNamesMirrorsAndBlocked() throws IOException {
        Path conf = work.resolve("registries.conf");
        Files.writeString(conf, """
                unqualified-search-registries = ["%1$s"]

                [[registry]]
                location = "%1$s"
                insecure = true

                [[registry]]
                prefix = "%1$s/blocked"
                location = "%1$s/blocked"
                blocked = true

                [[registry]]
                location = "mirrored.invalid"
                [[registry.mirror]]
                location = "%1$s"
                insecure = true
                """.formatted(plain.host()));
        Map<String, String> env = Map.of("CONTAINERS_REGISTRIES_CONF", conf.toString());
        removeImage(plain.host() + "/e2e/busybox:1");
        assertThat(kpod.runWithEnv(env, null, "pull", "e2e/busybox:1").ok().trimmed()).isEqualTo(busyboxId);
        assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains(plain.host() + "/e2e/busybox:1");
        // run resolves the short name locally now: nothing to pull
        assertThat(kpod.runWithEnv(env, null, "run", "--rm", "--network", "none", "e2e/busybox:1", "echo", "short").ok().out())
                .isEqualTo("short\n");
        // a short name that is localhost/NAME locally is used as it is
        assertThat(kpod.runWithEnv(env, null, "run", "--rm", "--network", "none", "busybox", "echo", "local").ok().out())
                .isEqualTo("local\n");
        removeImage("mirrored.invalid/e2e/busybox:1");
        assertThat(kpod.runWithEnv(env, null, "pull", "mirrored.invalid/e2e/busybox:1").ok().trimmed()).isEqualTo(busyboxId);
        assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains("mirrored.invalid/e2e/busybox:1");
        KpodHarness.Result blocked = kpod.runWithEnv(env, null, "pull", plain.host() + "/blocked/busybox:1");
        assertThat(blocked.code()).isEqualTo(125);
        assertThat(blocked.err().strip()).isEqualTo("Error: registry " + plain.host() + " is blocked in registries.conf");
        KpodHarness.Result unknown = kpod.runWithEnv(Map.of("CONTAINERS_REGISTRIES_CONF", work.resolve("none.conf").toString()),
                null, "pull", "nosuchimage");
        assertThat(unknown.err()).contains("no unqualified-search registries are defined");
        removeImage("mirrored.invalid/e2e/busybox:1");
        removeImage(plain.host() + "/e2e/busybox:1");
    }

    @Test
    void multiArchIndexChoosesThePlatformOrSaysThereIsNone() throws Exception {
        String busyboxDigest = registryDigest(plain.host(), "e2e/multi", "bb");
        putIndex(plain.host(), "e2e/multi", "index", busyboxDigest, "linux/amd64", multiDigest, "linux/arm64");
        putIndex(plain.host(), "e2e/multi", "foreign", multiDigest, "linux/s390x");
        String index = plain.host() + "/e2e/multi:index";
        assertThat(kpod.ok("pull", "--tls-verify=false", index).trimmed()).isEqualTo(busyboxId);
        String arm = kpod.ok("pull", "--tls-verify=false", "--arch", "arm64", index).trimmed();
        assertThat(arm).isNotEqualTo(busyboxId);
        assertThat(kpod.ok("image", "inspect", "--format", "{{.Digest}}", index).trimmed()).isEqualTo(multiDigest);
        removeImage(index);

        String foreign = plain.host() + "/e2e/multi:foreign";
        long blobs = storeBlobs();
        KpodHarness.Result none = kpod.run("pull", "--tls-verify=false", foreign);
        assertThat(none.code()).isEqualTo(125);
        assertThat(none.err().strip()).startsWith("Error: choosing an image from manifest list " + foreign)
                .contains("no image found for platform linux/amd64 (it has linux/s390x)").doesNotContain("\n");
        assertThat(kpod.run("image", "exists", foreign).code()).isEqualTo(1);
        assertThat(storeBlobs()).isEqualTo(blobs);
        assertThat(kpod.ok("pull", "--tls-verify=false", "--platform", "linux/s390x", foreign).trimmed()).isEqualTo(arm);
        removeImage(foreign);
    }

    @Test
    void clearErrorsAndNothingLeftInTheStore() throws Exception {
        long blobs = storeBlobs();
        KpodHarness.Result missing = kpod.run("pull", "--tls-verify=false", plain.host() + "/e2e/nope:1");
        assertThat(missing.code()).isEqualTo(125);
        assertThat(missing.err().strip()).isEqualTo("Error: reading manifest 1 in " + plain.host() + "/e2e/nope: manifest unknown");
        KpodHarness.Result host = kpod.run("pull", "nosuchhost.invalid/e2e/busybox:1");
        assertThat(host.code()).isEqualTo(125);
        assertThat(host.err().strip()).isEqualTo("Error: pulling nosuchhost.invalid/e2e/busybox:1: pinging container registry nosuchhost.invalid: no such host");
        KpodHarness.Result never = kpod.run("run", "--rm", "--pull", "never", plain.host() + "/e2e/nope:1", "true");
        assertThat(never.err()).contains("image not known");

        // a registry that serves bytes other than the blob's digest: corrupt one layer in its storage
        Path rootfs = work.resolve("unique.tar");
        Path src = Files.createDirectories(work.resolve("unique/etc"));
        Files.writeString(src.resolve("unique"), "unique " + System.nanoTime() + "\n");
        exec(List.of("tar", "-C", work.resolve("unique").toString(), "-cf", rootfs.toString(), "etc"));
        kpod.ok("import", rootfs.toString(), "localhost/unique:1");
        kpod.ok("push", "--tls-verify=false", "localhost/unique:1", plain.host() + "/e2e/unique:1");
        kpod.ok("rmi", "localhost/unique:1");
        Path data = plain.blobData(sha256(rootfs));
        assertThat(data).exists();
        Files.writeString(data, "tampered");
        KpodHarness.Result mismatch = kpod.run("pull", "--tls-verify=false", plain.host() + "/e2e/unique:1");
        assertThat(mismatch.code()).isEqualTo(125);
        assertThat(mismatch.err().strip()).startsWith("Error: ").contains("digest mismatch: expected " + sha256(rootfs))
                .doesNotContain("\n");
        assertThat(kpod.run("image", "exists", plain.host() + "/e2e/unique:1").code()).isEqualTo(1);
        assertThat(storeBlobs()).isEqualTo(blobs);
    }
}
