package io.kpod.engine.container;

import io.kpod.engine.EngineContext;
import io.kpod.engine.oci.OciMount;
import io.kpod.engine.secret.SecretRecord;
import io.kpod.engine.secret.SecretService;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.sys.FileTrees;
import io.kpod.engine.volume.VolumeRecord;
import io.kpod.engine.volume.VolumeService;
import io.kpod.spec.KpodException;
import io.kpod.spec.SecretMount;
import io.kpod.spec.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns a container's volumes, bind mounts, tmpfs mounts, image mounts, secrets and generated
 * etc files into OCI mounts at start time, creating (and mounting) what must exist first.
 */
final class MountPlanner {
    private final EngineContext ctx;
    private final VolumeService volumes;
    private final SecretService secrets;
    private final RootfsMounter mounter;

    MountPlanner(EngineContext ctx, VolumeService volumes, SecretService secrets, RootfsMounter mounter) {
        this.ctx = ctx;
        this.volumes = volumes;
        this.secrets = secrets;
        this.mounter = mounter;
    }

    /** The user's mounts, with named volumes created and mounted and image content copied up into new ones. */
    List<OciMount> userMounts(ContainerRecord rec, Path rootfs) {
        List<OciMount> out = new ArrayList<>();
        int images = 0;
        for (VolumeMount m : rec.mounts()) {
            switch (m.type()) {
                case BIND -> {
                    Path src = Path.of(m.source());
                    if (!Files.exists(src)) {
                        throw KpodException.invalid("cannot mount " + m.source() + " at " + m.destination()
                                + ": the host path does not exist");
                    }
                    out.add(new OciMount(m.destination(), "bind", m.source(), bindOptions(m)));
                }
                case VOLUME -> {
                    // containers starting side by side with one new volume: one creates, mounts and fills it
                    try (var l = io.kpod.engine.state.ObjectLock.acquire(ctx.paths().locksDir(),
                            "volume-use-" + m.source())) {
                        VolumeRecord v = volumes.find(m.source()).orElseGet(() ->
                                volumes.create(m.source(), Map.of(), Map.of(), false, true));
                        volumes.ensureMounted(v);
                        if (rec.spec().userns() != null) {
                            UserNamespaces.giveToRoot(Path.of(v.mountpoint()), rec.spec().userns());
                        }
                        String subPath = subPath(m);
                        if (subPath == null) {
                            if (!v.options().containsKey("nocopy")) {
                                copyUp(rootfs, m.destination(), Path.of(v.mountpoint()));
                            }
                            out.add(new OciMount(m.destination(), "bind", v.mountpoint(), bindOptions(m)));
                        } else {
                            out.add(new OciMount(m.destination(), "bind",
                                    subPathSource(Path.of(v.mountpoint()), subPath, m).toString(), bindOptions(m)));
                        }
                    }
                }
                case TMPFS -> {
                    List<String> opts = new ArrayList<>(List.of("rw", "rprivate", "nosuid", "nodev"));
                    for (String o : m.options()) {
                        if (o.equals("ro")) {
                            opts.remove("rw");
                        }
                        if (!opts.contains(o)) {
                            opts.add(o);
                        }
                    }
                    out.add(new OciMount(m.destination(), "tmpfs", "tmpfs", opts));
                }
                case IMAGE -> {
                    // the source is the image id, fixed at create; the overlay is unmounted with the rootfs
                    if (!ctx.images().exists(m.source())) {
                        throw KpodException.notFound("the image " + m.source().substring(0, Math.min(12,
                                m.source().length())) + " mounted at " + m.destination() + " in container "
                                + rec.name() + " no longer exists");
                    }
                    List<Path> layers = ctx.images().layerDirs(m.source());
                    if (rec.spec().userns() != null) {
                        layers = UserNamespaces.mappedLayers(ctx, layers, rec.spec().userns());
                    }
                    Path merged = mounter.mountImage(rec.id(), images++, layers, m.readOnly());
                    String subPath = subPath(m);
                    Path src = subPath == null ? merged : imageSubPath(merged, subPath, m);
                    out.add(new OciMount(m.destination(), "bind", src.toString(), bindOptions(m)));
                }
                default -> throw new IllegalStateException(m.type().toString());
            }
        }
        return out;
    }

    private static String subPath(VolumeMount m) {
        for (String o : m.options()) {
            if (o.startsWith("subpath=")) {
                return o.substring("subpath=".length());
            }
        }
        return null;
    }

    /**
     * A directory or file inside a volume, as Kubernetes' {@code subPath} and Podman's
     * {@code subpath=} mount it. Missing directories are created; a path that leaves the volume,
     * directly or through a symlink, is refused.
     */
    static Path subPathSource(Path volumeDir, String subPath, VolumeMount m) {
        if (subPath.startsWith("/") || Path.of(subPath).normalize().startsWith("..")) {
            throw KpodException.invalid("subpath \"" + subPath + "\" of the mount at " + m.destination()
                    + " must be a relative path inside the volume");
        }
        try {
            Path base = volumeDir.toRealPath();
            Path target = base.resolve(subPath).normalize();
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target);
            }
            Path real = target.toRealPath();
            if (!real.startsWith(base)) {
                throw KpodException.invalid("subpath \"" + subPath + "\" of the mount at " + m.destination()
                        + " leaves the volume");
            }
            return real;
        } catch (IOException e) {
            throw KpodException.runtime("cannot prepare subpath " + subPath + " for " + m.destination() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A path inside a mounted image ({@code subPath} of a Kubernetes image volume): it must exist there. */
    static Path imageSubPath(Path merged, String subPath, VolumeMount m) {
        if (subPath.startsWith("/") || Path.of(subPath).normalize().startsWith("..")) {
            throw KpodException.invalid("subpath \"" + subPath + "\" of the image mount at " + m.destination()
                    + " must be a relative path inside the image");
        }
        try {
            Path base = merged.toRealPath();
            Path real = base.resolve(subPath).normalize().toRealPath();
            if (!real.startsWith(base)) {
                throw KpodException.invalid("subpath \"" + subPath + "\" of the image mount at " + m.destination()
                        + " leaves the image");
            }
            return real;
        } catch (IOException e) {
            throw KpodException.invalid("subpath \"" + subPath + "\" of the image mount at " + m.destination()
                    + " does not exist in the image");
        }
    }

    private static List<String> bindOptions(VolumeMount m) {
        List<String> opts = new ArrayList<>(List.of("rbind", m.readOnly() ? "ro" : "rw", "rprivate"));
        for (String o : m.options()) {
            if (Set.of("nosuid", "nodev", "noexec").contains(o)) {
                opts.add(o);
            }
        }
        return opts;
    }

    /** A new, empty volume mounted where the image has files gets a copy of them, as Podman does. */
    private static void copyUp(Path rootfs, String dest, Path volumeDir) {
        Path src = rootfs.resolve(dest.substring(1));
        try {
            if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS) || !isEmpty(volumeDir)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(src)) {
                for (Path p : walk.toList()) {
                    Path target = volumeDir.resolve(src.relativize(p).toString());
                    if (p.equals(src)) {
                        continue;
                    }
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot copy image content into volume at " + dest + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Files for mounted secrets, written into the container's run dir with the requested mode. */
    List<OciMount> secretMounts(ContainerRecord rec, List<String> envOut) {
        List<OciMount> out = new ArrayList<>();
        Path dir = ctx.paths().containerRunDir(rec.id()).resolve("secrets");
        for (SecretMount s : rec.spec().secrets()) {
            SecretRecord secret = secrets.inspect(s.name());
            byte[] value = secrets.value(secret);
            if (s.type() == SecretMount.Type.ENV) {
                envOut.add(s.envName() + "=" + new String(value, java.nio.charset.StandardCharsets.UTF_8));
                continue;
            }
            Path f = dir.resolve(secret.id());
            try {
                FileTrees.writeAtomically(f, value, "rw-------");
                Files.setPosixFilePermissions(f, permissions(s.mode() == 0 ? 0444 : s.mode()));
                io.kpod.spec.IdMappings userns = rec.spec().userns();
                long uid = userns == null ? s.uid() : userns.hostUid(s.uid());
                long gid = userns == null ? s.gid() : userns.hostGid(s.gid());
                if (uid < 0 || gid < 0) {
                    throw KpodException.invalid("secret " + s.name() + ": uid " + s.uid() + " or gid " + s.gid()
                            + " is not mapped in the container's user namespace");
                }
                UserNamespaces.setOwner(f, uid, gid);
            } catch (IOException e) {
                throw KpodException.internal("cannot write secret " + s.name() + ": " + e.getMessage(), e);
            }
            out.add(new OciMount(s.mountPath(), "bind", f.toString(), List.of("rbind", "ro", "rprivate")));
        }
        return out;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }
}
