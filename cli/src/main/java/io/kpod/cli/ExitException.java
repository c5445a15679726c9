package io.kpod.cli;

/** Ends a command with a given exit code and no error message (the code already says it, as for {@code run}). */
public final class ExitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public ExitException(int code) {
        super(null, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
