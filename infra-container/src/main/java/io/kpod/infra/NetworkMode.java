package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the pod's network namespace comes from: a private one with loopback only, the
 * host's, or an existing (pinned) netns file such as {@code /run/netns/kpod-p1} that the
 * engine created and handed to netavark before the infra starts.
 *
 * @param path the netns file, only for {@link Kind#PATH}
 */
public record NetworkMode(Kind kind, Path path) {

    /** The three kinds of pod network. */
    public enum Kind { LOOPBACK, HOST, PATH }

    public NetworkMode {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.PATH && (path == null || !path.isAbsolute())) {
            throw KpodException.invalid("a network namespace path must be absolute, got " + path);
        }
        if (kind != Kind.PATH && path != null) {
            throw KpodException.invalid("network mode " + kind + " takes no namespace path");
        }
    }

    /** A new netns with only {@code lo}, which runc brings up ({@code --network none}). */
    public static NetworkMode loopbackOnly() {
        return new NetworkMode(Kind.LOOPBACK, null);
    }

    /** The host's netns ({@code --network host}, {@code hostNetwork: true}). */
    public static NetworkMode host() {
        return new NetworkMode(Kind.HOST, null);
    }

    /** A netns that already exists as a file ({@code --network ns:/path}, or a pinned bridge netns). */
    public static NetworkMode path(Path netns) {
        return new NetworkMode(Kind.PATH, netns);
    }

    /** Whether the pod has a network namespace of its own (not the host's). */
    public boolean ownNamespace() {
        return kind != Kind.HOST;
    }
}
