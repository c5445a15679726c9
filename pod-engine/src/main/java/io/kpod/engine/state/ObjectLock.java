package io.kpod.engine.state;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A per-object file lock in the run root. It serializes changes to one container (or pod)
 * across kpod processes, including the exit callbacks conmon starts. Not re-entrant within a
 * JVM: a process takes each object's lock once.
 */
public final class ObjectLock implements AutoCloseable {
    /** File locks belong to the process: threads of one process also queue on this per-name lock. */
    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> LOCAL =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final FileChannel channel;
    private final FileLock lock;
    private final java.util.concurrent.locks.ReentrantLock local;

    private ObjectLock(FileChannel channel, FileLock lock, java.util.concurrent.locks.ReentrantLock local) {
        this.channel = channel;
        this.lock = lock;
        this.local = local;
    }

    public static ObjectLock acquire(Path locksDir, String name) {
        java.util.concurrent.locks.ReentrantLock local =
                LOCAL.computeIfAbsent(locksDir + "/" + name, k -> new java.util.concurrent.locks.ReentrantLock());
        local.lock();
        try {
            return acquireFile(locksDir, name, local);
        } catch (RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    private static ObjectLock acquireFile(Path locksDir, String name, java.util.concurrent.locks.ReentrantLock local) {
        try {
            Files.createDirectories(locksDir);
            FileChannel ch = FileChannel.open(locksDir.resolve(name + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new ObjectLock(ch, ch.lock(), local);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot lock " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel; closing cannot fail in a way that matters
        } finally {
            local.unlock();
        }
    }
}
