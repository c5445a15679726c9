package io.kpod.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code podman commit}: a container's overlay upper dir becomes one more layer on top of its
 * image. {@link LayerDiffer} turns overlay whiteouts and opaque dirs into OCI markers; the new
 * config is the base image's with new run defaults, one more diff-id and one more history entry.
 */
public final class ImageCommitter {
    /** Who and why, for the image config and its history entry. */
    public record Info(String author, String message, String createdBy) {
        public Info {
            author = author == null ? "" : author;
            message = message == null ? "" : message;
            createdBy = createdBy == null ? "" : createdBy;
        }
    }

    /** The keys of the config's {@code config} object that {@link ImageConfig} owns; others are kept. */
    private static final Set<String> OWNED = Set.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes",
            "WorkingDir", "Labels", "StopSignal");

    private final ImageStore store;
    private final List<String> created = new ArrayList<>();
    private LayerUnpacker.Result layer;

    ImageCommitter(ImageStore store) {
        this.store = store;
    }

    /** Exports the upper dir outside the lock, then stores the image under it; all or nothing. */
    ImageRecord commit(ImageRecord base, Path upperDir, ImageConfig config, Info info, List<String> names) {
        Path layerTar = exportLayer(upperDir);
        try {
            return store.update(images -> {
                try {
                    return store.register(images, write(base, layerTar, config, info), names);
                } catch (RuntimeException e) {
                    rollback();
                    throw e;
                }
            });
        } finally {
            BlobStore.deleteQuietly(layerTar);
        }
    }

    /** Writes the upper dir as an uncompressed layer tar into the store's temp dir. */
    private Path exportLayer(Path upperDir) {
        if (!Files.isDirectory(upperDir)) {
            throw KpodException.notFound("the container's upper dir " + upperDir + " is missing");
        }
        Path tmp = store.blobs().newTempPath();
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 65536)) {
            layer = LayerDiffer.export(upperDir, out);
        } catch (IOException | RuntimeException e) {
            BlobStore.deleteQuietly(tmp);
            if (e instanceof KpodException ke) {
                throw ke;
            }
            throw KpodException.internal("cannot write the committed layer: " + e.getMessage(), e);
        }
        return tmp;
    }

    /** Stores the layer, config and manifest blobs; returns the manifest digest. Runs under the store lock. */
    private String write(ImageRecord base, Path layerTar, ImageConfig config, Info info) {
        BlobStore blobs = store.blobs();
        BlobStore.Blob layerBlob;
        try (InputStream in = Files.newInputStream(layerTar)) {
            layerBlob = blobs.put(in, Optional.of(layer.diffId()), created);
        } catch (IOException e) {
            throw KpodException.internal("cannot read the committed layer: " + e.getMessage(), e);
        }
        String now = Instant.now().toString();
        ObjectNode cfg = (ObjectNode) store.readJson("sha256:" + base.id()).deepCopy();
        cfg.put("created", now);
        if (!info.author().isEmpty()) {
            cfg.put("author", info.author());
        }
        if (!info.message().isEmpty()) {
            cfg.put("comment", info.message());
        }
        ObjectNode runConfig = cfg.path("config").isObject() ? (ObjectNode) cfg.get("config") : cfg.putObject("config");
        runConfig.remove(OWNED);
        runConfig.setAll(config.toJson());
        ObjectNode rootfs = cfg.path("rootfs").isObject() ? (ObjectNode) cfg.get("rootfs") : cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.path("diff_ids").isArray() ? (ArrayNode) rootfs.get("diff_ids")
                : rootfs.putArray("diff_ids");
        diffIds.add(layer.diffId());
        ArrayNode history = cfg.path("history").isArray() ? (ArrayNode) cfg.get("history") : cfg.putArray("history");
        ObjectNode h = history.addObject();
        h.put("created", now);
        if (!info.createdBy().isEmpty()) {
            h.put("created_by", info.createdBy());
        }
        if (!info.author().isEmpty()) {
            h.put("author", info.author());
        }
        if (!info.message().isEmpty()) {
            h.put("comment", info.message());
        }
        BlobStore.Blob configBlob = blobs.put(new java.io.ByteArrayInputStream(ImageImporter.bytes(cfg)),
                Optional.empty(), created);

        JsonNode baseManifest = store.readJson(base.digest());
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", ImageImporter.MANIFEST_TYPE);
        manifest.set("config", ImageImporter.descriptor(ImageImporter.CONFIG_TYPE, configBlob));
        ArrayNode layers = manifest.putArray("layers");
        for (JsonNode l : baseManifest.path("layers")) {
            ObjectNode d = l.deepCopy();
            d.put("mediaType", ociLayerType(l.path("mediaType").asText("")));
            layers.add(d);
        }
        layers.add(ImageImporter.descriptor(Compression.NONE.layerMediaType(), layerBlob));
        return blobs.put(new java.io.ByteArrayInputStream(ImageImporter.bytes(manifest)), Optional.empty(), created)
                .digest();
    }

    /** A Docker layer media type as its OCI equivalent, so the new manifest is a plain OCI one. */
    static String ociLayerType(String mediaType) {
        if (mediaType.startsWith("application/vnd.oci.")) {
            return mediaType;
        }
        if (mediaType.contains("gzip")) {
            return Compression.GZIP.layerMediaType();
        }
        if (mediaType.contains("zstd")) {
            return Compression.ZSTD.layerMediaType();
        }
        return Compression.NONE.layerMediaType();
    }

    /** Deletes the blobs this commit added. */
    private void rollback() {
        created.forEach(store.blobs()::delete);
        created.clear();
    }
}
