package io.kpod.spec;

import java.util.List;

/**
 * What a container's processes may do: capabilities relative to the engine's default set,
 * privileged mode, read-only root, no_new_privs and the seccomp profile.
 *
 * @param seccompProfile null for the engine's default profile, "unconfined", or a path
 * @param devices {@code --device}: HOST[:CONTAINER[:PERMISSIONS]]
 * @param readOnlyTmpfs with a read-only root: read-write tmpfs on /run, /tmp and /var/tmp (Podman's default)
 */
public record SecuritySpec(
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean readOnlyRootfs,
        boolean noNewPrivileges,
        String seccompProfile,
        List<String> maskedPaths,
        List<String> unmaskedPaths,
        List<String> devices,
        boolean readOnlyTmpfs) {

    /** No devices, and the read-only root's tmpfs dirs as Podman's default. */
    public SecuritySpec(List<String> capAdd, List<String> capDrop, boolean privileged, boolean readOnlyRootfs,
                        boolean noNewPrivileges, String seccompProfile, List<String> maskedPaths,
                        List<String> unmaskedPaths) {
        this(capAdd, capDrop, privileged, readOnlyRootfs, noNewPrivileges, seccompProfile, maskedPaths, unmaskedPaths,
                null, true);
    }

    public SecuritySpec {
        devices = devices == null ? List.of() : List.copyOf(devices);
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        maskedPaths = maskedPaths == null ? List.of() : List.copyOf(maskedPaths);
        unmaskedPaths = unmaskedPaths == null ? List.of() : List.copyOf(unmaskedPaths);
    }

    public static SecuritySpec defaults() {
        return new SecuritySpec(List.of(), List.of(), false, false, false, null, List.of(), List.of());
    }
}
