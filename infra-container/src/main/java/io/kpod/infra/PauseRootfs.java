package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The infra container's root filesystem, which needs no image: {@code /catatonit}, empty
 * mount-point dirs {@code proc dev sys etc} and empty files {@code etc/hostname etc/hosts
 * etc/resolv.conf}. The runtime mounts it read-only, so every mount point must exist in
 * advance. It is built once, under a lock file, in a temp dir renamed into place, so
 * concurrent kpod processes and crashes never see half of it; every pod reuses it.
 */
public final class PauseRootfs {
    /** Where Debian, Fedora and source installs put catatonit, in search order. */
    public static final List<Path> CATATONIT_CANDIDATES = List.of(
            Path.of("/usr/bin/catatonit"),
            Path.of("/usr/libexec/podman/catatonit"),
            Path.of("/usr/local/libexec/podman/catatonit"),
            Path.of("/usr/local/bin/catatonit"),
            Path.of("/usr/lib/podman/catatonit"),
            Path.of("/usr/libexec/catatonit/catatonit"));

    static final List<String> DIRS = List.of("proc", "dev", "sys", "etc");
    static final List<String> FILES = List.of("etc/hostname", "etc/hosts", "etc/resolv.conf");
    static final String PAUSE_BINARY = "catatonit";

    private PauseRootfs() {
    }

    /** The first executable catatonit among the standard places. */
    public static Path findCatatonit() {
        return findCatatonit(CATATONIT_CANDIDATES);
    }

    /** The first executable file among {@code candidates}, symlinks resolved. */
    public static Path findCatatonit(List<Path> candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw KpodException.runtime("catatonit, the pod's pause process, was not found in " + candidates
                + ": install the catatonit package");
    }

    /** Makes sure the pause rootfs exists at {@code dir}, copying catatonit from the standard places. */
    public static Path ensure(Path dir) {
        if (isComplete(dir)) {
            return dir;
        }
        return ensure(dir, findCatatonit());
    }

    /** Makes sure the pause rootfs exists at {@code dir}, with {@code catatonit} copied in. */
    public static Path ensure(Path dir, Path catatonit) {
        if (isComplete(dir)) {
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        Path tmp = parent.resolve("." + dir.getFileName() + ".tmp-" + UUID.randomUUID());
        // threads of one JVM cannot both hold a file lock, so they queue on the class first
        synchronized (PauseRootfs.class) {
            try {
                Files.createDirectories(parent);
                try (FileChannel lock = FileChannel.open(parent.resolve("." + dir.getFileName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock held = lock.lock()) {
                    if (isComplete(dir)) {
                        return dir;
                    }
                    build(tmp, catatonit);
                    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                        // only complete trees are ever renamed into place, so this is damage from outside
                        Path stale = parent.resolve("." + dir.getFileName() + ".stale-" + UUID.randomUUID());
                        Files.move(dir, stale, StandardCopyOption.ATOMIC_MOVE);
                        deleteTree(stale);
                    }
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                    return dir;
                }
            } catch (IOException e) {
                throw KpodException.internal("cannot create the pause rootfs in " + dir + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(tmp);
            }
        }
    }

    /** Whether {@code dir} holds every file and mount point of a pause rootfs. */
    public static boolean isComplete(Path dir) {
        if (!Files.isExecutable(dir.resolve(PAUSE_BINARY)) || !Files.isRegularFile(dir.resolve(PAUSE_BINARY))) {
            return false;
        }
        return DIRS.stream().allMatch(d -> Files.isDirectory(dir.resolve(d)))
                && FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static void build(Path root, Path catatonit) throws IOException {
        Files.createDirectory(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = root.resolve(PAUSE_BINARY);
        Files.copy(catatonit, bin);
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String d : DIRS) {
            Path p = Files.createDirectory(root.resolve(d));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String f : FILES) {
            Path p = Files.createFile(root.resolve(f));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void deleteQuietly(Path tree) {
        try {
            deleteTree(tree);
        } catch (IOException ignored) {
            // a leftover temp dir next to the rootfs is harmless and has a unique name
        }
    }

    private static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
