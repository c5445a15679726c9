package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A row of a key table: extra lines for the unit's own section, what to read from the generated
 * service (an Exec* key's exact arguments after the binary, or {@code Section.Key} values joined
 * by " | "), the expected text, and the service file to read.
 */
record KeyRow(String lines, String read, String expected, String serviceFile) {

    static KeyRow row(String lines, String read, String expected) {
        return new KeyRow(lines, read, expected, null);
    }

    KeyRow inService(String name) {
        return new KeyRow(lines, read, expected, name);
    }

    @Override
    public String toString() {
        return read + ": " + (lines.isEmpty() ? "(no extra keys)" : lines.replace("\n", " | "));
    }

    /** Generates {@code fileName} ([section] + lines) with the given other units and checks the row. */
    void check(String fileName, String section, String defaultService, Units others) {
        UnitFile service = others.with(fileName, "[" + section + "]\n" + lines + "\n")
                .service(serviceFile == null ? defaultService : serviceFile);
        if (read.startsWith("Exec")) {
            assertThat(Units.args(service, read)).isEqualTo(expected);
        } else {
            String[] key = read.split("\\.", 2);
            assertThat(String.join(" | ", service.lookupAll(key[0], key[1]))).isEqualTo(expected);
        }
    }

    /** The keys used by a table's rows, to compare with the converter's allow-list. */
    static Set<String> keysOf(Stream<KeyRow> rows) {
        Set<String> keys = new TreeSet<>();
        rows.forEach(r -> Arrays.stream(r.lines.split("\n")).filter(l -> l.contains("="))
                .forEach(l -> keys.add(l.substring(0, l.indexOf('=')))));
        return keys;
    }
}
