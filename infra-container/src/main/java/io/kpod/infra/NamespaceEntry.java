package io.kpod.infra;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One entry of an OCI {@code linux.namespaces} list: a new namespace when {@code path} is
 * null, else the namespace file to join. A namespace missing from the list is the host's.
 */
public record NamespaceEntry(Namespace type, Path path) {

    public NamespaceEntry {
        Objects.requireNonNull(type, "type");
    }

    public static NamespaceEntry create(Namespace type) {
        return new NamespaceEntry(type, null);
    }

    public static NamespaceEntry join(Namespace type, Path path) {
        return new NamespaceEntry(type, Objects.requireNonNull(path, "path"));
    }

    /** True when the runtime creates this namespace rather than joining one. */
    public boolean isNew() {
        return path == null;
    }

    /** The OCI {@code type} string: network, ipc, uts, pid, mount. */
    public String ociType() {
        return type.ociType();
    }
}
