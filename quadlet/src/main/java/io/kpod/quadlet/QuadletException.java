package io.kpod.quadlet;

import java.nio.file.Path;
import java.util.Optional;

/** A unit file that cannot be parsed or converted, with the file and line at fault when known. */
public final class QuadletException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;

    /** A problem with no particular place in a file. */
    public QuadletException(String message) {
        this(message, null, 0);
    }

    /** A problem at {@code line} (1-based; 0 when unknown) of {@code file} (null when unknown). */
    public QuadletException(String message, Path file, int line) {
        super(message);
        this.file = file;
        this.line = line;
    }

    /** A problem located at the given entry of a unit file. */
    public static QuadletException at(UnitEntry entry, String message) {
        return new QuadletException(message, entry.source(), entry.line());
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public int line() {
        return line;
    }

    /** "file:line: message", or what of it is known. */
    public String describe() {
        if (file == null) {
            return getMessage();
        }
        return file + (line > 0 ? ":" + line : "") + ": " + getMessage();
    }
}
