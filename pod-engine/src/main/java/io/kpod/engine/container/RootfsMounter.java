package io.kpod.engine.container;

import io.kpod.engine.EnginePaths;
import io.kpod.engine.sys.Libc;
import io.kpod.engine.volume.VolumeService;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A container's root filesystem: an overlay of the image's layers (top first) with the
 * container's own upper and work dirs, mounted with one mount(2) call. Image mounts
 * ({@code --mount type=image}) are overlays of the same kind under the container's dir, and
 * come and go with the rootfs.
 */
public final class RootfsMounter {
    private final EnginePaths paths;

    public RootfsMounter(EnginePaths paths) {
        this.paths = paths;
    }

    /** Mounts the rootfs unless it is already mounted; returns the merged dir. */
    public Path mount(String containerId, List<Path> layersTopFirst) {
        return overlay(containerId, paths.containerDir(containerId), paths.rootfsMount(containerId), layersTopFirst,
                false, "the root filesystem");
    }

    /** The upper dir of the container's root filesystem: what the container wrote. */
    public Path upperDir(String containerId) {
        return paths.containerDir(containerId).resolve("upper");
    }

    /**
     * Mounts the {@code index}-th image mount of a container unless it is already mounted;
     * returns its merged dir. A read-only one is mounted read-only on the host too; a writable
     * one writes into its own upper dir, which goes with the container.
     */
    public Path mountImage(String containerId, int index, List<Path> layersTopFirst, boolean readOnly) {
        Path dir = paths.imageMountDir(containerId, index);
        return overlay(containerId, dir, dir.resolve("merged"), layersTopFirst, readOnly, "image mount " + index);
    }

    private Path overlay(String containerId, Path dir, Path merged, List<Path> layersTopFirst, boolean readOnly,
                         String what) {
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        try {
            Files.createDirectories(upper);
            Files.createDirectories(work);
            Files.createDirectories(merged);
            if (VolumeService.isMountPoint(merged)) {
                return merged;
            }
            String lower = layersTopFirst.stream().map(Path::toString).collect(Collectors.joining(":"));
            String data = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
            if (data.length() > 4000) {
                data = shortLowerDirs(dir, layersTopFirst, upper, work);
            }
            Libc.mount("overlay", merged, "overlay", readOnly ? Libc.MS_RDONLY : 0, data);
            return merged;
        } catch (IOException e) {
            throw KpodException.runtime("cannot mount " + what + " of " + containerId.substring(0, 12)
                    + ": " + e.getMessage(), e);
        }
    }

    /** Images with many layers overflow mount(2)'s one page of options: use short symlinks. */
    private static String shortLowerDirs(Path dir, List<Path> layers, Path upper, Path work) throws IOException {
        Path links = dir.resolve("l");
        Files.createDirectories(links);
        StringBuilder lower = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            Path link = links.resolve(Integer.toString(i));
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, layers.get(i));
            if (i > 0) {
                lower.append(':');
            }
            lower.append(link);
        }
        return "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
    }

    /** Unmounts the rootfs and every image mount of the container; safe to repeat. */
    public void unmount(String containerId) {
        for (Path m : imageMounts(containerId)) {
            unmount(containerId, m, "an image mount");
        }
        unmount(containerId, paths.rootfsMount(containerId), "the root filesystem");
    }

    /** The merged dirs of the container's image mounts that exist (mounted or not). */
    public List<Path> imageMounts(String containerId) {
        Path dir = paths.imageMountsDir(containerId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.resolve("merged")).filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw KpodException.runtime("cannot list the image mounts of " + containerId.substring(0, 12) + ": "
                    + e.getMessage(), e);
        }
    }

    private static void unmount(String containerId, Path target, String what) {
        try {
            Libc.unmount(target, false);
        } catch (IOException e) {
            try {
                Libc.unmount(target, true);
            } catch (IOException e2) {
                throw KpodException.runtime("cannot unmount " + what + " of " + containerId.substring(0, 12)
                        + ": " + e2.getMessage(), e2);
            }
        }
    }
}
