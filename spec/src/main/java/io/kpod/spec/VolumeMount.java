package io.kpod.spec;

import java.util.List;

/**
 * One filesystem mount into a container, from {@code -v}, {@code --mount} or {@code --tmpfs}.
 *
 * @param type bind (host path), volume (named or anonymous volume), tmpfs, image (an image's root
 *     filesystem, read-only unless the options say rw)
 * @param source host path for bind, volume name for volume (null for an anonymous one), unused for tmpfs,
 *     the image reference for image (the image id once the container is created)
 * @param destination absolute path inside the container
 * @param options mount options as the user wrote them: ro, rw, z, nosuid, size=64m, mode=1777, …
 */
public record VolumeMount(Type type, String source, String destination, List<String> options) {
    /** Mount kinds kpod understands. */
    public enum Type { BIND, VOLUME, TMPFS, IMAGE }

    public VolumeMount {
        options = options == null ? List.of() : List.copyOf(options);
        if (destination == null || !destination.startsWith("/")) {
            throw KpodException.invalid("invalid container path \"" + destination + "\": must be an absolute path");
        }
        if (type == Type.IMAGE && (source == null || source.isEmpty())) {
            throw KpodException.invalid("an image mount at " + destination + " needs an image (source=IMAGE)");
        }
    }

    /** Whether the container cannot write through the mount; an image mount is read-only unless it says rw. */
    public boolean readOnly() {
        if (type == Type.IMAGE) {
            return !options.contains("rw");
        }
        return options.contains("ro") || options.contains("readonly");
    }
}
