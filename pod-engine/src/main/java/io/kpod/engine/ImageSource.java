package io.kpod.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the container life cycle needs from the image store: a reference resolved to layers and defaults. */
public interface ImageSource {
    /** An image found in the store. Layer dirs are ordered top layer first, as overlayfs wants them. */
    record ResolvedImage(String id, String name, List<Path> layerDirs, ImageDefaults defaults) {
    }

    /** The parts of an image config a container inherits. */
    record ImageDefaults(List<String> env, List<String> entrypoint, List<String> cmd, String workingDir,
                         String user, List<String> volumes, String stopSignal, Map<String, String> labels,
                         List<String> exposedPorts) {
    }

    /** Resolves a name, short id, full id or name@digest; throws NoSuchObjectException when absent. */
    ResolvedImage resolve(String reference);

    /** Whether an image id still exists (containers keep their image's id). */
    boolean exists(String imageId);

    /** Lower dirs for an image id, top first. */
    List<Path> layerDirs(String imageId);
}
