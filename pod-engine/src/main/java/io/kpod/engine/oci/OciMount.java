package io.kpod.engine.oci;

import java.util.List;

/** One entry of an OCI config's {@code mounts} list. */
public record OciMount(String destination, String type, String source, List<String> options) {
    public OciMount {
        options = List.copyOf(options);
    }

    public static OciMount bind(String source, String destination, boolean readOnly) {
        return new OciMount(destination, "bind", source,
                readOnly ? List.of("rbind", "ro", "rprivate") : List.of("rbind", "rw", "rprivate"));
    }
}
