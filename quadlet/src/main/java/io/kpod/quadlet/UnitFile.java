package io.kpod.quadlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A parsed unit file: named sections, each an ordered list of key/value entries that remember
 * their file and line. Lookups follow systemd's rules (last value wins; an empty value resets a
 * list). Converters copy a unit file and change the copy, never the original.
 */
public final class UnitFile {
    private final String fileName;
    private final Path path;
    private final Map<String, List<UnitEntry>> sections = new LinkedHashMap<>();

    /** An empty unit file named {@code fileName}, read from {@code path} (may be null). */
    public UnitFile(String fileName, Path path) {
        this.fileName = fileName;
        this.path = path;
    }

    /** Parses {@code text} as the unit {@code fileName}; {@code path} is where it came from (may be null). */
    public static UnitFile parse(String fileName, Path path, String text) {
        UnitFile file = new UnitFile(fileName, path);
        UnitFileParser.parseInto(file, path, text);
        return file;
    }

    /**
     * Reads and parses the file at {@code path}, named by the last element of the path.
     *
     * @throws QuadletException when it is not UTF-8 or not unit file syntax, with the line at fault
     */
    public static UnitFile read(Path path) throws IOException {
        return parse(path.getFileName().toString(), path, utf8(path, Files.readAllBytes(path)));
    }

    /** The text of a unit file; Files.readString would only say "Input length = 1" for a bad byte. */
    private static String utf8(Path path, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        if (decoder.decode(in, out, true).isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new QuadletException(String.format("not valid UTF-8 (byte 0x%02X at offset %d)",
                    bytes[offset] & 0xff, offset), path, line);
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    public String fileName() {
        return fileName;
    }

    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /** A deep copy under another file name and without a source path (as a generated unit). */
    public UnitFile copyAs(String newFileName) {
        UnitFile copy = new UnitFile(newFileName, null);
        copy.merge(this);
        return copy;
    }

    /** Appends every entry of {@code dropIn}, section by section, as systemd applies drop-ins. */
    public void merge(UnitFile dropIn) {
        dropIn.sections.forEach((name, entries) -> ensureSection(name).addAll(entries));
    }

    List<UnitEntry> ensureSection(String name) {
        return sections.computeIfAbsent(name, k -> new ArrayList<>());
    }

    void addEntry(String section, UnitEntry entry) {
        ensureSection(section).add(entry);
    }

    public List<String> sectionNames() {
        return List.copyOf(sections.keySet());
    }

    public boolean hasSection(String section) {
        return sections.containsKey(section);
    }

    public List<UnitEntry> entries(String section) {
        return List.copyOf(sections.getOrDefault(section, List.of()));
    }

    /** The distinct keys of a section in first-seen order. */
    public List<String> keys(String section) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        sections.getOrDefault(section, List.of()).forEach(e -> keys.add(e.key()));
        return List.copyOf(keys);
    }

    public Optional<UnitEntry> lastEntry(String section, String key) {
        List<UnitEntry> entries = sections.getOrDefault(section, List.of());
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).key().equals(key)) {
                return Optional.of(entries.get(i));
            }
        }
        return Optional.empty();
    }

    public boolean hasKey(String section, String key) {
        return lastEntry(section, key).isPresent();
    }

    /** The last value, without trailing whitespace and surrounding double quotes. */
    public Optional<String> lookup(String section, String key) {
        return lastEntry(section, key).map(e -> stripQuotes(e.value().stripTrailing()));
    }

    /** The last value when present and not empty. */
    public Optional<String> lookupNonEmpty(String section, String key) {
        return lookup(section, key).filter(v -> !v.isEmpty());
    }

    private static String stripQuotes(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && v.charAt(start) == '"') {
            start++;
        }
        while (end > start && v.charAt(end - 1) == '"') {
            end--;
        }
        return v.substring(start, end);
    }

    /** Every entry of {@code key}, an empty value clearing those before it. */
    public List<UnitEntry> allEntries(String section, String key) {
        List<UnitEntry> result = new ArrayList<>();
        for (UnitEntry e : sections.getOrDefault(section, List.of())) {
            if (e.key().equals(key)) {
                if (e.value().isEmpty()) {
                    result.clear();
                } else {
                    result.add(e);
                }
            }
        }
        return result;
    }

    public List<String> lookupAll(String section, String key) {
        return allEntries(section, key).stream().map(UnitEntry::value).toList();
    }

    /** All values split as a systemd string list (quotes removed, backslashes kept). */
    public List<String> lookupAllStrv(String section, String key) {
        return splitAll(section, key, SystemdWords.Mode.STRV);
    }

    /** All values split as command-line words (quotes removed, C escapes decoded). */
    public List<String> lookupAllArgs(String section, String key) {
        return splitAll(section, key, SystemdWords.Mode.ARGS);
    }

    private List<String> splitAll(String section, String key, SystemdWords.Mode mode) {
        List<String> words = new ArrayList<>();
        for (UnitEntry e : allEntries(section, key)) {
            words.addAll(split(e, mode));
        }
        return words;
    }

    /** The last value split as a command line, if the key is present. */
    public Optional<List<String>> lookupLastArgs(String section, String key) {
        return lastEntry(section, key).map(e -> split(e, SystemdWords.Mode.ARGS));
    }

    static List<String> split(UnitEntry e, SystemdWords.Mode mode) {
        try {
            return SystemdWords.split(e.value(), mode);
        } catch (IllegalArgumentException ex) {
            throw QuadletException.at(e, "invalid value for " + e.key() + ": " + ex.getMessage());
        }
    }

    /** {@code Environment=}-style assignments, sorted by name, the last assignment of a name winning. */
    public Map<String, String> lookupAllKeyVal(String section, String key) {
        Map<String, String> result = new TreeMap<>();
        for (String word : lookupAllArgs(section, key)) {
            int eq = word.indexOf('=');
            if (eq >= 0) {
                result.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return result;
    }

    /** A systemd boolean; a value that is not one is an error at its line. */
    public Optional<Boolean> lookupBoolean(String section, String key) {
        Optional<UnitEntry> entry = lastEntry(section, key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        String v = lookup(section, key).orElseThrow().toLowerCase(java.util.Locale.ROOT);
        switch (v) {
            case "1", "yes", "y", "true", "t", "on":
                return Optional.of(true);
            case "0", "no", "n", "false", "f", "off":
                return Optional.of(false);
            default:
                throw QuadletException.at(entry.get(),
                        "invalid boolean value '" + entry.get().value() + "' for " + key);
        }
    }

    public boolean lookupBoolean(String section, String key, boolean defaultValue) {
        return lookupBoolean(section, key).orElse(defaultValue);
    }

    /** Adds {@code key=value} at the end of the section. */
    public void add(String section, String key, String value) {
        addEntry(section, UnitEntry.generated(key, value));
    }

    /** Adds a command line, quoting words as systemd needs. */
    public void addCommand(String section, String key, List<String> argv) {
        add(section, key, SystemdWords.join(argv));
    }

    /** Replaces the value of the last {@code key}, or adds it when absent. */
    public void set(String section, String key, String value) {
        List<UnitEntry> entries = ensureSection(section);
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).key().equals(key)) {
                entries.set(i, entries.get(i).withValue(value));
                return;
            }
        }
        entries.add(UnitEntry.generated(key, value));
    }

    public void setIfAbsent(String section, String key, String value) {
        if (!hasKey(section, key)) {
            add(section, key, value);
        }
    }

    /** Adds {@code key=value} at the start of the section. */
    public void prepend(String section, String key, String value) {
        ensureSection(section).add(0, UnitEntry.generated(key, value));
    }

    public void unset(String section, String key) {
        List<UnitEntry> entries = sections.get(section);
        if (entries != null) {
            entries.removeIf(e -> e.key().equals(key));
        }
    }

    /** Renames a section, merging it into {@code to} when that exists already. */
    public void renameSection(String from, String to) {
        List<UnitEntry> entries = sections.get(from);
        if (entries == null || from.equals(to)) {
            return;
        }
        if (sections.containsKey(to)) {
            sections.get(to).addAll(entries);
            sections.remove(from);
            return;
        }
        Map<String, List<UnitEntry>> reordered = new LinkedHashMap<>();
        sections.forEach((name, list) -> reordered.put(name.equals(from) ? to : name, list));
        sections.clear();
        sections.putAll(reordered);
    }

    /** The unit file as text: optional comment lines, then sections separated by blank lines. */
    public String toText(List<String> headerComments) {
        StringBuilder out = new StringBuilder();
        for (String comment : headerComments) {
            out.append('#').append(comment.isEmpty() ? "" : " " + comment).append('\n');
        }
        boolean first = true;
        for (Map.Entry<String, List<UnitEntry>> section : sections.entrySet()) {
            if (!first) {
                out.append('\n');
            }
            first = false;
            out.append('[').append(section.getKey()).append("]\n");
            for (UnitEntry e : section.getValue()) {
                out.append(e.key()).append('=').append(e.value()).append('\n');
            }
        }
        return out.toString();
    }
}
