package io.kpod.cli;

import io.kpod.spec.KpodException;

/** Podman's exit codes for failures of kpod itself. */
public final class ExitCodes {
    /** The engine failed. */
    public static final int ENGINE = 125;
    /** The command inside the container could not be invoked. */
    public static final int CANNOT_INVOKE = 126;
    /** The command inside the container was not found. */
    public static final int NOT_FOUND = 127;

    private ExitCodes() {
    }

    public static int of(KpodException e) {
        return switch (e.kind()) {
            case CANNOT_INVOKE -> CANNOT_INVOKE;
            case COMMAND_NOT_FOUND -> NOT_FOUND;
            default -> ENGINE;
        };
    }
}
