package io.kpod.quadlet;

import java.util.Arrays;
import java.util.Optional;

/** The Quadlet unit kinds, by file extension, with the order in which they are converted. */
public enum UnitType {
    IMAGE(".image", "Image", 1, "-image"),
    VOLUME(".volume", "Volume", 2, "-volume"),
    NETWORK(".network", "Network", 2, "-network"),
    CONTAINER(".container", "Container", 4, ""),
    KUBE(".kube", "Kube", 4, ""),
    POD(".pod", "Pod", 5, "-pod");

    private final String extension;
    private final String section;
    private final int order;
    private final String serviceSuffix;

    UnitType(String extension, String section, int order, String serviceSuffix) {
        this.extension = extension;
        this.section = section;
        this.order = order;
        this.serviceSuffix = serviceSuffix;
    }

    /** The type of a unit file name such as {@code web.container}, if it is a Quadlet one. */
    public static Optional<UnitType> of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String ext = fileName.substring(dot);
        return Arrays.stream(values()).filter(t -> t.extension.equals(ext)).findFirst();
    }

    public String extension() {
        return extension;
    }

    /** The section holding this type's keys, e.g. {@code Container}. */
    public String section() {
        return section;
    }

    /** Units of a lower order are converted first, so that others can refer to their names. */
    public int order() {
        return order;
    }

    /** Appended to the unit's base name to name its service, e.g. {@code -network}. */
    public String serviceSuffix() {
        return serviceSuffix;
    }

    UnitConverter converter() {
        return switch (this) {
            case IMAGE -> new ImageConverter();
            case VOLUME -> new VolumeConverter();
            case NETWORK -> new NetworkConverter();
            case CONTAINER -> new ContainerConverter();
            case KUBE -> new KubeConverter();
            case POD -> new PodConverter();
        };
    }
}
