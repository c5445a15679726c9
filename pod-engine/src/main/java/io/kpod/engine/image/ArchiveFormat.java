package io.kpod.engine.image;

import io.kpod.spec.KpodException;

/** The archive formats of {@code podman save --format} and {@code podman load}. */
public enum ArchiveFormat {
    /** Docker's {@code docker save} layout: manifest.json, config, one tar per layer. */
    DOCKER_ARCHIVE,
    /** An OCI image layout in a tar: oci-layout, index.json, blobs/sha256. */
    OCI_ARCHIVE;

    public static ArchiveFormat parse(String s) {
        return switch (s) {
            case "docker-archive" -> DOCKER_ARCHIVE;
            case "oci-archive" -> OCI_ARCHIVE;
            default -> throw KpodException.invalid("unsupported format \"" + s
                    + "\" for saving images: use docker-archive or oci-archive");
        };
    }
}
