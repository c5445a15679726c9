package io.kpod.engine.image.registry;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS set-ups for registries: the JDK's trust store plus any {@code *.crt} in Podman's
 * {@code /etc/containers/certs.d/HOST[:PORT]/} (or {@code $KPOD_CERTS_D}); or, for insecure
 * registries, no verification at all (an extended trust manager that accepts everything also
 * skips the host name check).
 */
final class Tls {
    private Tls() {
    }

    static SSLContext trustAll() {
        X509ExtendedTrustManager all = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        return context(new TrustManager[] {all});
    }

    static SSLContext forHost(String host) {
        String dirs = System.getenv("KPOD_CERTS_D");
        Path dir = Path.of(dirs != null && !dirs.isEmpty() ? dirs : "/etc/containers/certs.d").resolve(host);
        List<Path> certs = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".crt")).sorted().forEach(certs::add);
            } catch (IOException e) {
                throw KpodException.invalid("cannot list " + dir + ": " + e.getMessage());
            }
        }
        if (certs.isEmpty()) {
            try {
                return SSLContext.getDefault();
            } catch (GeneralSecurityException e) {
                throw KpodException.internal("no default TLS context", e);
            }
        }
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        ks.setCertificateEntry("jdk" + i++, c);
                    }
                }
            }
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Path p : certs) {
                try (InputStream in = Files.newInputStream(p)) {
                    for (Certificate c : cf.generateCertificates(in)) {
                        ks.setCertificateEntry("certsd" + i++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return context(tmf.getTrustManagers());
        } catch (IOException | GeneralSecurityException e) {
            throw KpodException.invalid("cannot read the certificates in " + dir + ": " + e.getMessage());
        }
    }

    private static SSLContext context(TrustManager[] tms) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tms, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw KpodException.internal("cannot set up TLS", e);
        }
    }
}
