package io.kpod.engine.image;

import java.util.List;

/**
 * One image in the local store's index. {@code id} is the config digest's hex, {@code digest}
 * the manifest digest, {@code names} full {@code registry/repo:tag} names (empty when
 * dangling), {@code created} RFC 3339, {@code size} the uncompressed size of all layers and
 * {@code layers} the diff-ids bottom first, as in the image config.
 */
public record ImageRecord(String id, List<String> names, String digest, String created, long size,
                          List<String> layers) {
    public ImageRecord {
        names = names == null ? List.of() : List.copyOf(names);
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** An image without names, the target of {@code image prune}. */
    public boolean dangling() {
        return names.isEmpty();
    }

    /** The 12-character id Podman prints. */
    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }

    public ImageRecord withNames(List<String> newNames) {
        return new ImageRecord(id, newNames, digest, created, size, layers);
    }
}
