package io.kpod.engine.image;

import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The list of images, {@code images.json}. Readers take no lock: the file is only ever
 * replaced by an atomic rename. Writers run under an exclusive file lock ({@code images.lock},
 * for other kpod processes) plus a JVM lock (file locks do not exclude threads of one JVM).
 */
final class ImageIndex {
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    /** The file's shape, versioned so a later kpod can migrate it. */
    record IndexFile(int version, List<ImageRecord> images) {
    }

    private final Path file;
    private final Path lockFile;

    ImageIndex(Path imagesDir) {
        this.file = imagesDir.resolve("images.json");
        this.lockFile = imagesDir.resolve("images.lock");
    }

    List<ImageRecord> read() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            IndexFile f = Json.MAPPER.readValue(bytes, IndexFile.class);
            return f.images() == null ? List.of() : List.copyOf(f.images());
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw KpodException.internal("the image index " + file + " is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code change} on a mutable copy of the index while holding the store's write lock,
     * then writes the list back if it changed. Everything that creates or deletes blobs and
     * layers runs inside, so a removal never deletes what a concurrent import still needs.
     */
    <T> T update(Function<List<ImageRecord>, T> change) {
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
        if (jvm.isHeldByCurrentThread()) {
            throw new IllegalStateException("image index update is not re-entrant");
        }
        jvm.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                // released when the channel closes
                ch.lock();
                List<ImageRecord> before = read();
                List<ImageRecord> images = new ArrayList<>(before);
                T result = change.apply(images);
                if (!images.equals(before)) {
                    BlobStore.writeAtomically(file, Json.MAPPER.writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(new IndexFile(1, images)));
                }
                return result;
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot update the image index " + file + ": " + e.getMessage(), e);
        } finally {
            jvm.unlock();
        }
    }
}
