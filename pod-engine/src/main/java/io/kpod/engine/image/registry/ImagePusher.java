package io.kpod.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Json;
import io.kpod.engine.image.BlobStore;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Uploads one stored image to a repository: each blob the registry does not have yet (a HEAD
 * tells) by a monolithic upload (POST, then PUT with the digest), then the manifest, byte for
 * byte as stored so its digest stays the image's.
 */
final class ImagePusher {
    private final RegistryClient client;
    private final String repository;
    private final BlobStore blobs;
    private final ExecutorService pool;
    private final Progress progress;

    ImagePusher(RegistryClient client, String repository, BlobStore blobs, ExecutorService pool, Progress progress) {
        this.client = client;
        this.repository = repository;
        this.blobs = blobs;
        this.pool = pool;
        this.progress = progress;
    }

    private String scope() {
        return "repository:" + repository + ":pull,push";
    }

    private String where() {
        return client.host() + "/" + repository;
    }

    /** Pushes the manifest {@code manifestDigest} under {@code tag}; returns the manifest digest. */
    String push(String manifestDigest, String tag) {
        byte[] manifest = blobs.read(manifestDigest);
        JsonNode j;
        try {
            j = Json.MAPPER.readTree(manifest);
        } catch (IOException e) {
            throw KpodException.internal("the stored manifest " + manifestDigest + " is not valid JSON", e);
        }
        List<String> digests = new ArrayList<>();
        j.path("layers").forEach(l -> digests.add(l.path("digest").asText()));
        digests.add(j.path("config").path("digest").asText());
        List<Future<?>> jobs = new ArrayList<>();
        for (String d : digests) {
            jobs.add(pool.submit(() -> {
                upload(d);
                return null;
            }));
        }
        try {
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (ExecutionException e) {
            jobs.forEach(f -> f.cancel(true));
            throw e.getCause() instanceof RuntimeException re ? re : KpodException.runtime(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted");
        }
        progress.line("Writing manifest to image destination");
        String type = j.path("mediaType").asText(MediaTypes.OCI_MANIFEST);
        HttpResponse<byte[]> r = client.send(() -> HttpRequest.newBuilder(client.uri("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
                HttpResponse.BodyHandlers.ofByteArray(), scope());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw client.failure(r, "writing manifest to " + where() + ":" + tag);
        }
        return manifestDigest;
    }

    private void upload(String digest) {
        String what = "blob " + Progress.shortDigest(digest);
        HttpResponse<Void> head = client.send(() -> HttpRequest.newBuilder(client.uri("/v2/" + repository + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding(), scope());
        if (head.statusCode() == 200) {
            progress.line("Copying " + what + " skipped: already exists");
            return;
        }
        if (head.statusCode() != 404) {
            throw client.failure(head, "checking blob " + digest + " in " + where());
        }
        HttpResponse<byte[]> start = client.send(() -> HttpRequest.newBuilder(client.uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray(), scope());
        if (start.statusCode() != 202) {
            throw client.failure(start, "starting upload of blob " + digest + " to " + where());
        }
        String location = start.headers().firstValue("Location")
                .orElseThrow(() -> KpodException.runtime(where() + " started an upload without a Location"));
        URI base = start.uri().resolve(location);
        URI put = URI.create(base + (base.getRawQuery() == null ? "?" : "&") + "digest=" + digest.replace(":", "%3A"));
        HttpResponse<byte[]> r = client.send(() -> {
            try {
                return HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofFile(blobs.path(digest)));
            } catch (java.io.FileNotFoundException e) {
                throw KpodException.internal("blob " + digest + " is missing from the store", e);
            }
        }, HttpResponse.BodyHandlers.ofByteArray(), scope());
        if (r.statusCode() != 201) {
            throw client.failure(r, "uploading blob " + digest + " to " + where());
        }
        progress.line("Copying " + what + " done");
    }
}
