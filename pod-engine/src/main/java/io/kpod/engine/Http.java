package io.kpod.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * HTTP/1.1 requests for a short-lived process, over the JDK's {@link HttpURLConnection}.
 * {@code java.net.http.HttpClient} costs a cold JVM about 250 ms to set up (TLS context and
 * selector thread even for plain HTTP) and reads a body at a fraction of the socket's speed
 * until the JIT has warmed up; the blocking connection does neither, and keeps connections
 * alive between requests to the same host.
 */
public final class Http {
    private Http() {
    }

    /** A request body: none, bytes in memory, or a file streamed with its length. */
    public record Body(byte[] bytes, Path file) {
        public static final Body NONE = new Body(null, null);

        public static Body of(byte[] bytes) {
            return new Body(bytes, null);
        }

        public static Body of(Path file) {
            return new Body(null, file);
        }
    }

    /**
     * TLS for https URIs: the context is made only when an https request is sent;
     * {@code verifyHostname} false accepts any certificate name (insecure registries).
     */
    public record Tls(Supplier<SSLContext> context, boolean verifyHostname) {
    }

    /** A response: status and headers at once, the body as a stream; closing it frees the connection. */
    public static final class Response implements Closeable {
        private final HttpURLConnection conn;
        private final int status;
        private final URI uri;
        private InputStream body;

        Response(HttpURLConnection conn, int status, URI uri) {
            this.conn = conn;
            this.status = status;
            this.uri = uri;
        }

        public int status() {
            return status;
        }

        /** The URI this response answered. */
        public URI uri() {
            return uri;
        }

        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(conn.getHeaderField(name));
        }

        /** The body (the error body for a status of 400 and above; empty when there is none). */
        public InputStream body() throws IOException {
            if (body == null) {
                InputStream in;
                try {
                    in = status >= 400 ? conn.getErrorStream() : conn.getInputStream();
                } catch (IOException e) {
                    in = null;
                }
                body = in != null ? in : InputStream.nullInputStream();
            }
            return body;
        }

        /** The whole body, at most {@code limit} bytes; closes the response. */
        public byte[] bytes(int limit) throws IOException {
            try (InputStream in = body()) {
                return in.readNBytes(limit);
            }
        }

        @Override
        public void close() {
            try {
                body().close();
            } catch (IOException e) {
                conn.disconnect();
            }
        }
    }

    /**
     * Sends one request and returns once the status line and headers are in. Redirects are
     * returned, not followed, unless {@code followRedirects}.
     */
    public static Response send(String method, URI uri, Map<String, String> headers, Body body, Tls tls,
                                Duration connectTimeout, Duration readTimeout, boolean followRedirects)
            throws IOException {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IOException("not an http or https URL: " + uri);
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        if (c instanceof HttpsURLConnection s && tls != null) {
            s.setSSLSocketFactory(tls.context().get().getSocketFactory());
            if (!tls.verifyHostname()) {
                s.setHostnameVerifier((host, session) -> true);
            }
        }
        c.setInstanceFollowRedirects(followRedirects);
        c.setUseCaches(false);
        c.setConnectTimeout((int) connectTimeout.toMillis());
        c.setReadTimeout((int) readTimeout.toMillis());
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        boolean sends = body.bytes() != null || body.file() != null || method.equals("POST") || method.equals("PUT");
        try {
            if (sends) {
                c.setDoOutput(true);
                long length = body.bytes() != null ? body.bytes().length : body.file() != null ? Files.size(body.file()) : 0;
                c.setFixedLengthStreamingMode(length);
                try (OutputStream out = c.getOutputStream()) {
                    if (body.bytes() != null) {
                        out.write(body.bytes());
                    } else if (body.file() != null) {
                        Files.copy(body.file(), out);
                    }
                }
            }
            return new Response(c, c.getResponseCode(), uri);
        } catch (HttpRetryException e) {
            // a streamed request the server answered with an authentication challenge
            return new Response(c, e.responseCode(), uri);
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
    }

    /** GET of {@code uri} following redirects, the whole body in memory (at most 64 MiB). */
    public static byte[] get(URI uri, Duration timeout) throws IOException {
        try (Response r = send("GET", uri, Map.of(), Body.NONE, null, timeout, timeout, true)) {
            if (r.status() != 200) {
                throw new IOException("HTTP " + r.status());
            }
            return r.bytes(64 << 20);
        }
    }
}
