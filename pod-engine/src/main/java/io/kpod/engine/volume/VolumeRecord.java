package io.kpod.engine.volume;

import java.util.Map;

/**
 * A named volume of the local driver, as {@code kpod volume inspect} shows it.
 *
 * @param options the driver options: {@code type}, {@code o}, {@code device} as Podman's local driver takes them
 * @param anonymous true for volumes made for an image VOLUME or a {@code -v /path} without a name
 */
public record VolumeRecord(String name, String driver, String mountpoint, String createdAt,
                           Map<String, String> labels, Map<String, String> options, boolean anonymous) {
    public VolumeRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** Whether the volume is a filesystem kpod mounts itself (tmpfs, a device) rather than a plain dir. */
    public boolean needsMount() {
        return options.containsKey("type") || options.containsKey("device");
    }
}
