package io.kpod.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * kpod's local image store under {@code <graphRoot>/images}: blobs in OCI layout, unpacked
 * layers shared between images, and {@code images.json}, the index. Reads take no lock;
 * every change runs under the index's file lock, so concurrent kpod processes are safe.
 * Registry pull/push and load/save add blobs with {@link #blobs()} and call {@link #addImage}.
 */
public final class ImageStore {
    private static final Duration STALE_TEMP = Duration.ofHours(24);

    private final Path imagesDir;
    private final BlobStore blobs;
    private final LayerStore layers;
    private final ImageIndex index;

    public ImageStore(Path graphRoot) {
        this.imagesDir = graphRoot.toAbsolutePath().normalize().resolve("images");
        this.blobs = new BlobStore(imagesDir);
        this.layers = new LayerStore(imagesDir);
        this.index = new ImageIndex(imagesDir);
    }

    public Path imagesDir() {
        return imagesDir;
    }

    public BlobStore blobs() {
        return blobs;
    }

    public LayerStore layers() {
        return layers;
    }

    /**
     * {@code podman import}: stores a rootfs tarball (plain, gzip or zstd) as a one-layer image
     * with {@code changes} applied to an empty config. A short name becomes {@code localhost/NAME},
     * a missing tag {@code latest}; without a name the image is dangling.
     */
    public ImageRecord importRootfs(Path tarball, Optional<String> name, List<String> changes) {
        ImageConfig config = ConfigChanges.apply(ImageConfig.EMPTY, changes);
        List<String> names = name.map(n -> List.of(normalizeName(n))).orElse(List.of());
        ImageImporter importer = new ImageImporter(blobs, layers);
        return index.update(images -> {
            sweepTemp();
            try {
                String manifest = importer.importTarball(tarball, config);
                return register(images, manifest, names);
            } catch (RuntimeException e) {
                importer.rollback();
                throw e;
            }
        });
    }

    /**
     * Records the image whose manifest (and its config and layer blobs) are already in
     * {@link #blobs()}, unpacking missing layers, and gives it {@code names} (taken from any
     * other image that had them). Re-adding a known image only adds the names.
     */
    public ImageRecord addImage(String manifestDigest, List<String> names) {
        // a pull by digest names the image repo@digest, as Podman's store does
        List<String> full = names.stream().map(n -> n.contains("@")
                ? ImageReference.parse(n).qualify(ImageReference.LOCAL_REGISTRY).toString() : normalizeName(n)).toList();
        return index.update(images -> register(images, manifestDigest, full));
    }

    /**
     * {@code podman load}: reads a docker-archive or oci-archive (plain, gzip or zstd) from
     * {@code archive}, checks every blob against its digest, then stores all its images or none.
     * Returns what Podman prints after {@code Loaded image:}: the names, or {@code sha256:ID}
     * for an image without one.
     */
    public List<String> load(InputStream archive) {
        return ImageArchiveLoader.load(this, archive);
    }

    /**
     * {@code podman save}: writes {@code references} to {@code out}. Without {@code multiImage}
     * the first reference is the image and the others are extra names for it (docker-archive
     * only); with it every reference is an image. An image is named in the archive by the name
     * it was found by; one referenced by id carries no name, as in Podman.
     */
    public void save(List<String> references, ArchiveFormat format, boolean multiImage, OutputStream out) {
        ImageArchiveWriter.save(this, references, format, multiImage, out);
    }

    /**
     * {@code podman commit}: stores {@code upperDir} (an overlay upper dir) as a new layer on
     * top of {@code baseImageId}'s layers, with {@code config} as its run defaults, and names it
     * {@code name} (none = dangling).
     */
    public ImageRecord commit(String baseImageId, Path upperDir, ImageConfig config, ImageCommitter.Info info,
                              Optional<String> name) {
        return new ImageCommitter(this).commit(byId(baseImageId), upperDir, config, info,
                name.map(n -> List.of(normalizeName(n))).orElse(List.of()));
    }

    /**
     * Runs {@code change} under the store's write lock, after sweeping stale temp files; when it
     * throws, the layers it unpacked are removed again (its blobs are the caller's to remove).
     */
    <T> T update(Function<List<ImageRecord>, T> change) {
        return index.update(images -> {
            sweepTemp();
            Set<String> layersBefore = layers.list();
            try {
                return change.apply(images);
            } catch (RuntimeException e) {
                for (String l : layers.list()) {
                    if (!layersBefore.contains(l)) {
                        layers.delete(l);
                    }
                }
                throw e;
            }
        });
    }

    ImageRecord register(List<ImageRecord> images, String manifestDigest, List<String> names) {
        JsonNode manifest = readJson(manifestDigest);
        String configDigest = manifest.path("config").path("digest").asText();
        JsonNode config = readJson(configDigest);
        List<String> diffIds = new ArrayList<>();
        config.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(Digests.validate(d.asText())));
        JsonNode layerDescs = manifest.path("layers");
        if (layerDescs.size() != diffIds.size()) {
            throw KpodException.invalid("image " + manifestDigest + " lists " + layerDescs.size()
                    + " layers but its config has " + diffIds.size() + " diff_ids");
        }
        long size = 0;
        for (int i = 0; i < diffIds.size(); i++) {
            String diffId = diffIds.get(i);
            if (!layers.exists(diffId)) {
                try (InputStream in = blobs.open(layerDescs.get(i).path("digest").asText())) {
                    layers.unpack(in, Optional.of(diffId));
                } catch (IOException e) {
                    throw KpodException.internal("cannot read layer blob: " + e.getMessage(), e);
                }
            }
            size += layers.size(diffId);
        }
        String id = Digests.hex(configDigest);
        for (int i = 0; i < images.size(); i++) {
            ImageRecord other = images.get(i);
            if (!other.id().equals(id) && other.names().stream().anyMatch(names::contains)) {
                images.set(i, other.withNames(other.names().stream().filter(n -> !names.contains(n)).toList()));
            }
        }
        for (int i = 0; i < images.size(); i++) {
            if (images.get(i).id().equals(id)) {
                Set<String> merged = new LinkedHashSet<>(images.get(i).names());
                merged.addAll(names);
                ImageRecord updated = images.get(i).withNames(List.copyOf(merged));
                images.set(i, updated);
                return updated;
            }
        }
        ImageRecord rec = new ImageRecord(id, names, manifestDigest, config.path("created").asText(""), size, diffIds);
        images.add(rec);
        return rec;
    }

    /**
     * Deletes those of {@code blobDigests} and unpacked layers {@code diffIds} that no image refers
     * to: what a failed pull stored before it gave up. Runs under the store lock, so no image
     * registered meanwhile loses anything.
     */
    public void discard(java.util.Collection<String> blobDigests, java.util.Collection<String> diffIds) {
        if (blobDigests.isEmpty() && diffIds.isEmpty()) {
            return;
        }
        index.update(images -> {
            Set<String> keepBlobs = new HashSet<>();
            Set<String> keepLayers = new HashSet<>();
            for (ImageRecord r : images) {
                keepBlobs.addAll(blobsOf(r));
                keepLayers.addAll(r.layers());
            }
            blobDigests.stream().filter(d -> !keepBlobs.contains(d)).forEach(blobs::delete);
            diffIds.stream().filter(d -> !keepLayers.contains(d)).forEach(layers::delete);
            return null;
        });
    }

    /** All images, oldest first. */
    public List<ImageRecord> list() {
        return index.read();
    }

    /** Finds an image by full or short id, name (full or short) or {@code name@sha256:…}. */
    public ImageRecord resolve(String reference) {
        return find(index.read(), reference).image();
    }

    /** The image a reference names and the name it matched (null when by id or digest). */
    ImageLookup.Match lookup(String reference) {
        return find(index.read(), reference);
    }

    /** Whether an image with this full id exists. */
    public boolean exists(String imageId) {
        return index.read().stream().anyMatch(i -> i.id().equals(imageId));
    }

    static ImageLookup.Match find(List<ImageRecord> images, String reference) {
        return ImageLookup.find(images, reference).orElseThrow(() -> new NoSuchObjectException("image", reference,
                reference + ": image not known"));
    }

    /** Adds {@code newName} to the image, taking it from any other image; returns the full name. */
    public String tag(String reference, String newName) {
        String full = normalizeName(newName);
        index.update(images -> {
            ImageRecord img = find(images, reference).image();
            for (int i = 0; i < images.size(); i++) {
                ImageRecord r = images.get(i);
                if (r.id().equals(img.id())) {
                    if (!r.names().contains(full)) {
                        List<String> names = new ArrayList<>(r.names());
                        names.add(full);
                        images.set(i, r.withNames(names));
                    }
                } else if (r.names().contains(full)) {
                    images.set(i, r.withNames(r.names().stream().filter(n -> !n.equals(full)).toList()));
                }
            }
            return null;
        });
        return full;
    }

    /** Removes {@code names} from the image, or all its names when empty; returns the names removed. */
    public List<String> untag(String reference, List<String> names) {
        List<String> wanted = names.stream().map(ImageStore::normalizeName).toList();
        return index.update(images -> {
            ImageRecord img = find(images, reference).image();
            for (String n : wanted) {
                if (!img.names().contains(n)) {
                    throw new NoSuchObjectException("tag", n, n + ": tag not known");
                }
            }
            List<String> removed = wanted.isEmpty() ? img.names() : wanted;
            replace(images, img.withNames(img.names().stream().filter(n -> !removed.contains(n)).toList()));
            return removed;
        });
    }

    /**
     * {@code podman rmi}: a name of an image with several names only loses that name; an id,
     * a digest or an image's last name removes the image. {@code containerUsing} maps an image
     * id to a container that uses it; such an image is refused (CONFLICT) unless {@code force},
     * after which the caller has removed those containers.
     */
    public RemoveReport remove(String reference, boolean force, Function<String, Optional<String>> containerUsing) {
        return index.update(images -> {
            ImageLookup.Match m = find(images, reference);
            ImageRecord img = m.image();
            if (!m.byId() && img.names().size() > 1) {
                replace(images, img.withNames(img.names().stream().filter(n -> !n.equals(m.name())).toList()));
                return new RemoveReport(List.of(m.name()), List.of());
            }
            if (m.byId() && img.names().size() > 1 && !force) {
                throw KpodException.conflict("unable to delete image \"" + img.id() + "\" by ID with more than one tag "
                        + img.names() + ": please force removal");
            }
            Optional<String> user = containerUsing.apply(img.id());
            if (user.isPresent() && !force) {
                throw KpodException.conflict("image used by " + user.get() + ": image is in use by a container: "
                        + "consider listing external containers and force-removing image");
            }
            delete(images, img);
            return new RemoveReport(img.names(), List.of(img.id()));
        });
    }

    /** Whether {@link #remove} of {@code reference} deletes the image rather than one of its several names. */
    public boolean removeDeletesImage(String reference) {
        ImageLookup.Match m = find(index.read(), reference);
        return m.byId() || m.image().names().size() <= 1;
    }

    /** {@code podman image prune}: removes dangling images (every unused one when {@code all}); returns their ids. */
    public List<String> prune(boolean all, Predicate<String> inUse) {
        return index.update(images -> {
            List<String> removed = new ArrayList<>();
            for (ImageRecord img : List.copyOf(images)) {
                if ((all || img.dangling()) && !inUse.test(img.id())) {
                    delete(images, img);
                    removed.add(img.id());
                }
            }
            return removed;
        });
    }

    /** Removes dangling images that no container uses; returns their ids. */
    public List<String> prune(Predicate<String> inUse) {
        return prune(false, inUse);
    }

    /** Drops the record, then every blob and layer no remaining image refers to. */
    private void delete(List<ImageRecord> images, ImageRecord img) {
        images.removeIf(r -> r.id().equals(img.id()));
        Set<String> keepBlobs = new HashSet<>();
        Set<String> keepLayers = new HashSet<>();
        for (ImageRecord r : images) {
            keepBlobs.addAll(blobsOf(r));
            keepLayers.addAll(r.layers());
        }
        for (String b : blobsOf(img)) {
            if (!keepBlobs.contains(b)) {
                blobs.delete(b);
            }
        }
        for (String l : img.layers()) {
            if (!keepLayers.contains(l)) {
                layers.delete(l);
            }
        }
    }

    private Set<String> blobsOf(ImageRecord r) {
        Set<String> out = new HashSet<>();
        out.add(r.digest());
        out.add("sha256:" + r.id());
        if (blobs.exists(r.digest())) {
            readJson(r.digest()).path("layers").forEach(l -> out.add(l.path("digest").asText()));
        }
        return out;
    }

    private static void replace(List<ImageRecord> images, ImageRecord updated) {
        images.replaceAll(r -> r.id().equals(updated.id()) ? updated : r);
    }

    /** The overlayfs lower dirs of an image, top layer first. */
    public List<Path> layerDirs(String imageId) {
        ImageRecord img = byId(imageId);
        List<Path> dirs = new ArrayList<>();
        for (int i = img.layers().size() - 1; i >= 0; i--) {
            dirs.add(layers.diffDir(img.layers().get(i)));
        }
        return dirs;
    }

    /** The run defaults from the image's OCI config. */
    public ImageConfig config(String imageId) {
        return ImageConfig.fromJson(readJson("sha256:" + byId(imageId).id()).path("config"));
    }

    /** What {@code podman image inspect} shows; {@code reference} is anything {@link #resolve} accepts. */
    public ImageInspect inspect(String reference) {
        ImageRecord img = resolve(reference);
        JsonNode cfg = readJson("sha256:" + img.id());
        JsonNode manifest = readJson(img.digest());
        ImageConfig config = ImageConfig.fromJson(cfg.path("config"));
        Set<String> repoDigests = new LinkedHashSet<>();
        for (String n : img.names()) {
            repoDigests.add(ImageReference.parse(n).name() + "@" + img.digest());
        }
        return new ImageInspect(img.id(), img.digest(), img.names(), List.copyOf(repoDigests), "",
                cfg.path("comment").asText(""), img.created(), config.toJson(), "", cfg.path("author").asText(""),
                cfg.path("architecture").asText(""), cfg.path("os").asText(""), img.size(), img.size(),
                new ImageInspect.RootFs("layers", img.layers()), config.labels().isEmpty() ? null : config.labels(),
                java.util.Map.of(), manifest.path("mediaType").asText(ImageImporter.MANIFEST_TYPE), config.user(),
                cfg.path("history"), img.names());
    }

    ImageRecord byId(String imageId) {
        String id = imageId.startsWith("sha256:") ? imageId.substring(7) : imageId;
        return index.read().stream().filter(i -> i.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchObjectException("image", imageId, imageId + ": image not known"));
    }

    JsonNode readJson(String digest) {
        try {
            return Json.MAPPER.readTree(blobs.read(digest));
        } catch (IOException e) {
            throw KpodException.internal("blob " + digest + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** A name as stored: full registry, repository and tag; digests are refused. */
    static String normalizeName(String name) {
        ImageReference r = ImageReference.parse(name);
        if (r.digest() != null) {
            throw KpodException.invalid("\"" + name + "\": an image name to assign cannot contain a digest");
        }
        return r.qualify(ImageReference.LOCAL_REGISTRY).toString();
    }

    /** Temp files of writers that crashed; only old ones, a slow concurrent writer may still own a young one. */
    private void sweepTemp() {
        Path tmp = imagesDir.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE_TEMP);
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.toList()) {
                if (Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                    LayerStore.deleteTree(p);
                }
            }
        } catch (IOException e) {
            // sweeping is best effort; the next write tries again
        }
    }
}
