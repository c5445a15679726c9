package io.kpod.engine.image.registry;

import java.util.Set;

/** The manifest media types kpod reads: OCI and Docker v2 manifests and indexes. */
final class MediaTypes {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    /** What a manifest GET accepts, images first. */
    static final String ACCEPT = String.join(", ", OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_LIST);

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    private MediaTypes() {
    }

    static boolean isIndex(String t) {
        return INDEXES.contains(t);
    }

    static boolean isManifest(String t) {
        return MANIFESTS.contains(t);
    }

    static boolean isSchema1(String t) {
        return t.equals(DOCKER_SCHEMA1) || t.equals(DOCKER_SCHEMA1_SIGNED);
    }

    /** Drops parameters: {@code application/json; charset=utf-8} → {@code application/json}. */
    static String base(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
    }
}
