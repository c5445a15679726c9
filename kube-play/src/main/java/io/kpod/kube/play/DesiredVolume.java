package io.kpod.kube.play;

import java.util.Map;

/**
 * A volume a pod needs before its containers are created.
 *
 * @param name    the kpod volume name
 * @param kind    what it is made from
 * @param files   for configMap and secret volumes: relative path → content and mode
 * @param labels  labels kpod puts on it
 * @param options local-driver options (tmpfs for {@code emptyDir.medium: Memory}); for an image
 *                volume (whose name is the image reference) the pull policy, checked with the
 *                containers' images
 */
public record DesiredVolume(String name, Kind kind, Map<String, FileContent> files, Map<String, String> labels,
                            Map<String, String> options) {
    /** The sources of kube volumes: named volumes kpod makes, host paths, and images mounted as they are. */
    public enum Kind { EMPTY_DIR, FILES, CLAIM, NAMED, HOST_PATH, IMAGE }

    /** The key of an image volume's pull policy in {@link #options}. */
    public static final String PULL_POLICY = "pullPolicy";

    /** One projected file: bytes and permission bits. */
    public record FileContent(byte[] data, int mode) {
    }

    public DesiredVolume {
        files = files == null ? Map.of() : Map.copyOf(files);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
