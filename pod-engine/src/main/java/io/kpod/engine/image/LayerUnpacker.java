package io.kpod.engine.image;

import io.kpod.engine.sys.FileTrees;
import io.kpod.engine.sys.Libc;
import io.kpod.spec.KpodException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts one OCI layer (tar, gzip, zstd or bzip2, told by magic) into a directory usable as
 * an overlayfs lower dir. Whiteout markers become what overlayfs understands ({@code .wh.X}
 * → char device 0/0 {@code X}; {@code .wh..wh..opq} → {@code trusted.overlay.opaque=y}).
 * Every entry is confined to the directory: {@code ..} components, writes through symlinked
 * parents and hardlinks reaching outside are refused with KpodException INVALID. The caller
 * owns the directory and removes it when unpacking fails (see {@link LayerStore}).
 */
public final class LayerUnpacker {
    /** The layer's diff-id (sha256 of the uncompressed tar) and the tar's uncompressed length. */
    public record Result(String diffId, long size) {
    }

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String SCHILY_XATTR = "SCHILY.xattr.";
    private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";

    private final Path root;
    private final Map<Path, Instant> dirTimes = new LinkedHashMap<>();

    private LayerUnpacker(Path root) {
        this.root = root;
    }

    /** Extracts {@code layer} into the existing directory {@code dir}. */
    public static Result unpack(InputStream layer, Path dir) {
        LayerUnpacker u = new LayerUnpacker(dir.toAbsolutePath());
        MessageDigest md = Digests.sha256();
        try {
            CountingDigestStream tarBytes = new CountingDigestStream(Compression.decompressed(layer), md);
            TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes, "UTF-8");
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                u.extract(entry, tar);
            }
            // the tar's end-of-archive padding belongs to the diff-id too
            tarBytes.transferTo(OutputStream.nullOutputStream());
            u.applyDirTimes();
            return new Result(Digests.format(md.digest()), tarBytes.count);
        } catch (KpodException e) {
            throw e;
        } catch (FileSystemException | Libc.ErrnoException e) {
            throw KpodException.internal("cannot unpack layer into " + dir + ": " + e.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw KpodException.invalid("the layer is not a valid tar archive: " + e.getMessage());
        }
    }

    private void extract(TarArchiveEntry e, InputStream data) throws IOException {
        String name = e.getName();
        List<String> parts = components(name, name);
        String base = parts.isEmpty() ? "" : parts.get(parts.size() - 1);
        if (base.startsWith(WHITEOUT_PREFIX)) {
            whiteout(e, parts, base);
            return;
        }
        if (parts.isEmpty() && !e.isDirectory()) {
            throw refuse(name, "only a directory may name the layer root");
        }
        Path target = prepareParents(name, parts);
        if (e.isDirectory()) {
            BasicFileAttributes old = lstat(target);
            if (old == null || !old.isDirectory()) {
                removeExisting(target);
                Files.createDirectory(target);
            }
            applyMetadata(target, e, false);
            dirTimes.put(target, e.getLastModifiedTime().toInstant());
        } else if (e.isSymbolicLink()) {
            if (e.getLinkName().isEmpty()) {
                throw refuse(name, "symlink with an empty target");
            }
            removeExisting(target);
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            applyMetadata(target, e, true);
        } else if (e.isLink()) {
            hardlink(e, target);
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            removeExisting(target);
            int type = e.isCharacterDevice() ? Libc.S_IFCHR : e.isBlockDevice() ? Libc.S_IFBLK : Libc.S_IFIFO;
            Libc.mknod(target, type | (e.getMode() & 07777), e.getDevMajor(), e.getDevMinor());
            applyMetadata(target, e, false);
        } else if (e.isFile() && !e.isSparse()) {
            removeExisting(target);
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                data.transferTo(out);
            }
            applyMetadata(target, e, false);
        } else {
            throw refuse(name, "unsupported tar entry type '" + (char) e.getLinkFlag() + "'");
        }
    }

    private void whiteout(TarArchiveEntry e, List<String> parts, String base) throws IOException {
        List<String> parent = parts.subList(0, parts.size() - 1);
        if (base.equals(OPAQUE_MARKER)) {
            Path dir = prepareParents(e.getName(), parts).getParent();
            Libc.setXattr(dir, OPAQUE_XATTR, new byte[] {'y'});
            return;
        }
        if (base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
            return; // other .wh..wh.* names are aufs bookkeeping, meaningless to overlayfs
        }
        String hidden = base.substring(WHITEOUT_PREFIX.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw refuse(e.getName(), "whiteout for an invalid name");
        }
        List<String> hiddenParts = new ArrayList<>(parent);
        hiddenParts.add(hidden);
        Path target = prepareParents(e.getName(), hiddenParts);
        removeExisting(target);
        Libc.mknod(target, Libc.S_IFCHR, 0, 0);
        Libc.lchown(target, (int) e.getLongUserId(), (int) e.getLongGroupId());
        Instant t = e.getLastModifiedTime().toInstant();
        Libc.lutimes(target, t.getEpochSecond(), t.getNano());
    }

    private void hardlink(TarArchiveEntry e, Path target) throws IOException {
        List<String> linkParts = components(e.getName(), e.getLinkName());
        if (linkParts.isEmpty()) {
            throw refuse(e.getName(), "hardlink to the layer root");
        }
        Path source = root;
        for (int i = 0; i < linkParts.size(); i++) {
            source = source.resolve(linkParts.get(i));
            BasicFileAttributes a = lstat(source);
            if (a == null) {
                throw refuse(e.getName(), "hardlink target \"" + e.getLinkName() + "\" is not in the layer");
            }
            if (i < linkParts.size() - 1 && !a.isDirectory()) {
                throw refuse(e.getName(), "hardlink target \"" + e.getLinkName() + "\" goes through a "
                        + (a.isSymbolicLink() ? "symlink" : "non-directory"));
            }
            if (i == linkParts.size() - 1 && a.isDirectory()) {
                throw refuse(e.getName(), "hardlink to a directory");
            }
        }
        if (source.equals(target)) {
            return;
        }
        removeExisting(target);
        Files.createLink(target, source);
    }

    /** Splits an archive path into safe components; a leading / is dropped as Podman does. */
    private static List<String> components(String entry, String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw refuse(entry, "\"" + path + "\" contains '..' and could escape the layer directory");
            }
            if (c.indexOf('\0') >= 0) {
                throw refuse(entry, "NUL byte in the path");
            }
            out.add(c);
        }
        return out;
    }

    /** Ensures every parent of {@code parts} is a real directory inside the root; returns the entry's path. */
    private Path prepareParents(String entry, List<String> parts) throws IOException {
        Path p = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            try {
                p = p.resolve(parts.get(i));
            } catch (InvalidPathException ex) {
                throw refuse(entry, ex.getMessage());
            }
            BasicFileAttributes a = lstat(p);
            if (a == null) {
                Files.createDirectory(p);
                Libc.chmod(p, 0755);
            } else if (a.isSymbolicLink()) {
                throw refuse(entry, "its parent \"" + root.relativize(p) + "\" is a symlink");
            } else if (!a.isDirectory()) {
                throw refuse(entry, "its parent \"" + root.relativize(p) + "\" is not a directory");
            }
        }
        return parts.isEmpty() ? root : p.resolve(parts.get(parts.size() - 1));
    }

    private void applyMetadata(Path p, TarArchiveEntry e, boolean symlink) throws IOException {
        Libc.lchown(p, (int) e.getLongUserId(), (int) e.getLongGroupId());
        if (!symlink) {
            // after lchown: chown clears setuid/setgid bits
            Libc.chmod(p, e.getMode() & 07777);
        }
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            String attr;
            byte[] value;
            if (key.startsWith(SCHILY_XATTR)) {
                attr = key.substring(SCHILY_XATTR.length());
                value = h.getValue().getBytes(StandardCharsets.UTF_8);
            } else if (key.startsWith(LIBARCHIVE_XATTR)) {
                attr = java.net.URLDecoder.decode(key.substring(LIBARCHIVE_XATTR.length()), StandardCharsets.UTF_8);
                value = Base64.getDecoder().decode(h.getValue());
            } else {
                continue;
            }
            if (attr.startsWith("trusted.overlay.")) {
                continue; // overlayfs's own namespace: a layer must not forge redirects or metacopy
            }
            Libc.setXattr(p, attr, value);
        }
        if (!e.isDirectory()) {
            Instant t = e.getLastModifiedTime().toInstant();
            Libc.lutimes(p, t.getEpochSecond(), t.getNano());
        }
    }

    /** Directory times last: creating their content would have changed them. */
    private void applyDirTimes() throws IOException {
        for (Map.Entry<Path, Instant> d : dirTimes.entrySet()) {
            if (Files.isDirectory(d.getKey(), LinkOption.NOFOLLOW_LINKS)) {
                Libc.lutimes(d.getKey(), d.getValue().getEpochSecond(), d.getValue().getNano());
            }
        }
    }

    private void removeExisting(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            FileTrees.delete(p);
            dirTimes.keySet().removeIf(d -> d.startsWith(p));
        } else {
            Files.delete(p);
        }
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static KpodException refuse(String entry, String why) {
        return KpodException.invalid("refusing layer entry \"" + entry + "\": " + why);
    }

    /** Hashes and counts every byte of the uncompressed tar as it is read. */
    private static final class CountingDigestStream extends FilterInputStream {
        private final MessageDigest md;
        long count;

        CountingDigestStream(InputStream in, MessageDigest md) {
            super(in);
            this.md = md;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                md.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                md.update(buf, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // read instead of skipping so skipped bytes are hashed too
            byte[] buf = new byte[8192];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
