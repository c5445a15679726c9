package io.kpod.engine.image;

import io.kpod.engine.sys.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A comparable description of a file tree: type, mode, owner, mtime, content, link, device, xattrs. */
final class TreeSnapshot {
    private TreeSnapshot() {
    }

    static Map<String, String> of(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                if (p.equals(root)) {
                    continue;
                }
                out.put(root.relativize(p).toString(), describe(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static String describe(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("mode=%o uid=%s gid=%s", mode, a.get("uid"), a.get("gid")));
        boolean symlink = (mode & 0170000) == 0120000;
        boolean dir = (mode & 0170000) == 0040000;
        if (!symlink) {
            sb.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond());
        }
        if ((mode & 0170000) == 0100000) {
            sb.append(" content=").append(Digests.of(Files.readAllBytes(p)));
        }
        if (symlink) {
            sb.append(" -> ").append(Files.readSymbolicLink(p));
        }
        if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000) {
            sb.append(" rdev=").append(a.get("rdev"));
        }
        for (String x : new java.util.TreeSet<>(Libc.listXattrs(p))) {
            if (x.startsWith("trusted.overlay.") && !(dir && x.equals("trusted.overlay.opaque"))) {
                continue;
            }
            sb.append(" ").append(x).append('=').append(new String(Libc.getXattr(p, x)));
        }
        return sb.toString();
    }
}
