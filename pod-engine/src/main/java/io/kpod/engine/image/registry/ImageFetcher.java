package io.kpod.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Http;
import io.kpod.engine.Json;
import io.kpod.engine.image.BlobStore;
import io.kpod.engine.image.Digests;
import io.kpod.engine.image.ImageStore;
import io.kpod.engine.image.LayerStore;
import io.kpod.engine.image.LayerUnpacker;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Fetches one image from one repository into the blob store: the manifest (choosing the
 * platform's entry when it is an index), then the config and the layers that are not there
 * yet, in parallel on {@code pool}. Every manifest and blob is checked against its digest
 * before it gets its final name (the blob store writes to a temp file and renames), so a
 * pull that dies leaves only complete, verified blobs, which a re-pull skips.
 */
final class ImageFetcher {
    /** containers/image refuses manifests over 4 MiB too. */
    private static final int MAX_MANIFEST = 4 << 20;

    /** A manifest as the registry sent it, its digest and media type. */
    record Manifest(byte[] bytes, String digest, String mediaType) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw KpodException.invalid("the manifest " + digest + " is not valid JSON: " + e.getMessage());
            }
        }
    }

    private final RegistryClient client;
    private final String repository;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ExecutorService pool;
    private final Progress progress;
    private final List<String> added = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unpacked = Collections.synchronizedList(new ArrayList<>());

    ImageFetcher(RegistryClient client, String repository, ImageStore store, ExecutorService pool, Progress progress) {
        this.client = client;
        this.repository = repository;
        this.blobs = store.blobs();
        this.layers = store.layers();
        this.pool = pool;
        this.progress = progress;
    }

    /** Blobs this fetch stored that were not there before, for the caller to discard on failure. */
    List<String> added() {
        return List.copyOf(added);
    }

    /** Layers this fetch unpacked, for the caller to discard on failure. */
    List<String> unpacked() {
        return List.copyOf(unpacked);
    }

    private String where() {
        return client.host() + "/" + repository;
    }

    private String scope() {
        return "repository:" + repository + ":pull";
    }

    /** GET a manifest by tag or digest and verify it: by digest its hash, by tag the Docker-Content-Digest header. */
    Manifest manifest(String reference) {
        Http.Response r = client.get("/v2/" + repository + "/manifests/" + reference, MediaTypes.ACCEPT, scope());
        if (r.status() != 200) {
            throw client.failure(r, "reading manifest " + reference + " in " + where());
        }
        byte[] body;
        try {
            body = r.bytes(MAX_MANIFEST);
        } catch (IOException e) {
            throw KpodException.runtime("reading manifest " + reference + " in " + where() + ": " + e.getMessage(), e);
        }
        if (body.length >= MAX_MANIFEST) {
            throw KpodException.invalid("the manifest " + reference + " in " + where() + " is larger than 4 MiB");
        }
        String digest = Digests.of(body);
        String expected = reference.startsWith("sha256:") ? reference
                : r.header("Docker-Content-Digest").filter(d -> d.startsWith("sha256:")).orElse(digest);
        if (!expected.equals(digest)) {
            throw KpodException.invalid("manifest digest mismatch for " + where() + ":" + reference + ": expected "
                    + expected + ", got " + digest);
        }
        String type = r.header("Content-Type").map(MediaTypes::base).orElse("");
        JsonNode j;
        try {
            j = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw KpodException.invalid("the manifest of " + where() + ":" + reference + " is not valid JSON");
        }
        String declared = j.path("mediaType").asText("");
        if (!declared.isEmpty()) {
            type = declared;
        } else if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type) && !MediaTypes.isSchema1(type)) {
            type = j.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (MediaTypes.isSchema1(type) || j.path("schemaVersion").asInt(2) == 1) {
            throw KpodException.invalid(where() + ":" + reference
                    + " has a Docker schema 1 manifest, which kpod does not support; push it again with a current tool");
        }
        if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type)) {
            throw KpodException.invalid(where() + ":" + reference + " is not an image (manifest media type " + type + ")");
        }
        return new Manifest(body, digest, type);
    }

    /** The index entry for {@code platform}, fetched; the clear error when no entry fits. */
    Manifest select(Manifest index, Platform platform, String reference) {
        JsonNode best = null;
        int bestScore = -1;
        List<String> offered = new ArrayList<>();
        for (JsonNode m : index.json().path("manifests")) {
            JsonNode p = m.path("platform");
            if (p.path("architecture").asText().equals("unknown")) {
                // attestation manifests that buildkit adds
                continue;
            }
            offered.add(p.path("os").asText() + "/" + p.path("architecture").asText()
                    + (p.path("variant").asText("").isEmpty() ? "" : "/" + p.path("variant").asText()));
            int s = platform.score(p);
            if (s > bestScore) {
                bestScore = s;
                best = m;
            }
        }
        if (best == null) {
            throw new KpodException(ErrorKind.NOT_FOUND, "choosing an image from manifest list " + where() + ":" + reference
                    + ": no image found for platform " + platform + " (it has " + (offered.isEmpty() ? "none"
                    : String.join(", ", offered)) + "); choose one with --platform");
        }
        String digest = Digests.validate(best.path("digest").asText());
        Manifest m = manifest(digest);
        if (!MediaTypes.isManifest(m.mediaType())) {
            throw KpodException.invalid("the manifest list " + where() + ":" + reference + " points at " + digest
                    + ", which is not an image manifest");
        }
        return m;
    }

    /**
     * Downloads the config, then the layers that are missing, at most the pool's size at once,
     * each unpacked as soon as it is verified (the store then finds it unpacked); then stores
     * the manifest.
     */
    void fetchBlobs(Manifest manifest) {
        JsonNode j = manifest.json();
        JsonNode configDesc = j.path("config");
        String configDigest = Digests.validate(configDesc.path("digest").asText(null));
        if (blobs.exists(configDigest)) {
            progress.line("Copying config " + Progress.shortDigest(configDigest) + " skipped: already exists");
        } else {
            fetchBlob(configDigest, configDesc.path("size").asLong(-1), "config " + Progress.shortDigest(configDigest));
        }
        List<String> diffIds = new ArrayList<>();
        try {
            Json.MAPPER.readTree(blobs.read(configDigest)).path("rootfs").path("diff_ids")
                    .forEach(d -> diffIds.add(d.asText()));
        } catch (IOException e) {
            throw KpodException.invalid("the image config " + configDigest + " of " + where() + " is not valid JSON");
        }
        JsonNode layerDescs = j.path("layers");
        if (layerDescs.size() != diffIds.size()) {
            throw KpodException.invalid("the image " + where() + " lists " + layerDescs.size()
                    + " layers but its config has " + diffIds.size() + " diff_ids");
        }
        List<Future<?>> jobs = new ArrayList<>();
        for (int i = 0; i < layerDescs.size(); i++) {
            JsonNode d = layerDescs.get(i);
            String digest = Digests.validate(d.path("digest").asText(null));
            String diffId = Digests.validate(diffIds.get(i));
            long size = d.path("size").asLong(-1);
            String what = "blob " + Progress.shortDigest(digest);
            boolean have = blobs.exists(digest);
            if (have) {
                progress.line("Copying " + what + " skipped: already exists");
            }
            if (have && layers.exists(diffId)) {
                continue;
            }
            jobs.add(pool.submit(() -> {
                if (have) {
                    unpack(digest, diffId);
                } else {
                    fetchAndUnpack(digest, diffId, size, what);
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (ExecutionException e) {
            stopAll();
            throw e.getCause() instanceof RuntimeException re ? re : KpodException.runtime(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll();
            throw KpodException.runtime("interrupted");
        }
        progress.line("Writing manifest to image destination");
        boolean existed = blobs.exists(manifest.digest());
        blobs.put(new java.io.ByteArrayInputStream(manifest.bytes()), Optional.of(manifest.digest()));
        if (!existed) {
            added.add(manifest.digest());
        }
    }

    /** Interrupts the other downloads and waits for them, so none stores a blob after the caller discarded ours. */
    private void stopAll() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void unpack(String digest, String diffId) throws IOException {
        if (layers.exists(diffId)) {
            return;
        }
        try (InputStream in = blobs.open(digest)) {
            layers.unpack(in, Optional.of(diffId));
        }
        unpacked.add(diffId);
    }

    /**
     * Downloads a layer blob and unpacks it while it arrives: the bytes go to the blob's temp
     * file and into the unpacker at once; the layer gets its name only after the blob's digest
     * and the layer's diff-id both checked out.
     */
    private void fetchAndUnpack(String digest, String diffId, long size, String what) {
        fetch(digest, size, what, in -> {
            try (BlobStore.Pending blob = blobs.begin()) {
                InputStream teed = blob.tee(in);
                LayerUnpacker.Result r;
                try {
                    r = layers.unpack(teed, Optional.of(diffId), () -> blob.commit(Optional.of(digest), added));
                } catch (KpodException e) {
                    // a blob that is not what the manifest names fails the unpacking first (a bad
                    // tar, another diff-id): say that the blob is wrong, which is the cause
                    String got = blob.finish();
                    if (!got.equals(digest)) {
                        throw KpodException.invalid("blob digest mismatch: expected " + digest + ", got " + got);
                    }
                    throw e;
                }
                if (r.size() >= 0) {
                    unpacked.add(diffId);
                }
            }
        });
    }

    private void fetchBlob(String digest, long size, String what) {
        fetch(digest, size, what, in -> blobs.put(in, Optional.of(digest), added));
    }

    private interface BodyReader {
        void read(InputStream in) throws IOException;
    }

    private void fetch(String digest, long size, String what, BodyReader reader) {
        Http.Response r = client.getFollowing("/v2/" + repository + "/blobs/" + digest, "*/*", scope());
        if (r.status() != 200) {
            throw client.failure(r, "fetching blob " + digest + " from " + where());
        }
        try (r; InputStream in = progress.track(r.body(), what, size)) {
            reader.read(in);
        } catch (KpodException e) {
            if (e.getMessage().startsWith("blob digest mismatch")) {
                throw KpodException.invalid("fetching blob from " + where() + ": " + e.getMessage());
            }
            throw e;
        } catch (IOException e) {
            throw KpodException.runtime("fetching blob " + digest + " from " + where() + ": " + e.getMessage(), e);
        }
        progress.line("Copying " + what + " done" + (size > 0 ? " (" + Progress.size(size) + ")" : ""));
    }
}
