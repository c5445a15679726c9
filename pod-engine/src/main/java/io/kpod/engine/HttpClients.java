package io.kpod.engine;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Helpers for {@link HttpClient} in a short-lived process. A client's selector thread waits in
 * {@code epoll_wait}, and the JVM's exit waits up to 300 ms for threads still in native code
 * before it gives up on them; so every client is shut down once its last exchange is done.
 * {@code shutdownNow} exists from Java 21 on and is called reflectively; on Java 17 the
 * selector thread remains and the exit pays the wait.
 */
public final class HttpClients {
    private static final Method SHUTDOWN_NOW = method("shutdownNow");
    private static final Method AWAIT = method("awaitTermination", Duration.class);

    private HttpClients() {
    }

    private static Method method(String name, Class<?>... params) {
        try {
            return HttpClient.class.getMethod(name, params);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Stops {@code client}'s threads, waiting briefly for its selector thread to leave. */
    public static void shutdown(HttpClient client) {
        if (SHUTDOWN_NOW == null || AWAIT == null) {
            return;
        }
        try {
            SHUTDOWN_NOW.invoke(client);
            AWAIT.invoke(client, Duration.ofMillis(500));
        } catch (ReflectiveOperationException e) {
            // nothing else to do: the exit waits for the thread instead
        }
    }

    /** GET of {@code uri} following redirects, the whole body in memory; the client is shut down after. */
    public static HttpResponse<byte[]> get(URI uri, Duration connectTimeout, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } finally {
            shutdown(client);
        }
    }
}
