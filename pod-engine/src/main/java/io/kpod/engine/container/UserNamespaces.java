package io.kpod.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.EngineContext;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.state.ObjectLock;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.IdMappings;
import io.kpod.spec.IdMappings.IdMap;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * User namespaces ({@code --userns=auto}, {@code --uidmap}, a pod's {@code --userns}): picking
 * host ranges for {@code auto} from a pool no other container or pod of this store holds,
 * giving runc the mappings, and making what the container sees owned by its own root: image
 * layers are copied once per mapping with their owners shifted (kept beside the layer, so they
 * go with it), and a new named volume's root directory is handed to the container's root.
 */
public final class UserNamespaces {
    /**
     * Where {@code auto} takes host IDs when /etc/subuid (/etc/subgid) has no {@code containers}
     * entry: 2^30 IDs from 2^30, far above the ranges useradd hands out (from 100000).
     */
    static final long DEFAULT_POOL_START = 1L << 30;
    static final long DEFAULT_POOL_SIZE = 1L << 30;
    /** containers/storage's bounds for a size taken from the image. */
    static final long AUTO_MIN = 1024;
    static final long AUTO_MAX = 65536;
    private static final String POOL_USER = "containers";

    private UserNamespaces() {
    }

    /**
     * A {@code --userns} mode without explicit mappings: null for the host's ({@code ""},
     * {@code host}), an auto request for {@code auto[:size=N]} and {@code private}. The
     * rootless-only modes are refused with that reason.
     */
    public static IdMappings parseMode(String userns) {
        String mode = userns == null ? "" : userns.strip();
        if (mode.isEmpty() || mode.equals("host")) {
            return null;
        }
        if (mode.equals("private")) {
            return IdMappings.auto(null);
        }
        if (mode.equals("auto") || mode.startsWith("auto:")) {
            Long size = null;
            for (String o : mode.substring(4).replaceFirst("^:", "").split(",")) {
                if (o.isBlank()) {
                    continue;
                }
                if (!o.startsWith("size=")) {
                    throw KpodException.invalid("unsupported --userns=auto option \"" + o + "\": kpod takes size=N");
                }
                try {
                    size = Long.parseLong(o.substring(5));
                } catch (NumberFormatException e) {
                    throw KpodException.invalid("invalid --userns=auto size \"" + o.substring(5) + "\"");
                }
            }
            return IdMappings.auto(size);
        }
        if (mode.startsWith("keep-id") || mode.equals("nomap")) {
            throw KpodException.invalid("--userns=" + mode + " is only supported in rootless mode; kpod runs as root: "
                    + "use auto or --uidmap");
        }
        throw KpodException.invalid("--userns=" + mode + " is not supported: use host, auto[:size=N], private or "
                + "--uidmap/--gidmap");
    }

    /** Runs {@code body} (allocation and the row insert that records it) under the store's userns lock. */
    public static <T> T locked(EngineContext ctx, Supplier<T> body) {
        try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), "userns-allocation")) {
            return body.get();
        }
    }

    /**
     * An {@code auto} request with host ranges allocated (call under {@link #locked}); given
     * mappings are returned as they are. {@code layersTopFirst} size the range when no size was asked.
     */
    public static IdMappings resolve(EngineContext ctx, IdMappings req, List<Path> layersTopFirst) {
        if (req == null || req.resolved()) {
            return req;
        }
        long size = req.autoSize() != null ? req.autoSize() : sizeFor(layersTopFirst);
        List<IdMap> usedUids = new ArrayList<>();
        List<IdMap> usedGids = new ArrayList<>();
        for (ContainerRow r : ctx.store().containers()) {
            IdMappings m = r.record().spec().userns();
            if (m != null) {
                usedUids.addAll(m.uids());
                usedGids.addAll(m.gids());
            }
        }
        for (PodRecord p : ctx.store().listNamed("pods", PodRecord.class)) {
            IdMappings m = p.spec().userns();
            if (m != null) {
                usedUids.addAll(m.uids());
                usedGids.addAll(m.gids());
            }
        }
        long uid = free(pool(Path.of("/etc/subuid")), usedUids, size, "UIDs");
        long gid = free(pool(Path.of("/etc/subgid")), usedGids, size, "GIDs");
        return req.allocated(List.of(new IdMap(0, uid, size)), List.of(new IdMap(0, gid, size)));
    }

    /** {@code --subuidname}/{@code --subgidname}: the ranges /etc/subuid and /etc/subgid give {@code user}, from container ID 0. */
    public static List<IdMap> subordinate(Path file, String user) {
        List<IdMap> out = new ArrayList<>();
        long next = 0;
        for (long[] r : ranges(file, user)) {
            out.add(new IdMap(next, r[0], r[1]));
            next += r[1];
        }
        if (out.isEmpty()) {
            throw KpodException.invalid("no ranges for \"" + user + "\" in " + file);
        }
        return out;
    }

    /** The host ranges {@code auto} may use: the {@code containers} user's subordinate IDs, or kpod's default pool. */
    private static List<long[]> pool(Path file) {
        List<long[]> r = ranges(file, POOL_USER);
        return r.isEmpty() ? List.<long[]>of(new long[] {DEFAULT_POOL_START, DEFAULT_POOL_SIZE}) : r;
    }

    private static List<long[]> ranges(Path file, String user) {
        List<long[]> out = new ArrayList<>();
        if (!Files.isReadable(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.strip().split(":");
                if (f.length == 3 && f[0].equals(user)) {
                    try {
                        out.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                    } catch (NumberFormatException e) {
                        throw KpodException.invalid("invalid line \"" + line + "\" in " + file);
                    }
                }
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The first start in {@code pool}, on a 65536 boundary of the pool, of {@code size} IDs nobody uses. */
    private static long free(List<long[]> pool, List<IdMap> used, long size, String what) {
        List<IdMap> sorted = new ArrayList<>(used);
        sorted.sort(Comparator.comparingLong(IdMap::hostId));
        for (long[] range : pool) {
            long start = range[0];
            long end = range[0] + range[1];
            long at = start;
            while (at + size <= end) {
                long clash = -1;
                for (IdMap u : sorted) {
                    if (at < u.hostId() + u.size() && u.hostId() < at + size) {
                        clash = u.hostId() + u.size();
                        break;
                    }
                }
                if (clash < 0) {
                    return at;
                }
                long step = AUTO_MAX;
                at = start + ((clash - start + step - 1) / step) * step;
            }
        }
        throw KpodException.conflict("no free range of " + size + " host " + what + " left for --userns=auto");
    }

    /**
     * As containers/storage sizes an automatic namespace: one more than the highest owner of
     * any file in the image and any ID its /etc/passwd and /etc/group name, within 1024..65536.
     */
    static long sizeFor(List<Path> layersTopFirst) {
        long[] max = {0};
        for (Path layer : layersTopFirst) {
            try {
                Files.walkFileTree(layer, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        see(dir);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        see(file);
                        return FileVisitResult.CONTINUE;
                    }

                    private void see(Path p) throws IOException {
                        Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
                        max[0] = Math.max(max[0], Math.max(Integer.toUnsignedLong((Integer) a.get("uid")),
                                Integer.toUnsignedLong((Integer) a.get("gid"))));
                    }
                });
            } catch (IOException e) {
                throw KpodException.internal("cannot read layer " + layer + ": " + e.getMessage(), e);
            }
        }
        for (String f : List.of("etc/passwd", "etc/group")) {
            for (Path layer : layersTopFirst) {
                Path p = layer.resolve(f);
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    max[0] = Math.max(max[0], highestId(p));
                    break;
                }
            }
        }
        return Math.min(Math.max(max[0] + 1, AUTO_MIN), Math.max(AUTO_MAX, max[0] + 1));
    }

    private static long highestId(Path passwdOrGroup) {
        long max = 0;
        try {
            for (String line : Files.readAllLines(passwdOrGroup, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                String[] f = line.split(":");
                for (int i = 2; i <= 3 && i < f.length; i++) {
                    if (f[i].matches("[0-9]{1,10}")) {
                        long id = Long.parseLong(f[i]);
                        // the overflow IDs are "nobody" seen from a namespace, not IDs an image owns
                        if (id < 65534 || id > 65535) {
                            max = Math.max(max, id);
                        }
                    }
                    if (passwdOrGroup.getFileName().toString().equals("group")) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return max;
    }

    /**
     * Puts the user namespace into an OCI config: a new one (or {@code joinPath}, a pod's pinned
     * one) with the mappings runc writes (runc wants them even when it joins). A container whose
     * network namespace is not its own cannot mount sysfs from its user namespace, so /sys is
     * bound from the host, read-only, as Podman does.
     */
    static void apply(ObjectNode config, IdMappings m) {
        ObjectNode linux = (ObjectNode) config.get("linux");
        ArrayNode ns = (ArrayNode) linux.get("namespaces");
        boolean hasUser = false;
        boolean ownNet = false;
        for (JsonNode n : ns) {
            hasUser |= n.path("type").asText().equals("user");
            ownNet |= n.path("type").asText().equals("network") && !n.has("path");
        }
        if (!hasUser) {
            ns.insertObject(0).put("type", "user");
        }
        boolean joinsUser = false;
        for (JsonNode n : ns) {
            joinsUser |= n.path("type").asText().equals("user") && n.has("path");
        }
        mappings(linux.putArray("uidMappings"), m.uids());
        mappings(linux.putArray("gidMappings"), m.gids());
        if (!ownNet && !joinsUser) {
            for (JsonNode mount : config.get("mounts")) {
                if (mount.path("destination").asText().equals("/sys") && mount.path("type").asText().equals("sysfs")) {
                    ObjectNode o = (ObjectNode) mount;
                    o.put("type", "bind");
                    o.put("source", "/sys");
                    ArrayNode opts = o.putArray("options");
                    List.of("rprivate", "nosuid", "noexec", "nodev", "ro", "rbind").forEach(opts::add);
                }
            }
        }
    }

    /**
     * runc mounts the root filesystem and every bind source from inside the user namespace,
     * where the host's root is nobody: each directory on the way to them must let others
     * search it (o+x, without r nobody can list it), as Podman's storage does with 0711.
     */
    static void allowTraversal(ObjectNode config) {
        List<Path> targets = new ArrayList<>();
        targets.add(Path.of(config.at("/root/path").asText()));
        for (JsonNode mount : config.get("mounts")) {
            if (mount.path("type").asText().equals("bind") && mount.path("source").asText().startsWith("/")) {
                targets.add(Path.of(mount.path("source").asText()));
            }
        }
        java.util.Set<Path> done = new java.util.HashSet<>();
        for (Path t : targets) {
            for (Path dir = t.getParent(); dir != null && done.add(dir); dir = dir.getParent()) {
                try {
                    int mode = (Integer) Files.getAttribute(dir, "unix:mode");
                    if ((mode & 01) == 0) {
                        Files.setAttribute(dir, "unix:mode", (mode & 07777) | 01);
                    }
                } catch (IOException e) {
                    throw KpodException.runtime("cannot let the user namespace reach " + t + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static void mappings(ArrayNode a, List<IdMap> maps) {
        for (IdMap m : maps) {
            ObjectNode o = a.addObject();
            o.put("containerID", m.containerId());
            o.put("hostID", m.hostId());
            o.put("size", m.size());
        }
    }

    /**
     * The image layers as the container's root must see them: for each, a copy with every
     * owner shifted into the namespace, made once per mapping and kept in the layer's own dir
     * ({@code layers/<id>/mapped/<key>}), so removing the layer removes its copies.
     */
    static List<Path> mappedLayers(EngineContext ctx, List<Path> layersTopFirst, IdMappings m) {
        List<Path> out = new ArrayList<>();
        for (Path diff : layersTopFirst) {
            out.add(mappedCopy(ctx, diff, diff.resolveSibling("mapped").resolve(m.key()), m));
        }
        return out;
    }

    /** The pause rootfs of a pod's infra, owned by the pod's root: {@code pause-mapped/<key>} beside it. */
    static Path mappedPause(EngineContext ctx, Path pause, IdMappings m) {
        return mappedCopy(ctx, pause, pause.resolveSibling("pause-mapped").resolve(m.key()), m);
    }

    private static Path mappedCopy(EngineContext ctx, Path source, Path target, IdMappings m) {
        if (!Files.isDirectory(target)) {
            try (ObjectLock l = ObjectLock.acquire(ctx.paths().locksDir(), "mapped-"
                    + Integer.toHexString(target.toString().hashCode()))) {
                if (!Files.isDirectory(target)) {
                    copyShifted(source, target, m);
                }
            }
        }
        return target;
    }

    /**
     * Removes the copies made for {@code m} once no container or pod of the store uses these
     * mappings any more (auto gives every container its own, so they would pile up otherwise).
     */
    public static void releaseCopies(EngineContext ctx, IdMappings m, java.util.Collection<String> imageIds) {
        List<Path> layerDirs = new ArrayList<>();
        for (String id : imageIds) {
            if (id != null && !id.isEmpty() && ctx.images().exists(id)) {
                layerDirs.addAll(ctx.images().layerDirs(id));
            }
        }
        releaseCopies(ctx, m, layerDirs);
    }

    private static void releaseCopies(EngineContext ctx, IdMappings m, List<Path> layerDirs) {
        if (m == null || !m.resolved()) {
            return;
        }
        String key = m.key();
        boolean used = ctx.store().containers().stream().anyMatch(r -> r.record().spec().userns() != null
                && r.record().spec().userns().key().equals(key))
                || ctx.store().listNamed("pods", PodRecord.class).stream().anyMatch(p -> p.spec().userns() != null
                && p.spec().userns().key().equals(key));
        if (used) {
            return;
        }
        List<Path> copies = new ArrayList<>();
        layerDirs.forEach(d -> copies.add(d.resolveSibling("mapped").resolve(key)));
        copies.add(ctx.paths().graphRoot().resolve("pause-mapped").resolve(key));
        for (Path c : copies) {
            try {
                io.kpod.engine.sys.FileTrees.delete(c);
            } catch (IOException e) {
                // only disk space: the next removal of a container with these mappings tries again
            }
        }
    }

    private static void copyShifted(Path diff, Path target, IdMappings m) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            io.kpod.engine.sys.FileTrees.delete(tmp);
            Files.createDirectories(tmp.getParent());
            // cp keeps hard links, device nodes (whiteouts), xattrs, modes and times; kpod then shifts owners
            Process p = new ProcessBuilder("cp", "-a", "--reflink=auto", diff.toString(), tmp.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw KpodException.runtime("cannot copy layer " + diff + " for a user namespace: " + out.strip());
            }
            shift(tmp, m);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw KpodException.runtime("cannot prepare layer " + diff + " for a user namespace: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted while preparing a layer for a user namespace");
        } finally {
            try {
                io.kpod.engine.sys.FileTrees.delete(tmp);
            } catch (IOException ignored) {
                // a left-over temp copy is replaced by the next attempt
            }
        }
    }

    /** A copy of {@code upper} at {@code target} with host owners turned back into the container's. */
    static Path unshiftedCopy(Path upper, Path target, IdMappings m) {
        try {
            io.kpod.engine.sys.FileTrees.delete(target);
        } catch (IOException e) {
            throw KpodException.internal("cannot clear " + target + ": " + e.getMessage(), e);
        }
        copyShifted(upper, target, m.inverse());
        return target;
    }

    /**
     * Shifts the owner of every file under {@code root} by the mappings; an owner the namespace
     * does not map becomes the overflow ID 65534 (nobody). chown clears set-ID bits, so the
     * mode of each non-link is written back afterwards.
     */
    static void shift(Path root, IdMappings m) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                chown(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                chown(file);
                return FileVisitResult.CONTINUE;
            }

            private void chown(Path p) throws IOException {
                Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                long uid = m.hostUid(Integer.toUnsignedLong((Integer) a.get("uid")));
                long gid = m.hostGid(Integer.toUnsignedLong((Integer) a.get("gid")));
                setOwner(p, uid < 0 ? 65534 : uid, gid < 0 ? 65534 : gid);
                if (!Files.isSymbolicLink(p)) {
                    Files.setAttribute(p, "unix:mode", (Integer) a.get("mode") & 07777, LinkOption.NOFOLLOW_LINKS);
                }
            }
        });
    }

    /** lchown with IDs up to 2^32-2 (Java's attribute takes an int: the bits are what the kernel reads). */
    static void setOwner(Path p, long uid, long gid) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Hands {@code dir} to the namespace's root when the host's root still owns it and it is
     * empty (a new volume, a fresh upper dir), as Podman gives new volumes to the container.
     */
    static void giveToRoot(Path dir, IdMappings m) {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
            if ((Integer) a.get("uid") != 0 || (Integer) a.get("gid") != 0) {
                return;
            }
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    return;
                }
            }
            long uid = m.hostUid(0);
            long gid = m.hostGid(0);
            if (uid >= 0 && gid >= 0) {
                setOwner(dir, uid, gid);
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot give " + dir + " to the container's root: " + e.getMessage(), e);
        }
    }
}
