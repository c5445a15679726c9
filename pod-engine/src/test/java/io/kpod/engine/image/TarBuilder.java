package io.kpod.engine.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Hand-made layer tars for tests, entry by entry, including hostile ones. */
final class TarBuilder {
    static final long MTIME = 1_600_000_000L;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
        tar = new TarArchiveOutputStream(bytes, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder dir(String name, int mode) {
        return put(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode, 0, 0), null);
    }

    TarBuilder file(String name, String content) {
        return file(name, content, 0644, 0, 0, Map.of());
    }

    TarBuilder file(String name, String content, int mode, int uid, int gid, Map<String, String> xattrs) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode, uid, gid);
        e.setSize(data.length);
        xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
        return put(e, data);
    }

    TarBuilder file(String name, byte[] data) {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644, 0, 0);
        e.setSize(data.length);
        return put(e, data);
    }

    TarBuilder symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777, 0, 0);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644, 0, 0);
        e.setLinkName(target);
        return put(e, null);
    }

    TarBuilder device(String name, byte type, int major, int minor, int mode) {
        TarArchiveEntry e = entry(name, type, mode, 0, 0);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, null);
    }

    private static TarArchiveEntry entry(String name, byte type, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setModTime(FileTime.from(MTIME, TimeUnit.SECONDS));
        return e;
    }

    private TarBuilder put(TarArchiveEntry e, byte[] data) {
        try {
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] build() {
        try {
            tar.finish();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    Path writeTo(Path file) {
        try {
            Files.write(file, build());
            return file;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
