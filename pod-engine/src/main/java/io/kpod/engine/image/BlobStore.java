package io.kpod.engine.image;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;

/**
 * Content-addressed blobs in OCI layout: {@code blobs/sha256/<hex>}. A blob is written to a
 * temp file, hashed, flushed to disk and only then renamed to its digest, so a crash never
 * leaves a partial blob under a final name.
 */
public final class BlobStore {
    /** A stored blob: its digest and length in bytes. */
    public record Blob(String digest, long size) {
    }

    private final Path blobsDir;
    private final Path tmpDir;

    public BlobStore(Path imagesDir) {
        this.blobsDir = imagesDir.resolve("blobs").resolve("sha256");
        this.tmpDir = imagesDir.resolve("tmp");
    }

    public Path path(String digest) {
        return blobsDir.resolve(Digests.hex(digest));
    }

    public boolean exists(String digest) {
        return Files.isRegularFile(path(digest));
    }

    /** Stores bytes read from {@code in}; when {@code expected} is given, a different digest is refused. */
    public Blob put(InputStream in, Optional<String> expected) {
        return put(in, expected, null);
    }

    /** Like {@link #put(InputStream, Optional)}; adds the digest to {@code added} when the blob is new. */
    public Blob put(InputStream in, Optional<String> expected, java.util.List<String> added) {
        try (Pending p = begin()) {
            p.tee(in);
            return p.commit(expected, added);
        } catch (IOException e) {
            throw KpodException.internal("cannot store blob in " + blobsDir + ": " + e.getMessage(), e);
        }
    }

    /** A blob being written: bytes go to a temp file as they are read; {@link #commit} gives it its name. */
    public Pending begin() {
        return new Pending(newTempPath());
    }

    /**
     * A blob written while its bytes are read by someone else (a layer unpacked while it downloads):
     * {@link #tee} copies every byte read into the temp file and the digest; {@link #commit} checks
     * the digest and renames; closing without a commit deletes the temp file.
     */
    public final class Pending implements AutoCloseable {
        private final Path tmp;
        private final MessageDigest md = Digests.sha256();
        private FileChannel ch;
        private OutputStream out;
        private InputStream teed;
        private long size;

        private Pending(Path tmp) {
            this.tmp = tmp;
        }

        /** {@code in}, with every byte read from it also written to the blob. */
        public InputStream tee(InputStream in) throws IOException {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out = new DigestOutputStream(Channels.newOutputStream(ch), md);
            teed = new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        out.write(b);
                        size++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        out.write(buf, off, n);
                        size += n;
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    // skipped bytes belong to the blob too
                    byte[] buf = new byte[(int) Math.min(n, 8192)];
                    int r = read(buf, 0, buf.length);
                    return Math.max(r, 0);
                }
            };
            return teed;
        }

        /**
         * Reads what is left of the tee'd stream, checks the digest against {@code expected}
         * (a mismatch is refused) and renames the blob into place.
         */
        public Blob commit(Optional<String> expected, java.util.List<String> added) throws IOException {
            expected.ifPresent(Digests::validate);
            String digest = finish();
            if (expected.isPresent() && !expected.get().equals(digest)) {
                throw KpodException.invalid("blob digest mismatch: expected " + expected.get() + ", got " + digest);
            }
            if (publish(tmp, path(digest)) && added != null) {
                added.add(digest);
            }
            return new Blob(digest, size);
        }

        private String digest;

        /** Reads the rest of the tee'd stream, flushes the temp file and returns the blob's digest. */
        public String finish() throws IOException {
            if (digest == null) {
                teed.transferTo(OutputStream.nullOutputStream());
                out.flush();
                ch.force(true);
                out.close();
                digest = Digests.format(md.digest());
            }
            return digest;
        }

        @Override
        public void close() {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException e) {
                // the temp file goes anyway
            }
            deleteQuietly(tmp);
        }
    }

    public Blob put(byte[] data) {
        return put(new java.io.ByteArrayInputStream(data), Optional.empty());
    }

    public byte[] read(String digest) {
        try {
            return Files.readAllBytes(path(digest));
        } catch (IOException e) {
            throw KpodException.internal("blob " + digest + " is missing from " + blobsDir
                    + "; remove the image and import or pull it again", e);
        }
    }

    public InputStream open(String digest) {
        try {
            return Files.newInputStream(path(digest));
        } catch (IOException e) {
            throw KpodException.internal("blob " + digest + " is missing from " + blobsDir, e);
        }
    }

    public void delete(String digest) {
        deleteQuietly(path(digest));
    }

    /** A fresh path in the store's temp dir, on the same file system as the blobs so rename is atomic. */
    Path newTempPath() {
        try {
            Files.createDirectories(tmpDir);
            return tmpDir.resolve(UUID.randomUUID().toString());
        } catch (IOException e) {
            throw KpodException.internal("cannot create " + tmpDir + ": " + e.getMessage(), e);
        }
    }

    /** Renames a finished temp file to its final name; content-addressed, so an existing target wins. */
    boolean publish(Path tmp, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            return false;
        }
        moveAtomically(tmp, target);
        return true;
    }

    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
        }
    }

    /** Replaces {@code file} with {@code content} by a flushed temp file and a rename. */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            deleteQuietly(tmp);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file is swept by the next write under the store lock
        }
    }
}
