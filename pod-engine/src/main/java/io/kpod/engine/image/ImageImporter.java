package io.kpod.engine.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code podman import}: a rootfs tarball becomes a one-layer image. The tarball is stored as
 * the layer blob as given (plain, gzip or zstd), an OCI image config and manifest are written
 * next to it, and the store registers the manifest like any other.
 */
final class ImageImporter {
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";

    private final BlobStore blobs;
    private final LayerStore layers;
    private final java.util.List<String> created = new java.util.ArrayList<>();

    ImageImporter(BlobStore blobs, LayerStore layers) {
        this.blobs = blobs;
        this.layers = layers;
    }

    /** Writes the layer, config and manifest blobs and unpacks the layer; returns the manifest digest. */
    String importTarball(Path tarball, ImageConfig config) {
        if (!Files.isRegularFile(tarball)) {
            throw KpodException.notFound("cannot import " + tarball + ": no such file");
        }
        BlobStore.Blob layerBlob;
        Compression compression;
        try (InputStream in = Files.newInputStream(tarball)) {
            layerBlob = put(in);
        } catch (IOException e) {
            throw KpodException.internal("cannot read " + tarball + ": " + e.getMessage(), e);
        }
        try (InputStream in = new java.io.BufferedInputStream(blobs.open(layerBlob.digest()))) {
            compression = Compression.detect(in);
        } catch (IOException e) {
            throw KpodException.internal("cannot read blob " + layerBlob.digest() + ": " + e.getMessage(), e);
        }
        String diffId;
        try (InputStream in = blobs.open(layerBlob.digest())) {
            Optional<String> known = compression == Compression.NONE ? Optional.of(layerBlob.digest()) : Optional.empty();
            diffId = layers.unpack(in, known).diffId();
        } catch (IOException e) {
            throw KpodException.internal("cannot read blob " + layerBlob.digest() + ": " + e.getMessage(), e);
        }
        String created = Instant.now().toString();
        ObjectNode cfg = Json.MAPPER.createObjectNode();
        cfg.put("created", created);
        cfg.put("architecture", goArch());
        cfg.put("os", "linux");
        cfg.set("config", config.toJson());
        ObjectNode rootfs = cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(diffId);
        ObjectNode history = cfg.putArray("history").addObject();
        history.put("created", created);
        history.put("created_by", "/bin/sh -c #(nop) ADD file:" + Digests.hex(diffId) + " in /");
        history.put("comment", "imported from tarball");
        BlobStore.Blob configBlob = put(new java.io.ByteArrayInputStream(bytes(cfg)));

        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST_TYPE);
        manifest.set("config", descriptor(CONFIG_TYPE, configBlob));
        ArrayNode layerList = manifest.putArray("layers");
        layerList.add(descriptor(compression.layerMediaType(), layerBlob));
        return put(new java.io.ByteArrayInputStream(bytes(manifest))).digest();
    }

    /** Stores a blob and remembers it when it is new, so {@link #rollback()} can take it back. */
    private BlobStore.Blob put(InputStream in) {
        return blobs.put(in, Optional.empty(), created);
    }

    /** Deletes the blobs this import added; called under the store lock when the import fails. */
    void rollback() {
        created.forEach(blobs::delete);
        created.clear();
    }

    static ObjectNode descriptor(String mediaType, BlobStore.Blob blob) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", blob.digest());
        d.put("size", blob.size());
        return d;
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw KpodException.internal("cannot encode image JSON", e);
        }
    }

    /** The GOARCH name of this machine, which image configs use. */
    static String goArch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> arch;
        };
    }
}
