package io.kpod.spec;

/**
 * The one unchecked exception family of kpod. Its message is a sentence for a person:
 * what failed and why, ideally what to do. The CLI prints it as {@code Error: <message>}.
 */
public class KpodException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;

    public KpodException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public KpodException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static KpodException notFound(String what) {
        return new KpodException(ErrorKind.NOT_FOUND, what);
    }

    public static KpodException conflict(String what) {
        return new KpodException(ErrorKind.CONFLICT, what);
    }

    public static KpodException invalid(String what) {
        return new KpodException(ErrorKind.INVALID, what);
    }

    public static KpodException runtime(String what) {
        return new KpodException(ErrorKind.RUNTIME, what);
    }

    public static KpodException runtime(String what, Throwable cause) {
        return new KpodException(ErrorKind.RUNTIME, what, cause);
    }

    public static KpodException internal(String what, Throwable cause) {
        return new KpodException(ErrorKind.INTERNAL, what, cause);
    }
}
