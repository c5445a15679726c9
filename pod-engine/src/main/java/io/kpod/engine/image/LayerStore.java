package io.kpod.engine.image;

import io.kpod.engine.sys.FileTrees;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Unpacked layers, one per diff-id, shared by every image that has it:
 * {@code layers/<diffid-hex>/diff}. A layer is unpacked into a temp dir of the store and
 * renamed into place only after its diff-id checked out, so a half-unpacked or refused layer
 * is never visible under a final name.
 */
public final class LayerStore {
    private final Path layersDir;
    private final BlobStore tmp;

    public LayerStore(Path imagesDir) {
        this.layersDir = imagesDir.resolve("layers");
        this.tmp = new BlobStore(imagesDir);
    }

    /** The overlayfs lower dir of a layer. */
    public Path diffDir(String diffId) {
        return layersDir.resolve(Digests.hex(diffId)).resolve("diff");
    }

    public boolean exists(String diffId) {
        return Files.isDirectory(diffDir(diffId));
    }

    /**
     * Unpacks {@code layer} unless a layer with {@code expectedDiffId} is already there; a
     * layer whose diff-id differs from the expected one is refused and removed.
     */
    public LayerUnpacker.Result unpack(InputStream layer, Optional<String> expectedDiffId) {
        return unpack(layer, expectedDiffId, () -> { });
    }

    /** A step that may refuse a layer after it was unpacked and before it gets its name. */
    public interface Check {
        void run() throws IOException;
    }

    /**
     * Like {@link #unpack(InputStream, Optional)}, with {@code beforePublish} run once the diff-id
     * checked out and before the rename (a blob digest checked there refuses the layer too).
     */
    public LayerUnpacker.Result unpack(InputStream layer, Optional<String> expectedDiffId, Check beforePublish) {
        if (expectedDiffId.isPresent() && exists(expectedDiffId.get())) {
            try {
                beforePublish.run();
            } catch (IOException e) {
                throw KpodException.internal("cannot store layer in " + layersDir + ": " + e.getMessage(), e);
            }
            return new LayerUnpacker.Result(expectedDiffId.get(), -1);
        }
        Path work = tmp.newTempPath();
        try {
            Files.createDirectories(work.resolve("diff"));
            LayerUnpacker.Result r = LayerUnpacker.unpack(layer, work.resolve("diff"));
            if (expectedDiffId.isPresent() && !expectedDiffId.get().equals(r.diffId())) {
                throw KpodException.invalid("layer diff-id mismatch: expected " + expectedDiffId.get()
                        + ", got " + r.diffId());
            }
            beforePublish.run();
            Files.writeString(work.resolve("size"), Long.toString(r.size()));
            Path target = layersDir.resolve(Digests.hex(r.diffId()));
            Files.createDirectories(layersDir);
            if (!Files.exists(target)) {
                BlobStore.moveAtomically(work, target);
            }
            return r;
        } catch (IOException e) {
            throw KpodException.internal("cannot store layer in " + layersDir + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    /** The uncompressed tar size of an unpacked layer, 0 when unknown. */
    public long size(String diffId) {
        try {
            return Long.parseLong(Files.readString(layersDir.resolve(Digests.hex(diffId)).resolve("size")).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Removes a layer: renamed out of sight first, so a crash never leaves a half-deleted lower dir. */
    public void delete(String diffId) {
        Path dir = layersDir.resolve(Digests.hex(diffId));
        if (!Files.exists(dir)) {
            return;
        }
        Path grave = tmp.newTempPath();
        try {
            BlobStore.moveAtomically(dir, grave);
        } catch (IOException e) {
            throw KpodException.internal("cannot remove layer " + dir + ": " + e.getMessage(), e);
        }
        deleteTree(grave);
    }

    /** Diff-ids of all unpacked layers. */
    public Set<String> list() {
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(layersDir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(layersDir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[a-f0-9]{64}"))
                    .forEach(n -> out.add("sha256:" + n));
        } catch (IOException e) {
            throw KpodException.internal("cannot list " + layersDir + ": " + e.getMessage(), e);
        }
        return out;
    }

    static void deleteTree(Path p) {
        try {
            FileTrees.delete(p);
        } catch (IOException e) {
            // swept with the rest of the temp dir by the next write under the store lock
        }
    }
}
