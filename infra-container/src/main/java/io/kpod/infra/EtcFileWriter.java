package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes generated etc files. A new file is written atomically (temp file + rename) so a
 * crash never leaves half a file. A file already bind-mounted into containers must keep its
 * inode, because a bind mount keeps showing the old inode after a rename: such updates go
 * through {@link #rewriteInPlace}.
 */
public final class EtcFileWriter {
    private EtcFileWriter() {
    }

    /**
     * Writes the pod's files into its pod dir (created if needed); skips hosts when null. The
     * hostname file goes last: its presence says all of them are there, so a kpod killed half-way
     * leaves a pod whose next start writes them again.
     */
    public static void writePodFiles(InfraContainerPlan plan, EtcFiles.PodEtcFiles files) {
        if (files.hosts() != null) {
            writeAtomically(plan.hostsFile(), files.hosts());
        }
        writeAtomically(plan.resolvConfFile(), files.resolvConf());
        writeAtomically(plan.hostnameFile(), files.hostname());
    }

    /** Replaces {@code file} with {@code content} in one rename, mode 0644. */
    public static void writeAtomically(Path file, String content) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            // explicit, so neither the temp-file default 0600 nor a umask hides the file from non-root users
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw KpodException.internal("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temp file is harmless
                }
            }
        }
    }

    /** Overwrites an existing file keeping its inode, for files containers already bind-mount. */
    public static void rewriteInPlace(Path file, String content) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw KpodException.internal("cannot rewrite " + file + ": " + e.getMessage(), e);
        }
    }
}
