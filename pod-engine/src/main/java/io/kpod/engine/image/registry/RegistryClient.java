package io.kpod.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Json;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLException;

/**
 * The OCI distribution API of one registry host over HTTP/1.1: finds the scheme ({@code https},
 * or plain {@code http} when the registry is insecure and TLS fails), answers auth challenges
 * (Basic from the stored credentials, Bearer by fetching a token from the realm for each
 * repository scope) and turns the registry's error bodies into one-line messages.
 */
public final class RegistryClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final boolean insecure;
    private final Optional<Credentials> credentials;
    private final ExecutorService httpThreads;
    private final HttpClient http;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile String scheme;
    private volatile AuthChallenge challenge;

    /**
     * @param insecure accept any certificate and fall back to plain HTTP ({@code --tls-verify=false}
     *                 or {@code insecure = true} in registries.conf)
     */
    public RegistryClient(String host, boolean insecure, Optional<Credentials> credentials) {
        this.host = host;
        this.insecure = insecure;
        this.credentials = credentials;
        this.httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kpod-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).executor(httpThreads);
        b.sslContext(insecure ? Tls.trustAll() : Tls.forHost(host));
        this.http = b.build();
    }

    public String host() {
        return host;
    }

    /** The host that serves {@code docker.io}'s API. */
    private String apiHost() {
        return host.equals("docker.io") ? "registry-1.docker.io" : host;
    }

    /** {@code GET /v2/}: picks the scheme and remembers the auth challenge. */
    public synchronized void ping() {
        if (scheme != null) {
            return;
        }
        IOException failure = null;
        // One socket speaks either TLS or plain HTTP: with an explicit port, an insecure registry is
        // asked over HTTP first (no TLS hello a plain server may not answer); without one, HTTPS first.
        boolean explicitPort = host.matches(".*:[0-9]+$");
        String[] schemes = !insecure ? new String[] {"https"}
                : explicitPort ? new String[] {"http", "https"} : new String[] {"https", "http"};
        for (String s : schemes) {
            try {
                Duration timeout = insecure && s.equals("https") ? PROBE_TIMEOUT : REQUEST_TIMEOUT;
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s + "://" + apiHost() + "/v2/"))
                        .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
                boolean registry = r.statusCode() == 200 || r.statusCode() == 401;
                if (!registry && s.equals("http") && !s.equals(schemes[schemes.length - 1])) {
                    // a TLS server answering a plain request (400): try HTTPS
                    continue;
                }
                if (r.statusCode() == 401) {
                    challenge = AuthChallenge.parse(r.headers().firstValue("WWW-Authenticate").orElse("")).orElse(null);
                } else if (r.statusCode() >= 400 && r.statusCode() != 404) {
                    throw KpodException.runtime("pinging container registry " + host + ": unexpected status "
                            + r.statusCode());
                }
                scheme = s;
                return;
            } catch (IOException e) {
                if (failure == null || s.equals("https")) {
                    failure = e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KpodException.runtime("interrupted");
            }
        }
        throw unreachable(failure);
    }

    private KpodException unreachable(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why;
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            why = "no such host";
        } else if (String.valueOf(root.getMessage()).contains("plaintext connection")) {
            why = "the server gave an HTTP response to an HTTPS client (use --tls-verify=false or insecure = true in registries.conf)";
        } else if (root instanceof SSLException || e instanceof SSLException) {
            String m = Optional.ofNullable(root.getMessage()).orElse(e.toString());
            why = "TLS verification failed: " + (m.contains("certification path") ? "certificate signed by unknown authority" : m)
                    + " (use --tls-verify=false, insecure = true in registries.conf, or trust its CA in /etc/containers/certs.d/"
                    + host + "/ca.crt)";
        } else if (e instanceof ConnectException || root instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof HttpTimeoutException) {
            why = "timed out";
        } else {
            why = Optional.ofNullable(root.getMessage()).orElse(root.toString());
        }
        return new KpodException(ErrorKind.RUNTIME, "pinging container registry " + host + ": " + why);
    }

    /** An absolute URL of this registry for {@code path} ({@code /v2/...}). */
    public URI uri(String path) {
        ping();
        return URI.create(scheme + "://" + apiHost() + path);
    }

    /**
     * Sends a request built by {@code request} (called again for a retry), authenticating for
     * {@code scope} ({@code repository:NAME:pull} or {@code pull,push}). A 401 fetches a new token once.
     */
    public <T> HttpResponse<T> send(java.util.function.Supplier<HttpRequest.Builder> request,
                                    HttpResponse.BodyHandler<T> handler, String scope) {
        ping();
        try {
            HttpResponse<T> r = http.send(authorize(request.get(), scope, false).build(), handler);
            if (r.statusCode() == 401) {
                AuthChallenge c = AuthChallenge.parse(r.headers().firstValue("WWW-Authenticate").orElse("")).orElse(null);
                if (c != null) {
                    challenge = c;
                    discard(r);
                    r = http.send(authorize(request.get(), scope, true).build(), handler);
                }
            }
            return r;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted");
        }
    }

    /** A GET that follows redirects itself, so the registry's credentials never go to another host (blob storage). */
    public HttpResponse<InputStream> getFollowing(String path, String accept, String scope) {
        HttpResponse<InputStream> r = send(() -> HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET(),
                HttpResponse.BodyHandlers.ofInputStream(), scope);
        for (int hops = 0; hops < 5 && r.statusCode() / 100 == 3; hops++) {
            Optional<String> loc = r.headers().firstValue("Location");
            discard(r);
            if (loc.isEmpty()) {
                throw KpodException.runtime(host + " answered a redirect without a Location");
            }
            URI next = r.uri().resolve(loc.get());
            boolean sameHost = next.getHost() != null && next.getHost().equals(r.uri().getHost())
                    && next.getPort() == r.uri().getPort();
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(next).GET();
                r = http.send(sameHost ? authorize(b, scope, false).build() : b.build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw unreachable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw KpodException.runtime("interrupted");
            }
        }
        return r;
    }

    private HttpRequest.Builder authorize(HttpRequest.Builder b, String scope, boolean refresh) {
        b.timeout(REQUEST_TIMEOUT);
        AuthChallenge c = challenge;
        if (c == null) {
            return b;
        }
        if (c.scheme().equals("basic")) {
            credentials.ifPresent(cr -> b.header("Authorization", cr.basicHeader()));
        } else if (c.scheme().equals("bearer")) {
            String key = scope == null ? "" : scope;
            if (refresh) {
                tokens.remove(key);
            }
            String token = tokens.computeIfAbsent(key, k -> fetchToken(c, scope));
            if (!token.isEmpty()) {
                b.header("Authorization", "Bearer " + token);
            }
        }
        return b;
    }

    /** The Bearer dance: GET realm?service=…&scope=…, with Basic credentials when we have them. */
    private String fetchToken(AuthChallenge c, String scope) {
        String realm = c.param("realm");
        if (realm.isEmpty()) {
            throw KpodException.runtime(host + " asked for a bearer token without a realm");
        }
        StringBuilder url = new StringBuilder(realm);
        char sep = realm.contains("?") ? '&' : '?';
        if (!c.param("service").isEmpty()) {
            url.append(sep).append("service=").append(enc(c.param("service")));
            sep = '&';
        }
        if (scope != null) {
            url.append(sep).append("scope=").append(enc(scope));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).timeout(REQUEST_TIMEOUT).GET();
        credentials.ifPresent(cr -> b.header("Authorization", cr.basicHeader()));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new KpodException(ErrorKind.INVALID, credentials.isPresent()
                        ? "authenticating to " + host + ": invalid username/password"
                        : "authenticating to " + host + ": authentication required");
            }
            if (r.statusCode() != 200) {
                throw KpodException.runtime("getting a token from " + realm + ": status " + r.statusCode());
            }
            JsonNode j = Json.MAPPER.readTree(r.body());
            String token = j.path("token").asText(j.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw KpodException.runtime("the token service " + realm + " returned no token");
            }
            return token;
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void discard(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException e) {
                // nothing to keep
            }
        }
    }

    /**
     * The one-line error for a failed response: the registry's own error message when its body
     * has one ({@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}}).
     */
    public KpodException failure(HttpResponse<?> r, String doing) {
        String msg = null;
        Object body = r.body();
        try {
            byte[] bytes = body instanceof InputStream in ? in.readNBytes(65536)
                    : body instanceof byte[] b ? b : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
            if (bytes != null && bytes.length > 0) {
                JsonNode first = Json.MAPPER.readTree(bytes).path("errors").path(0);
                if (!first.isMissingNode()) {
                    msg = first.path("message").asText(first.path("code").asText()).toLowerCase(java.util.Locale.ROOT);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the status says enough
        } finally {
            discard(r);
        }
        int status = r.statusCode();
        if (status == 401) {
            return new KpodException(ErrorKind.INVALID, doing + ": authentication required"
                    + (credentials.isPresent() ? " (the stored credentials were refused)" : "; log in with kpod login " + host));
        }
        if (status == 403) {
            return new KpodException(ErrorKind.INVALID, doing + ": access denied" + (msg == null ? "" : " (" + msg + ")"));
        }
        if (msg == null) {
            msg = status == 404 ? "not found" : "status " + status;
        }
        return new KpodException(status == 404 ? ErrorKind.NOT_FOUND : ErrorKind.RUNTIME, doing + ": " + msg);
    }

    @Override
    public void close() {
        io.kpod.engine.HttpClients.shutdown(http);
        httpThreads.shutdownNow();
    }
}
