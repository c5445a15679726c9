package io.kpod.engine;

import java.nio.file.Path;

/**
 * Where kpod keeps things: the graph root (state.db, images, container storage, volumes,
 * logs; survives reboots) and the run root (runc state, conmon pid files, exit files, locks,
 * pinned namespaces; expected to vanish on reboot). Tests point both at their own dirs.
 */
public record EnginePaths(Path graphRoot, Path runRoot, Path networkConfigDir) {
    public static final Path DEFAULT_GRAPH_ROOT = Path.of("/var/lib/kpod");
    public static final Path DEFAULT_RUN_ROOT = Path.of("/run/kpod");
    public static final Path DEFAULT_NETWORK_DIR = Path.of("/etc/kpod/networks");

    public EnginePaths {
        graphRoot = graphRoot.toAbsolutePath().normalize();
        runRoot = runRoot.toAbsolutePath().normalize();
        networkConfigDir = networkConfigDir.toAbsolutePath().normalize();
    }

    public static EnginePaths defaults() {
        return new EnginePaths(DEFAULT_GRAPH_ROOT, DEFAULT_RUN_ROOT, DEFAULT_NETWORK_DIR);
    }

    public Path database() {
        return graphRoot.resolve("state.db");
    }

    /** Per-container persistent dir: config.json (the OCI bundle), ctr.log, overlay upper/work. */
    public Path containerDir(String id) {
        return graphRoot.resolve("containers").resolve(id);
    }

    public Path bundleDir(String id) {
        return containerDir(id).resolve("userdata");
    }

    public Path rootfsMount(String id) {
        return containerDir(id).resolve("merged");
    }

    /**
     * The dir of a container's {@code index}-th image mount ({@code --mount type=image}): its
     * overlay's upper, work and merged dirs, removed with the container.
     */
    public Path imageMountDir(String id, int index) {
        return imageMountsDir(id).resolve(Integer.toString(index));
    }

    public Path imageMountsDir(String id) {
        return containerDir(id).resolve("image-mounts");
    }

    /** Per-container run-time files: pid files, runc's log, exec dirs. */
    public Path containerRunDir(String id) {
        return runRoot.resolve("containers").resolve(id);
    }

    public Path exitDir() {
        return runRoot.resolve("exits");
    }

    public Path exitFile(String id) {
        return exitDir().resolve(id);
    }

    /** runc's own state dir, separate from runc's default so `runc list` shows only ours. */
    public Path runcRoot() {
        return runRoot.resolve("runc");
    }

    public Path locksDir() {
        return runRoot.resolve("locks");
    }

    public Path volumesDir() {
        return graphRoot.resolve("volumes");
    }

    public Path secretsDir() {
        return graphRoot.resolve("secrets");
    }

    /** The boot marker: a run root without it has not been set up since the last reboot. */
    public Path aliveFile() {
        return runRoot.resolve("alive");
    }
}
