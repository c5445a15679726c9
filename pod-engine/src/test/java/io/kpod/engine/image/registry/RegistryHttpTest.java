package io.kpod.engine.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kpod.engine.image.Digests;
import io.kpod.engine.image.ImagePuller;
import io.kpod.engine.image.ImageRecord;
import io.kpod.engine.image.ImageStore;
import io.kpod.engine.image.PullPolicy;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against an in-JVM registry that speaks the distribution API with a
 * bearer token service: the token dance, pulls by tag and digest, and each error case
 * leaving nothing in the store.
 */
class RegistryHttpTest {
    @TempDir
    Path tmp;
    HttpServer server;
    String host;
    ImageStore store;
    final Map<String, byte[]> content = new ConcurrentHashMap<>();
    final Map<String, String> types = new ConcurrentHashMap<>();
    final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    final List<String> blobGets = new CopyOnWriteArrayList<>();
    volatile String requiredBasic;
    String manifestDigest;
    String layerDigest;

    @BeforeEach
    void start() throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ((HttpsServer) server).setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        host = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::api);
        server.start();
        store = new ImageStore(tmp.resolve("graph"));
        byte[] layer = tar("hello.txt", "hello from the registry\n");
        layerDigest = Digests.of(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digests.of(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        manifestDigest = Digests.of(manifest);
        content.put("/v2/app/blobs/" + layerDigest, layer);
        content.put("/v2/app/blobs/" + Digests.of(config), config);
        content.put("/v2/app/manifests/1", manifest);
        content.put("/v2/app/manifests/" + manifestDigest, manifest);
        types.put("/v2/app/manifests/1", "application/vnd.oci.image.manifest.v1+json");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** A self-signed certificate made with the JDK's keytool: the client must skip verification (tls-verify=false). */
    private static SSLContext tls;

    private static synchronized SSLContext selfSigned() throws IOException {
        if (tls != null) {
            return tls;
        }
        Path ks = Files.createTempFile("kpod-registry-test", ".p12");
        Files.delete(ks);
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-keystore", ks.toString(), "-storepass", "changeit", "-keyalg", "EC", "-alias", "s",
                    "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(ks)) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "changeit".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            tls = ctx;
            return ctx;
        } catch (InterruptedException | java.security.GeneralSecurityException e) {
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(ks);
        }
    }

    private static byte[] tar(String name, String text) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bos)) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(b.length);
            e.setMode(0644);
            t.putArchiveEntry(e);
            t.write(b);
            t.closeArchiveEntry();
        }
        return bos.toByteArray();
    }

    private void token(HttpExchange x) throws IOException {
        tokenRequests.add(x.getRequestURI().getRawQuery());
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (requiredBasic != null && !("Basic " + requiredBasic).equals(auth)) {
            send(x, 401, "{\"details\":\"incorrect username or password\"}", "application/json");
            return;
        }
        send(x, 200, "{\"token\":\"T0KEN\"}", "application/json");
    }

    private void api(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (!"Bearer T0KEN".equals(x.getRequestHeaders().getFirst("Authorization"))) {
            x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"https://" + host
                    + "/token\",service=\"test-registry\",scope=\"repository:app:pull\"");
            send(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}", "application/json");
            return;
        }
        if (path.equals("/v2/")) {
            send(x, 200, "{}", "application/json");
            return;
        }
        byte[] body = content.get(path);
        if (body == null) {
            boolean manifest = path.contains("/manifests/");
            send(x, 404, "{\"errors\":[{\"code\":\"" + (manifest ? "MANIFEST_UNKNOWN" : "BLOB_UNKNOWN")
                    + "\",\"message\":\"" + (manifest ? "manifest unknown" : "blob unknown") + "\"}]}", "application/json");
            return;
        }
        if (path.contains("/blobs/")) {
            blobGets.add(path);
        }
        x.getResponseHeaders().add("Content-Type", types.getOrDefault(path, "application/octet-stream"));
        x.sendResponseHeaders(200, body.length);
        try (var os = x.getResponseBody()) {
            os.write(body);
        }
    }

    private static void send(HttpExchange x, int status, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        try (var os = x.getResponseBody()) {
            os.write(b);
        }
    }

    private RegistryService service(Optional<Credentials> creds) {
        Path authFile = tmp.resolve("auth.json");
        AuthFile af = new AuthFile(Map.of("REGISTRY_AUTH_FILE", authFile.toString(), "HOME", tmp.toString()));
        creds.ifPresent(c -> af.store(authFile, host, c));
        return new RegistryService(store, () -> RegistriesConf.EMPTY, af);
    }

    private static ImagePuller.Options insecure() {
        return new ImagePuller.Options(Optional.empty(), Optional.of(false), Optional.of("linux"), Optional.of("amd64"),
                Optional.empty(), null);
    }

    private long blobCount() throws IOException {
        Path dir = store.imagesDir().resolve("blobs/sha256");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void bearerTokenDanceWithCredentialsThenSkipsPresentBlobs() throws IOException {
        requiredBasic = new Credentials("alice", "s3cret").encoded();
        RegistryService svc = service(Optional.of(new Credentials("alice", "s3cret")));
        ImageRecord img = svc.pull(host + "/app:1", insecure());
        assertThat(img.names()).containsExactly(host + "/app:1");
        assertThat(img.digest()).isEqualTo(manifestDigest);
        assertThat(tokenRequests).contains("service=test-registry&scope=repository%3Aapp%3Apull");
        assertThat(Files.readString(store.layers().diffDir(layerDigest).resolve("hello.txt"))).startsWith("hello from");
        assertThat(blobGets).hasSize(2);
        // present blobs are not fetched again; by digest the image is named repo@digest
        ImageRecord byDigest = svc.pull(host + "/app@" + manifestDigest, insecure());
        assertThat(byDigest.id()).isEqualTo(img.id());
        assertThat(byDigest.names()).contains(host + "/app@" + manifestDigest);
        assertThat(blobGets).hasSize(2);
        assertThat(svc.ensure(host + "/app:1", PullPolicy.NEVER, insecure()).id()).isEqualTo(img.id());
        assertThat(svc.ensure(host + "/app:1", PullPolicy.MISSING, insecure()).id()).isEqualTo(img.id());
        assertThat(svc.ensure(host + "/app:1", PullPolicy.NEWER, insecure()).id()).isEqualTo(img.id());
    }

    @Test
    void tokenRefusedWithoutCredentials() throws IOException {
        requiredBasic = new Credentials("alice", "s3cret").encoded();
        assertThatThrownBy(() -> service(Optional.empty()).pull(host + "/app:1", insecure()))
                .isInstanceOf(KpodException.class)
                .hasMessage("pulling " + host + "/app:1: authenticating to " + host + ": authentication required");
        assertThatThrownBy(() -> service(Optional.of(new Credentials("alice", "wrong"))).pull(host + "/app:1", insecure()))
                .hasMessage("pulling " + host + "/app:1: authenticating to " + host + ": invalid username/password");
        assertThat(blobCount()).isZero();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void manifestUnknown() {
        assertThatThrownBy(() -> service(Optional.empty()).pull(host + "/app:nope", insecure()))
                .isInstanceOf(KpodException.class)
                .hasMessage("reading manifest nope in " + host + "/app: manifest unknown")
                .extracting(e -> ((KpodException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThatThrownBy(() -> service(Optional.empty()).ensure(host + "/app:nope", PullPolicy.NEVER, insecure()))
                .hasMessageContaining("image not known");
    }

    @Test
    void blobDigestMismatchLeavesNothing() throws IOException {
        content.put("/v2/app/blobs/" + layerDigest, "tampered".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> service(Optional.empty()).pull(host + "/app:1", insecure()))
                .hasMessageContaining("digest mismatch: expected " + layerDigest);
        assertThat(blobCount()).isZero();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void manifestDigestMismatchByDigest() {
        String other = Digests.of("x".getBytes(StandardCharsets.UTF_8));
        content.put("/v2/app/manifests/" + other, content.get("/v2/app/manifests/1"));
        assertThatThrownBy(() -> service(Optional.empty()).pull(host + "/app@" + other, insecure()))
                .hasMessageContaining("manifest digest mismatch");
    }

    @Test
    void indexChoosesThePlatformOrSaysWhyNot() throws IOException {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest
                + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}";
        content.put("/v2/app/manifests/multi", index.getBytes(StandardCharsets.UTF_8));
        types.put("/v2/app/manifests/multi", "application/vnd.oci.image.index.v1+json");
        assertThatThrownBy(() -> service(Optional.empty()).pull(host + "/app:multi", insecure()))
                .hasMessageContaining("no image found for platform linux/amd64 (it has linux/arm64/v8)");
        assertThat(blobCount()).isZero();
        ImageRecord img = service(Optional.empty()).pull(host + "/app:multi", new ImagePuller.Options(Optional.empty(),
                Optional.of(false), Optional.empty(), Optional.of("arm64"), Optional.empty(), null));
        assertThat(img.digest()).isEqualTo(manifestDigest);
    }

    @Test
    void verifiedTlsRefusesTheSelfSignedCertificate() {
        assertThatThrownBy(() -> service(Optional.empty()).pull(host + "/app:1", ImagePuller.Options.defaults()))
                .hasMessageStartingWith("pulling " + host + "/app:1: pinging container registry " + host + ": TLS verification failed");
    }

    @Test
    void unknownHost() {
        assertThatThrownBy(() -> service(Optional.empty()).pull("nosuchhost.invalid/app:1", insecure()))
                .hasMessage("pulling nosuchhost.invalid/app:1: pinging container registry nosuchhost.invalid: no such host");
    }
}
