package io.kpod.engine.image;

import io.kpod.engine.sys.Libc;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The reverse of {@link LayerUnpacker}: turns an overlayfs upper dir into an OCI layer tar
 * (for {@code commit} and {@code save}). Overlay whiteouts (char device 0/0) become
 * {@code .wh.X} markers, opaque dirs get a {@code .wh..wh..opq} marker, hardlinks within the
 * dir become tar links, and extended attributes go into PAX {@code SCHILY.xattr.*} records
 * (except overlayfs's private {@code trusted.overlay.*}). Entries are written in sorted order,
 * so the same tree always yields the same tar and diff-id.
 */
public final class LayerDiffer {
    private final Path root;
    private final TarArchiveOutputStream tar;
    private final Map<String, String> firstLinkByInode = new HashMap<>();

    private LayerDiffer(Path root, TarArchiveOutputStream tar) {
        this.root = root;
        this.tar = tar;
    }

    /** Writes {@code upperDir} as an uncompressed layer tar to {@code out}; returns its diff-id. */
    public static LayerUnpacker.Result export(Path upperDir, OutputStream out) {
        MessageDigest md = Digests.sha256();
        CountingStream counting = new CountingStream(new DigestOutputStream(out, md));
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(counting, "UTF-8");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            new LayerDiffer(upperDir, tar).walk(upperDir);
            tar.finish();
            tar.flush();
            return new LayerUnpacker.Result(Digests.format(md.digest()), counting.count);
        } catch (IOException e) {
            throw KpodException.internal("cannot export " + upperDir + " as a layer: " + e.getMessage(), e);
        }
    }

    private void walk(Path dir) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted().toList();
        }
        for (Path p : children) {
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            String name = root.relativize(p).toString();
            int mode = (Integer) a.get("mode");
            int type = mode & 0170000;
            long rdev = (Long) a.get("rdev");
            if (type == Libc.S_IFCHR && rdev == 0) {
                String parent = p.getParent().equals(root) ? "" : root.relativize(p.getParent()) + "/";
                TarArchiveEntry wh = new TarArchiveEntry(parent + LayerUnpacker.WHITEOUT_PREFIX + p.getFileName(),
                        TarConstants.LF_NORMAL);
                common(wh, a, p, false);
                wh.setMode(0);
                tar.putArchiveEntry(wh);
                tar.closeArchiveEntry();
                continue;
            }
            if (type == 0040000) {
                TarArchiveEntry e = new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
                common(e, a, p, true);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                byte[] opaque = Libc.getXattr(p, LayerUnpacker.OPAQUE_XATTR);
                if (opaque != null && Arrays.equals(opaque, new byte[] {'y'})) {
                    TarArchiveEntry marker = new TarArchiveEntry(name + "/" + LayerUnpacker.OPAQUE_MARKER,
                            TarConstants.LF_NORMAL);
                    common(marker, a, p, false);
                    marker.setMode(0);
                    tar.putArchiveEntry(marker);
                    tar.closeArchiveEntry();
                }
                walk(p);
                continue;
            }
            TarArchiveEntry e;
            boolean content = false;
            if (type == 0120000) {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                e.setLinkName(Files.readSymbolicLink(p).toString());
            } else if (type == 0100000) {
                String inode = a.get("dev") + ":" + a.get("ino");
                String first = (Integer) a.get("nlink") > 1 ? firstLinkByInode.putIfAbsent(inode, name) : null;
                if (first != null) {
                    e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                    e.setLinkName(first);
                } else {
                    e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
                    e.setSize((Long) a.get("size"));
                    content = true;
                }
            } else if (type == Libc.S_IFCHR || type == Libc.S_IFBLK) {
                e = new TarArchiveEntry(name, type == Libc.S_IFCHR ? TarConstants.LF_CHR : TarConstants.LF_BLK);
                e.setDevMajor((int) (((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL)));
                e.setDevMinor((int) ((rdev & 0xff) | ((rdev >> 12) & ~0xffL)));
            } else if (type == Libc.S_IFIFO) {
                e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
            } else {
                continue; // sockets cannot be stored in a tar; Docker and Podman skip them too
            }
            common(e, a, p, !e.isLink());
            tar.putArchiveEntry(e);
            if (content) {
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
        }
    }

    /** Owner, mode and mtime from {@code a}; the xattrs of {@code p} only for a real entry, not a marker. */
    private void common(TarArchiveEntry e, Map<String, Object> a, Path p, boolean xattrs) throws IOException {
        e.setMode((Integer) a.get("mode") & 07777);
        e.setUserId(((Integer) a.get("uid")).longValue());
        e.setGroupId(((Integer) a.get("gid")).longValue());
        e.setModTime(FileTime.from(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond(),
                java.util.concurrent.TimeUnit.SECONDS));
        if (!xattrs) {
            return;
        }
        for (String attr : Libc.listXattrs(p)) {
            if (attr.startsWith("trusted.overlay.")) {
                continue;
            }
            byte[] value = Libc.getXattr(p, attr);
            if (value != null) {
                e.addPaxHeader("SCHILY.xattr." + attr, new String(value, StandardCharsets.UTF_8));
            }
        }
    }

    /** Counts bytes written, for the layer's uncompressed size. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
