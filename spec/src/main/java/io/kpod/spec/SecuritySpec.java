package io.kpod.spec;

import java.util.List;

/**
 * What a container's processes may do: capabilities relative to the engine's default set,
 * privileged mode, read-only root, no_new_privs and the seccomp profile.
 *
 * @param seccompProfile null for the engine's default profile, "unconfined", or a path
 */
public record SecuritySpec(
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean readOnlyRootfs,
        boolean noNewPrivileges,
        String seccompProfile,
        List<String> maskedPaths,
        List<String> unmaskedPaths) {

    public SecuritySpec {
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        maskedPaths = maskedPaths == null ? List.of() : List.copyOf(maskedPaths);
        unmaskedPaths = unmaskedPaths == null ? List.of() : List.copyOf(unmaskedPaths);
    }

    public static SecuritySpec defaults() {
        return new SecuritySpec(List.of(), List.of(), false, false, false, null, List.of(), List.of());
    }
}
