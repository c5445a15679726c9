package io.kpod.infra;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A namespace the infra creates and the engine pins once the infra runs: it bind-mounts
 * {@code /proc/<infraPid>/ns/<name>} onto {@code target} (an empty file it creates first),
 * so members can join and the namespace outlives the pause process.
 */
public record NamespacePin(Namespace type, Path target) {

    public NamespacePin {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }

    /** The namespace file of the running infra process to bind onto {@link #target()}. */
    public Path source(long infraPid) {
        if (infraPid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + infraPid);
        }
        return Path.of("/proc", Long.toString(infraPid), "ns", type.procName());
    }
}
