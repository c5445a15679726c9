package io.kpod.engine.container;

import io.kpod.engine.ImageSource;
import io.kpod.spec.ContainerSpec;
import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --rootfs PATH[:O]}: a host directory as the container's root filesystem instead of an
 * image. Without {@code :O} the container writes into the directory; with it an overlay (upper
 * dir in the container's dir, like an image container's) keeps the directory unchanged.
 * The spec carries it as the {@link #ANNOTATION} annotation, its image being the path.
 */
public final class RootfsDir {
    /** The annotation holding {@code PATH} or {@code PATH:O}. */
    public static final String ANNOTATION = "io.kpod.rootfs";

    private RootfsDir() {
    }

    /** The directory and whether an overlay goes on top of it. */
    public record Source(Path dir, boolean overlay) {
    }

    public static Optional<Source> of(ContainerSpec spec) {
        String v = spec.annotations().get(ANNOTATION);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        boolean overlay = v.endsWith(":O");
        return Optional.of(new Source(Path.of(overlay ? v.substring(0, v.length() - 2) : v), overlay));
    }

    /** The directory must exist now; it stands in for an image with no defaults, no id and no name. */
    static ImageSource.ResolvedImage check(ContainerSpec spec) {
        Path dir = of(spec).orElseThrow().dir();
        if (!Files.exists(dir)) {
            throw KpodException.invalid("--rootfs " + dir + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw KpodException.invalid("--rootfs " + dir + ": not a directory");
        }
        return new ImageSource.ResolvedImage("", "", List.of(), new ImageSource.ImageDefaults(List.of(), List.of(),
                List.of(), "", "", List.of(), "", Map.of(), List.of()));
    }
}
