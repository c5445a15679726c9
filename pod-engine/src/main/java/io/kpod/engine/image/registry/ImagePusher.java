package io.kpod.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Http;
import io.kpod.engine.Json;
import io.kpod.engine.image.BlobStore;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        try (Http.Response r = client.send("PUT", client.uri("/v2/" + repository + "/manifests/" + tag),
                Map.of("Content-Type", type), Http.Body.of(manifest), scope())) {
            if (r.status() != 201 && r.status() != 200) {
                throw client.failure(r, "writing manifest to " + where() + ":" + tag);
            }
        }
        return manifestDigest;
    }

    private void upload(String digest) {
        String what = "blob " + Progress.shortDigest(digest);
        try (Http.Response head = client.send("HEAD", client.uri("/v2/" + repository + "/blobs/" + digest), Map.of(),
                Http.Body.NONE, scope())) {
            if (head.status() == 200) {
                progress.line("Copying " + what + " skipped: already exists");
                return;
            }
            if (head.status() != 404) {
                throw client.failure(head, "checking blob " + digest + " in " + where());
            }
        }
        URI base;
        try (Http.Response start = client.send("POST", client.uri("/v2/" + repository + "/blobs/uploads/"), Map.of(),
                Http.Body.NONE, scope())) {
            if (start.status() != 202) {
                throw client.failure(start, "starting upload of blob " + digest + " to " + where());
            }
            String location = start.header("Location")
                    .orElseThrow(() -> KpodException.runtime(where() + " started an upload without a Location"));
            base = start.uri().resolve(location);
        }
        URI put = URI.create(base + (base.getRawQuery() == null ? "?" : "&") + "digest=" + digest.replace(":", "%3A"));
        if (!java.nio.file.Files.isRegularFile(blobs.path(digest))) {
            throw KpodException.internal("blob " + digest + " is missing from the store", null);
        }
        try (Http.Response r = client.send("PUT", put, Map.of("Content-Type", "application/octet-stream"),
                Http.Body.of(blobs.path(digest)), scope())) {
            if (r.status() != 201) {
                throw client.failure(r, "uploading blob " + digest + " to " + where());
            }
        }
        progress.line("Copying " + what + " done");
    }
}
