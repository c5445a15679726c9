package io.kpod.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kpod.engine.image.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * For {@code make cds} only: a registry on a loopback port, inside the training JVM, serving one
 * small image of two gzip layers, so that the training's {@code pull} runs the whole way
 * (manifest, parallel blob downloads, digests, unpacking, the store) and the archive holds
 * those classes too. Without it a pull loads some 300 classes from the jars at run time.
 */
final class CdsTrainingRegistry implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> blobs = new HashMap<>();
    private final byte[] manifest;

    CdsTrainingRegistry() throws IOException {
        byte[] l1 = layer("etc/hello", 4 << 10);
        byte[] l2 = layer("data/blob", 256 << 10);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digests.of(gunzip(l1)) + "\",\""
                + Digests.of(gunzip(l2)) + "\"]}}";
        byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", cfg) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l1) + ","
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l2) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/v2/", this::serve);
        server.start();
    }

    /** host:port of the registry. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private String descriptor(String mediaType, byte[] blob) {
        String digest = Digests.of(blob);
        blobs.put(digest, blob);
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + blob.length + "}";
    }

    private void serve(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        byte[] body = null;
        if (path.equals("/v2/")) {
            body = "{}".getBytes(StandardCharsets.UTF_8);
        } else if (path.equals("/v2/kpod/cds/manifests/1") || path.equals("/v2/kpod/cds/manifests/" + Digests.of(manifest))) {
            body = manifest;
            x.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            x.getResponseHeaders().add("Docker-Content-Digest", Digests.of(manifest));
        } else if (path.startsWith("/v2/kpod/cds/blobs/")) {
            body = blobs.get(path.substring("/v2/kpod/cds/blobs/".length()));
        }
        if (body == null) {
            x.sendResponseHeaders(404, -1);
        } else if (x.getRequestMethod().equals("HEAD")) {
            x.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            x.sendResponseHeaders(200, -1);
        } else {
            x.sendResponseHeaders(200, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
        x.close();
    }

    /** A gzip layer: a directory, a file of {@code size} bytes, a symlink and a hard link to the file. */
    private static byte[] layer(String file, int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            String dir = file.substring(0, file.indexOf('/') + 1);
            TarArchiveEntry d = new TarArchiveEntry(dir);
            d.setMode(0755 | 040000);
            tar.putArchiveEntry(d);
            tar.closeArchiveEntry();
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            TarArchiveEntry f = new TarArchiveEntry(file);
            f.setSize(size);
            f.setMode(0644 | 0100000);
            tar.putArchiveEntry(f);
            tar.write(data);
            tar.closeArchiveEntry();
            TarArchiveEntry s = new TarArchiveEntry(file + ".link", TarArchiveEntry.LF_SYMLINK);
            s.setLinkName(file.substring(dir.length()));
            tar.putArchiveEntry(s);
            tar.closeArchiveEntry();
            TarArchiveEntry h = new TarArchiveEntry(file + ".hard", TarArchiveEntry.LF_LINK);
            h.setLinkName(file);
            tar.putArchiveEntry(h);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
