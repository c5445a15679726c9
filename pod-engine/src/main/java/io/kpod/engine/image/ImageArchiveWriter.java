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
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * {@code podman save}: writes images from the store as a docker-archive (Docker's
 * {@code docker save} layout: {@code <config>.json}, one uncompressed {@code <diff-id>.tar}
 * per layer, {@code manifest.json}, {@code repositories}) or an oci-archive (an OCI image
 * layout: {@code oci-layout}, {@code index.json}, {@code blobs/sha256/…} with the stored blobs
 * as they are). The config blob is copied byte for byte, so the image id survives a round trip.
 */
final class ImageArchiveWriter {
    /** One image to write and the names it carries in the archive. */
    record Item(ImageRecord image, List<String> tags) {
    }

    private static final FileTime EPOCH = FileTime.fromMillis(0);

    private final ImageStore store;
    private final TarArchiveOutputStream tar;
    private final Set<String> written = new HashSet<>();

    private ImageArchiveWriter(ImageStore store, OutputStream out) {
        this.store = store;
        this.tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    /** See {@link ImageStore#save}. */
    static void save(ImageStore store, List<String> references, ArchiveFormat format, boolean multiImage,
                     OutputStream out) {
        if (references.isEmpty()) {
            throw KpodException.invalid("no image specified for saving images");
        }
        List<String> refs = multiImage ? references : references.subList(0, 1);
        List<String> extraTags = multiImage ? List.of()
                : references.subList(1, references.size()).stream().map(ImageStore::normalizeName).toList();
        if (format == ArchiveFormat.OCI_ARCHIVE && refs.size() + extraTags.size() > 1) {
            throw KpodException.invalid("unsupported format \"oci-archive\" for saving multiple images or names "
                    + "(only docker-archive)");
        }
        List<ImageRecord> all = store.list();
        Map<String, Item> items = new LinkedHashMap<>();
        for (String ref : refs) {
            ImageLookup.Match m = ImageStore.find(all, ref);
            Item item = items.computeIfAbsent(m.image().id(), id -> new Item(m.image(), new ArrayList<>()));
            if (m.name() != null && !item.tags().contains(m.name())) {
                item.tags().add(m.name());
            }
        }
        for (Item item : items.values()) {
            extraTags.stream().filter(t -> !item.tags().contains(t)).forEach(item.tags()::add);
        }
        try {
            if (format == ArchiveFormat.OCI_ARCHIVE) {
                Item item = items.values().iterator().next();
                writeOci(store, item.image(), item.tags().isEmpty() ? null : item.tags().get(0), out);
            } else {
                writeDocker(store, List.copyOf(items.values()), out);
            }
            out.flush();
        } catch (IOException e) {
            throw KpodException.internal("cannot write the image archive: " + e.getMessage(), e);
        }
    }

    /** An oci-archive of one image; {@code refName} (may be null) becomes its ref.name annotation. */
    private static void writeOci(ImageStore store, ImageRecord image, String refName, OutputStream out) throws IOException {
        ImageArchiveWriter w = new ImageArchiveWriter(store, out);
        w.bytes("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        w.dir("blobs/");
        w.dir("blobs/sha256/");
        JsonNode manifest = Json.MAPPER.readTree(store.blobs().read(image.digest()));
        w.blob(manifest.path("config").path("digest").asText());
        for (JsonNode l : manifest.path("layers")) {
            w.blob(l.path("digest").asText());
        }
        w.blob(image.digest());
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", ImageArchiveLoader.OCI_INDEX);
        ObjectNode desc = index.putArray("manifests").addObject();
        desc.put("mediaType", manifest.path("mediaType").asText(ImageImporter.MANIFEST_TYPE));
        desc.put("digest", image.digest());
        desc.put("size", Files.size(store.blobs().path(image.digest())));
        if (refName != null) {
            desc.putObject("annotations").put(ImageArchiveLoader.REF_NAME, refName);
        }
        w.bytes("index.json", ImageImporter.bytes(index));
        w.tar.finish();
        w.tar.flush();
    }

    /** A docker-archive of one or more images; layers shared between them are written once. */
    private static void writeDocker(ImageStore store, List<Item> items, OutputStream out) throws IOException {
        ImageArchiveWriter w = new ImageArchiveWriter(store, out);
        ArrayNode manifestJson = Json.MAPPER.createArrayNode();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (Item item : items) {
            ImageRecord img = item.image();
            String configName = img.id() + ".json";
            if (w.written.add(configName)) {
                w.bytes(configName, store.blobs().read("sha256:" + img.id()));
            }
            JsonNode manifest = Json.MAPPER.readTree(store.blobs().read(img.digest()));
            JsonNode layerDescs = manifest.path("layers");
            ObjectNode entry = manifestJson.addObject();
            entry.put("Config", configName);
            ArrayNode tags = entry.putArray("RepoTags");
            item.tags().forEach(tags::add);
            ArrayNode layerNames = entry.putArray("Layers");
            for (int i = 0; i < img.layers().size(); i++) {
                String diffId = img.layers().get(i);
                String name = Digests.hex(diffId) + ".tar";
                layerNames.add(name);
                if (w.written.add(name)) {
                    w.uncompressedLayer(name, layerDescs.get(i).path("digest").asText(), diffId);
                }
            }
            String top = img.layers().isEmpty() ? "" : Digests.hex(img.layers().get(img.layers().size() - 1));
            for (String t : item.tags()) {
                ImageReference r = ImageReference.parse(t);
                repositories.computeIfAbsent(r.name(), k -> new LinkedHashMap<>()).put(r.tag(), top);
            }
        }
        w.bytes("manifest.json", Json.MAPPER.writeValueAsBytes(manifestJson));
        w.bytes("repositories", Json.MAPPER.writeValueAsBytes(repositories));
        w.tar.finish();
        w.tar.flush();
    }

    private void blob(String digest) throws IOException {
        String name = "blobs/sha256/" + Digests.hex(digest);
        if (written.add(name)) {
            file(name, store.blobs().path(digest));
        }
    }

    /** Docker archives carry layers uncompressed: a compressed blob is unpacked to a temp file first. */
    private void uncompressedLayer(String name, String blobDigest, String diffId) throws IOException {
        Path blob = store.blobs().path(blobDigest);
        Compression c;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(blob))) {
            c = Compression.detect(in);
        }
        if (c == Compression.NONE) {
            file(name, blob);
            return;
        }
        Path tmp = store.blobs().newTempPath();
        try {
            MessageDigest md = Digests.sha256();
            try (InputStream in = Compression.decompressed(Files.newInputStream(blob));
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                in.transferTo(out);
            }
            String got = Digests.format(md.digest());
            if (!got.equals(diffId)) {
                throw KpodException.internal("layer blob " + blobDigest + " in the store does not match its diff-id "
                        + diffId + " (got " + got + "); remove the image and load or pull it again", null);
            }
            file(name, tmp);
        } finally {
            BlobStore.deleteQuietly(tmp);
        }
    }

    private void dir(String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR);
        e.setMode(0755);
        e.setModTime(EPOCH);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private void file(String name, Path source) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(0644);
        e.setModTime(EPOCH);
        e.setSize(Files.size(source));
        tar.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(source)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private void bytes(String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setMode(0644);
        e.setModTime(EPOCH);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
