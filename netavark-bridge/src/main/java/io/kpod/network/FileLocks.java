package io.kpod.network;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Exclusive sections across threads and processes. A FileChannel lock alone does not exclude
 * threads of one JVM (the JVM throws instead), so a per-path in-JVM lock is taken first.
 */
final class FileLocks {
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    /** Runs the body holding the lock file; lock files are never deleted, so waiters never race. */
    static <T> T locked(Path lockFile, Supplier<T> body) {
        Path key = lockFile.toAbsolutePath().normalize();
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        if (jvm.isHeldByCurrentThread()) {
            return body.get();
        }
        jvm.lock();
        try {
            Files.createDirectories(key.getParent());
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    return body.get();
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot lock " + key, e);
        } finally {
            jvm.unlock();
        }
    }

    /** Replaces the file in one rename, so readers see the old or the new content, never half. */
    static void writeAtomically(Path target, byte[] content) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                Files.write(tmp, content);
                // createTempFile makes 0600; Podman's network files are 0644 and readers may be non-root.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot write " + target, e);
        }
    }
}
