package io.kpod.spec;

/**
 * What kind of failure a {@link KpodException} reports. The CLI maps each kind to Podman's
 * exit codes, so scripts written for Podman read kpod's failures the same way.
 */
public enum ErrorKind {
    /** A named object (container, pod, image, volume, secret, network) does not exist. */
    NOT_FOUND,
    /** A name or resource is already taken, or the object is in a state that forbids the action. */
    CONFLICT,
    /** The user's input is wrong: a flag value, a manifest field, a reference. */
    INVALID,
    /** A runtime component (runc, conmon, netavark, the kernel) refused or failed. */
    RUNTIME,
    /** The command to run inside a container exists but cannot be invoked (Podman exit 126). */
    CANNOT_INVOKE,
    /** The command to run inside a container was not found (Podman exit 127). */
    COMMAND_NOT_FOUND,
    /** Something kpod itself did wrong or could not do: I/O, state database. */
    INTERNAL
}
