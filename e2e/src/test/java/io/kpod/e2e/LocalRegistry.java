package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Docker distribution registry ({@code /usr/bin/docker-registry}) on a loopback port,
 * with filesystem storage in a temp dir; optionally TLS with a self-signed certificate made by
 * openssl and htpasswd basic auth. The access log goes to {@link #log()}.
 */
final class LocalRegistry implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private LocalRegistry(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts a registry; with {@code tls} a certificate for 127.0.0.1, with {@code user} htpasswd auth for user:password. */
    static LocalRegistry start(int port, boolean tls, String user, String password) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "kreg");
            StringBuilder conf = new StringBuilder("""
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: false
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                      secret: kpod-e2e
                    """.formatted(dir.resolve("data"), port));
            if (tls) {
                run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.resolve("key.pem").toString(),
                        "-out", dir.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"));
                conf.append("  tls:\n    certificate: ").append(dir.resolve("cert.pem")).append("\n    key: ")
                        .append(dir.resolve("key.pem")).append('\n');
            }
            if (user != null) {
                String entry = run(List.of("htpasswd", "-Bbn", user, password)).strip();
                Files.writeString(dir.resolve("htpasswd"), entry + "\n");
                conf.append("auth:\n  htpasswd:\n    realm: kpod-e2e\n    path: ").append(dir.resolve("htpasswd")).append('\n');
            }
            Files.writeString(dir.resolve("config.yml"), conf);
            Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", dir.resolve("config.yml").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
            LocalRegistry r = new LocalRegistry(dir, port, p);
            assertThat(KpodHarness.eventually(20, r::listening)).as("registry on port %d; log: %s", port, r.log()).isTrue();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            assertThat(p.waitFor()).as("%s: %s", argv, out).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }

    private boolean listening() {
        if (!process.isAlive()) {
            throw new AssertionError("docker-registry exited: " + log());
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    Path certificate() {
        return dir.resolve("cert.pem");
    }

    /** Where the registry keeps a blob's bytes (its filesystem driver layout). */
    Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "";
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(process.isAlive()).as("registry process %d still running", process.pid()).isFalse();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
