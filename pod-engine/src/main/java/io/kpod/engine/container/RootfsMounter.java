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
 * container's own upper and work dirs, mounted with one mount(2) call.
 */
public final class RootfsMounter {
    private final EnginePaths paths;

    public RootfsMounter(EnginePaths paths) {
        this.paths = paths;
    }

    /** Mounts the rootfs unless it is already mounted; returns the merged dir. */
    public Path mount(String containerId, List<Path> layersTopFirst) {
        Path dir = paths.containerDir(containerId);
        Path upper = dir.resolve("upper");
        Path work = dir.resolve("work");
        Path merged = paths.rootfsMount(containerId);
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
                data = shortLowerDirs(containerId, layersTopFirst, upper, work);
            }
            Libc.mount("overlay", merged, "overlay", 0, data);
            return merged;
        } catch (IOException e) {
            throw KpodException.runtime("cannot mount the root filesystem of " + containerId.substring(0, 12)
                    + ": " + e.getMessage(), e);
        }
    }

    /** Images with many layers overflow mount(2)'s one page of options: use short symlinks. */
    private String shortLowerDirs(String id, List<Path> layers, Path upper, Path work) throws IOException {
        Path links = paths.containerDir(id).resolve("l");
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

    public void unmount(String containerId) {
        try {
            Libc.unmount(paths.rootfsMount(containerId), false);
        } catch (IOException e) {
            try {
                Libc.unmount(paths.rootfsMount(containerId), true);
            } catch (IOException e2) {
                throw KpodException.runtime("cannot unmount the root filesystem of " + containerId.substring(0, 12)
                        + ": " + e2.getMessage(), e2);
            }
        }
    }
}
