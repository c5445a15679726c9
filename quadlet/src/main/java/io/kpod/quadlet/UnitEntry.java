package io.kpod.quadlet;

import java.nio.file.Path;

/** One {@code Key=value} line of a unit file, remembering where it was read (source may be null). */
public record UnitEntry(String key, String value, Path source, int line) {

    /** An entry made by the generator rather than read from a file. */
    public static UnitEntry generated(String key, String value) {
        return new UnitEntry(key, value, null, 0);
    }

    UnitEntry withValue(String newValue) {
        return new UnitEntry(key, newValue, source, line);
    }
}
