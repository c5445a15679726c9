package io.kpod.engine.container;

import io.kpod.engine.sys.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kubernetes' httpGet and tcpSocket probes, made by kpod itself from inside the container's
 * network namespace (a thread of its own joins it), so the image needs no curl or nc.
 */
final class NetnsProbe {
    /** The health-check test forms kpod understands besides CMD and CMD-SHELL. */
    static final String HTTP_GET = "KPOD-HTTP-GET";
    static final String TCP = "KPOD-TCP";

    record Outcome(boolean ok, String output) {
    }

    private NetnsProbe() {
    }

    static boolean handles(List<String> test) {
        return !test.isEmpty() && (test.get(0).equals(HTTP_GET) || test.get(0).equals(TCP));
    }

    /** Runs {@code test} from the network namespace of process {@code pid}. */
    static Outcome run(int pid, List<String> test, long timeoutMillis) {
        AtomicReference<Outcome> result = new AtomicReference<>(new Outcome(false, "probe timed out"));
        Thread t = new Thread(() -> {
            try {
                Libc.enterNetns(Path.of("/proc", Integer.toString(pid), "ns", "net"));
                result.set(test.get(0).equals(HTTP_GET) ? http(test, (int) timeoutMillis)
                        : tcp(test.get(1), Integer.parseInt(test.get(2)), (int) timeoutMillis));
            } catch (IOException | RuntimeException e) {
                result.set(new Outcome(false, String.valueOf(e.getMessage())));
            }
        }, "netns-probe");
        t.setDaemon(true);
        t.start();
        try {
            t.join(timeoutMillis + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.get();
    }

    private static Outcome tcp(String host, int port, int timeout) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address(host), port), timeout);
            return new Outcome(true, "connected to " + host + ":" + port);
        }
    }

    /** HTTP/1.0 GET; 200–399 is success, as the kubelet counts it. Extra test items are "Name: value" headers. */
    private static Outcome http(List<String> test, int timeout) throws IOException {
        URI uri = URI.create(test.get(1));
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        if ("https".equals(uri.getScheme())) {
            return new Outcome(false, "https probes are not supported by kpod");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address(uri.getHost()), port), timeout);
            s.setSoTimeout(timeout);
            StringBuilder req = new StringBuilder("GET ").append(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
            if (uri.getRawQuery() != null) {
                req.append('?').append(uri.getRawQuery());
            }
            req.append(" HTTP/1.0\r\nHost: ").append(uri.getHost()).append("\r\nUser-Agent: kube-probe/kpod\r\n");
            for (String h : test.subList(2, test.size())) {
                req.append(h).append("\r\n");
            }
            req.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(64);
            String line = new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            String[] parts = line.split(" ");
            int code = parts.length > 1 && parts[1].matches("[0-9]{3}") ? Integer.parseInt(parts[1]) : 0;
            return new Outcome(code >= 200 && code < 400, line);
        }
    }

    private static String address(String host) {
        return host == null || host.isEmpty() || host.equals("localhost") ? "127.0.0.1" : host;
    }
}
