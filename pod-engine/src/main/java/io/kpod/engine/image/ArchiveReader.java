package io.kpod.engine.image;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The outer tar of an image archive (docker-archive or oci-archive, plain, gzip or zstd), read
 * once from a stream: every regular file is spooled to its own numbered file in a temp dir of
 * the store and hashed on the way, so a blob can later be renamed into the blob store without
 * a second copy. Nothing is ever extracted under an archive path. Paths with {@code ..} or a
 * leading {@code /}, duplicate entries, device nodes and links that leave the archive are
 * refused; links between members (Docker's shared {@code layer.tar}) are followed.
 */
final class ArchiveReader implements AutoCloseable {
    /** A spooled member: where its bytes are, their sha256 and length. */
    record Member(String name, Path file, String digest, long size) {
    }

    private static final int MAX_LINK_HOPS = 32;

    private final Path spoolDir;
    private final Map<String, Member> files = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private final java.util.Set<String> dirs = new java.util.HashSet<>();

    private ArchiveReader(Path spoolDir) {
        this.spoolDir = spoolDir;
    }

    /** Reads the whole archive from {@code raw} into {@code spoolDir}, which must not exist yet. */
    static ArchiveReader read(InputStream raw, Path spoolDir) {
        ArchiveReader r = new ArchiveReader(spoolDir);
        try {
            Files.createDirectories(spoolDir);
            TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompressed(raw), "UTF-8");
            TarArchiveEntry e;
            int n = 0;
            while ((e = tar.getNextEntry()) != null) {
                r.add(e, tar, n++);
            }
            if (n == 0) {
                throw KpodException.invalid("the archive is empty or not a tar file");
            }
            return r;
        } catch (IOException | IllegalArgumentException e) {
            r.close();
            throw KpodException.invalid("the image archive is not a valid tar file: " + e.getMessage());
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void add(TarArchiveEntry e, InputStream data, int n) throws IOException {
        String name = normalize(e.getName(), e.getName());
        if (name.isEmpty()) {
            if (e.isDirectory()) {
                return;
            }
            throw refuse(e.getName(), "it names the archive root");
        }
        if (files.containsKey(name) || links.containsKey(name) || dirs.contains(name)) {
            throw refuse(e.getName(), "the archive holds it twice");
        }
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            // checked first: commons-compress calls any entry not named like a directory a file
            throw refuse(e.getName(), "an image archive holds only files, directories and links");
        }
        if (e.isDirectory()) {
            dirs.add(name);
        } else if (e.isSymbolicLink()) {
            String target = e.getLinkName();
            if (target.startsWith("/")) {
                throw refuse(e.getName(), "it is a symlink to the absolute path \"" + target + "\"");
            }
            String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
            links.put(name, linkTarget(e.getName(), parent + target));
        } else if (e.isLink()) {
            links.put(name, normalize(e.getName(), e.getLinkName()));
        } else if (e.isFile() && !e.isSparse()) {
            Path file = spoolDir.resolve(Integer.toString(n));
            MessageDigest md = Digests.sha256();
            long size;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), md)) {
                size = data.transferTo(out);
                out.flush();
                ch.force(true);
            }
            files.put(name, new Member(name, file, Digests.format(md.digest()), size));
        } else {
            throw refuse(e.getName(), "an image archive holds only files, directories and links");
        }
    }

    /** The archive path as {@code a/b/c}; {@code ..} anywhere, an absolute path or a NUL byte is refused. */
    private static String normalize(String entry, String path) {
        if (path.startsWith("/")) {
            throw refuse(entry, "\"" + path + "\" is an absolute path");
        }
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..") || c.indexOf('\0') >= 0) {
                throw refuse(entry, "\"" + path + "\" points outside the archive");
            }
            out.add(c);
        }
        return String.join("/", out);
    }

    /** A symlink's target within the archive: {@code ..} may climb, but never above the archive's root. */
    private static String linkTarget(String entry, String path) {
        java.util.Deque<String> out = new java.util.ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.indexOf('\0') >= 0) {
                throw refuse(entry, "NUL byte in the link target");
            }
            if (c.equals("..")) {
                if (out.isEmpty()) {
                    throw refuse(entry, "it is a symlink that points outside the archive");
                }
                out.removeLast();
            } else {
                out.addLast(c);
            }
        }
        return String.join("/", out);
    }

    /** The regular file at {@code path}, following links between members. */
    Optional<Member> find(String path) {
        String p = normalize(path, path);
        for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
            Member m = files.get(p);
            if (m != null) {
                return Optional.of(m);
            }
            String resolved = resolveOneLink(p);
            if (resolved == null) {
                return Optional.empty();
            }
            p = resolved;
        }
        throw refuse(path, "too many levels of links");
    }

    /** Replaces the first linked component of {@code p} with the link's target; null when none is a link. */
    private String resolveOneLink(String p) {
        String[] parts = p.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(parts[i]);
            String target = links.get(prefix.toString());
            if (target != null) {
                StringBuilder rest = new StringBuilder(target);
                for (int j = i + 1; j < parts.length; j++) {
                    rest.append('/').append(parts[j]);
                }
                return rest.toString();
            }
        }
        return null;
    }

    boolean has(String path) {
        return find(path).isPresent();
    }

    /** The member at {@code path}; INVALID naming {@code what} when the archive lacks it. */
    Member require(String path, String what) {
        return find(path).orElseThrow(() -> KpodException.invalid("the image archive has no " + what
                + " (\"" + path + "\")"));
    }

    /** A small member's bytes (JSON documents). */
    byte[] bytes(Member m) {
        if (m.size() > 64L << 20) {
            throw KpodException.invalid("\"" + m.name() + "\" in the image archive is too large for a JSON document");
        }
        try {
            return Files.readAllBytes(m.file());
        } catch (IOException e) {
            throw KpodException.internal("cannot read the spooled archive member " + m.name() + ": " + e.getMessage(), e);
        }
    }

    InputStream open(Member m) {
        try {
            return Files.newInputStream(m.file());
        } catch (IOException e) {
            throw KpodException.internal("cannot read the spooled archive member " + m.name() + ": " + e.getMessage(), e);
        }
    }

    private static KpodException refuse(String entry, String why) {
        return KpodException.invalid("refusing image archive entry \"" + entry + "\": " + why);
    }

    @Override
    public void close() {
        LayerStore.deleteTree(spoolDir);
    }
}
