package io.kpod.quadlet;

import java.nio.file.Path;

/**
 * Reads the systemd unit file syntax as Podman's quadlet does: {@code [Section]} headers,
 * {@code Key=value} lines, {@code #}/{@code ;} comments, and a trailing backslash joining a line
 * with the next (comments inside such a continuation are skipped).
 */
final class UnitFileParser {
    private final Path source;
    private final UnitFile file;
    private String section;

    private UnitFileParser(Path source, UnitFile file) {
        this.source = source;
        this.file = file;
    }

    static void parseInto(UnitFile file, Path source, String text) {
        new UnitFileParser(source, file).parse(text);
    }

    private void parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) {
            count--;
        }
        StringBuilder pending = null;
        int pendingLine = 0;
        for (int i = 0; i < count; i++) {
            String line = lines[i].strip();
            if (isComment(line)) {
                // comments and blank lines are dropped, also inside a continuation
                continue;
            }
            boolean continues = line.endsWith("\\") && i != count - 1;
            if (line.endsWith("\\")) {
                line = line.substring(0, line.length() - 1);
            }
            if (continues) {
                if (pending == null) {
                    pending = new StringBuilder();
                    pendingLine = i + 1;
                }
                pending.append(line);
                continue;
            }
            int lineNr = i + 1;
            if (pending != null) {
                line = pending.append(line).toString();
                lineNr = pendingLine;
                pending = null;
            }
            parseLine(line, lineNr);
        }
        if (pending != null) {
            parseLine(pending.toString(), pendingLine);
        }
    }

    /** A line as it can be logged: control characters escaped, cut after 80 characters. */
    private static String shown(String line) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < line.length() && sb.length() < 80; i++) {
            char c = line.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return i < line.length() ? sb + "…" : sb.toString();
    }

    private static boolean isComment(String line) {
        return line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';';
    }

    private void parseLine(String line, int lineNr) {
        if (isComment(line)) {
            return;
        }
        if (line.charAt(0) == '[') {
            int end = line.indexOf(']');
            if (end > 0 && line.substring(end + 1).isBlank()) {
                String name = line.substring(1, end);
                if (name.isEmpty() || name.contains("[") || name.chars().anyMatch(Character::isISOControl)) {
                    throw new QuadletException("invalid section name: " + shown(name), source, lineNr);
                }
                section = name;
                file.ensureSection(name);
                return;
            }
        }
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new QuadletException("line \"" + shown(line) + "\" is not a key-value pair, section, or comment",
                    source, lineNr);
        }
        if (section == null) {
            throw new QuadletException("key file does not start with a section", source, lineNr);
        }
        String key = line.substring(0, eq).stripTrailing();
        if (key.isEmpty() || key.charAt(0) == ' ') {
            throw new QuadletException("invalid key name: " + key, source, lineNr);
        }
        String value = line.substring(eq + 1).stripLeading();
        file.addEntry(section, new UnitEntry(key, value, source, lineNr));
    }
}
