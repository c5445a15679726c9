package io.kpod.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Http;
import io.kpod.engine.Json;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The OCI distribution API of one registry host over HTTP/1.1: finds the scheme ({@code https},
 * or plain {@code http} when the registry is insecure and TLS fails), answers auth challenges
 * (Basic from the stored credentials, Bearer by fetching a token from the realm for each
 * repository scope) and turns the registry's error bodies into one-line messages. Requests go
 * through {@link Http}; the TLS context is made only if an https request is sent.
 */
public final class RegistryClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final boolean insecure;
    private final Optional<Credentials> credentials;
    private final Http.Tls tls;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private volatile String scheme;
    private volatile AuthChallenge challenge;
    private SSLContext sslContext;

    /**
     * @param insecure accept any certificate and fall back to plain HTTP ({@code --tls-verify=false}
     *                 or {@code insecure = true} in registries.conf)
     */
    public RegistryClient(String host, boolean insecure, Optional<Credentials> credentials) {
        this.host = host;
        this.insecure = insecure;
        this.credentials = credentials;
        this.tls = new Http.Tls(this::sslContext, !insecure);
    }

    private synchronized SSLContext sslContext() {
        if (sslContext == null) {
            sslContext = insecure ? Tls.trustAll() : Tls.forHost(host);
        }
        return sslContext;
    }

    public String host() {
        return host;
    }

    /** The host that serves {@code docker.io}'s API. */
    private String apiHost() {
        return host.equals("docker.io") ? "registry-1.docker.io" : host;
    }

    private Http.Response exchange(String method, URI uri, Map<String, String> headers, Http.Body body, Duration timeout)
            throws IOException {
        return Http.send(method, uri, headers, body, tls, CONNECT_TIMEOUT, timeout, false);
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
            Duration timeout = insecure && s.equals("https") ? PROBE_TIMEOUT : REQUEST_TIMEOUT;
            try (Http.Response r = exchange("GET", URI.create(s + "://" + apiHost() + "/v2/"), Map.of(), Http.Body.NONE,
                    timeout)) {
                boolean registry = r.status() == 200 || r.status() == 401;
                if (!registry && s.equals("http") && !s.equals(schemes[schemes.length - 1])) {
                    // a TLS server answering a plain request (400): try HTTPS
                    continue;
                }
                if (r.status() == 401) {
                    challenge = AuthChallenge.parse(r.header("WWW-Authenticate").orElse("")).orElse(null);
                } else if (r.status() >= 400 && r.status() != 404) {
                    throw KpodException.runtime("pinging container registry " + host + ": unexpected status "
                            + r.status());
                }
                scheme = s;
                return;
            } catch (IOException e) {
                if (failure == null || s.equals("https")) {
                    failure = e;
                }
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
        String message = String.valueOf(root.getMessage());
        if (root instanceof UnknownHostException) {
            why = "no such host";
        } else if (message.contains("plaintext connection") || message.contains("Unsupported or unrecognized SSL message")) {
            why = "the server gave an HTTP response to an HTTPS client (use --tls-verify=false or insecure = true in registries.conf)";
        } else if (root instanceof SSLException || e instanceof SSLException) {
            String m = Optional.ofNullable(root.getMessage()).orElse(e.toString());
            why = "TLS verification failed: " + (m.contains("certification path") ? "certificate signed by unknown authority" : m)
                    + " (use --tls-verify=false, insecure = true in registries.conf, or trust its CA in /etc/containers/certs.d/"
                    + host + "/ca.crt)";
        } else if (e instanceof ConnectException || root instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof SocketTimeoutException || root instanceof SocketTimeoutException) {
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

    /** {@code GET} of a registry path with an Accept header. */
    public Http.Response get(String path, String accept, String scope) {
        return send("GET", uri(path), Map.of("Accept", accept), Http.Body.NONE, scope);
    }

    /**
     * Sends a request to this registry, authenticating for {@code scope}
     * ({@code repository:NAME:pull} or {@code pull,push}). A 401 fetches a new token once.
     */
    public Http.Response send(String method, URI uri, Map<String, String> headers, Http.Body body, String scope) {
        ping();
        try {
            Http.Response r = exchange(method, uri, authorize(headers, scope, false), body, REQUEST_TIMEOUT);
            if (r.status() == 401) {
                AuthChallenge c = r.header("WWW-Authenticate").flatMap(AuthChallenge::parse).orElse(challenge);
                if (c != null) {
                    challenge = c;
                    r.close();
                    r = exchange(method, uri, authorize(headers, scope, true), body, REQUEST_TIMEOUT);
                }
            }
            return r;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /** A GET that follows redirects itself, so the registry's credentials never go to another host (blob storage). */
    public Http.Response getFollowing(String path, String accept, String scope) {
        Http.Response r = get(path, accept, scope);
        for (int hops = 0; hops < 5 && r.status() / 100 == 3; hops++) {
            Optional<String> loc = r.header("Location");
            r.close();
            if (loc.isEmpty()) {
                throw KpodException.runtime(host + " answered a redirect without a Location");
            }
            URI next = r.uri().resolve(loc.get());
            boolean sameHost = next.getHost() != null && next.getHost().equals(r.uri().getHost())
                    && next.getPort() == r.uri().getPort();
            try {
                r = exchange("GET", next, sameHost ? authorize(Map.of(), scope, false) : Map.of(), Http.Body.NONE,
                        REQUEST_TIMEOUT);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        return r;
    }

    private Map<String, String> authorize(Map<String, String> headers, String scope, boolean refresh) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        AuthChallenge c = challenge;
        if (c == null) {
            return h;
        }
        if (c.scheme().equals("basic")) {
            credentials.ifPresent(cr -> h.put("Authorization", cr.basicHeader()));
        } else if (c.scheme().equals("bearer")) {
            String key = scope == null ? "" : scope;
            if (refresh) {
                tokens.remove(key);
            }
            String token = tokens.computeIfAbsent(key, k -> fetchToken(c, scope));
            if (!token.isEmpty()) {
                h.put("Authorization", "Bearer " + token);
            }
        }
        return h;
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
        Map<String, String> h = credentials.map(cr -> Map.of("Authorization", cr.basicHeader())).orElse(Map.of());
        try (Http.Response r = exchange("GET", URI.create(url.toString()), h, Http.Body.NONE, REQUEST_TIMEOUT)) {
            if (r.status() == 401 || r.status() == 403) {
                throw new KpodException(ErrorKind.INVALID, credentials.isPresent()
                        ? "authenticating to " + host + ": invalid username/password"
                        : "authenticating to " + host + ": authentication required");
            }
            if (r.status() != 200) {
                throw KpodException.runtime("getting a token from " + realm + ": status " + r.status());
            }
            JsonNode j = Json.MAPPER.readTree(r.bytes(1 << 20));
            String token = j.path("token").asText(j.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw KpodException.runtime("the token service " + realm + " returned no token");
            }
            return token;
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The one-line error for a failed response: the registry's own error message when its body
     * has one ({@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}}).
     */
    public KpodException failure(Http.Response r, String doing) {
        String msg = null;
        try {
            byte[] bytes = r.bytes(65536);
            if (bytes.length > 0) {
                JsonNode first = Json.MAPPER.readTree(bytes).path("errors").path(0);
                if (!first.isMissingNode()) {
                    msg = first.path("message").asText(first.path("code").asText()).toLowerCase(java.util.Locale.ROOT);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the status says enough
        } finally {
            r.close();
        }
        int status = r.status();
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
        // connections left idle go back to the JDK's keep-alive cache, which closes them
    }
}
