package io.kpod.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The text of one network's aardvark-dns configuration as netavark 1.4 writes it: a first line
 * with the addresses aardvark listens on, then one line per container,
 * {@code <container id> <ipv4,…> <ipv6,…> <name,…>} (an empty field where there are no
 * addresses of a family).
 */
final class AardvarkEntries {
    private AardvarkEntries() {
    }

    /**
     * The same text with {@code names} added to (appended, once each) or removed from the names
     * of the container's entry; other lines, and text without an entry for it, unchanged.
     */
    static String withNames(String text, String containerId, Collection<String> names, boolean present) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String[] f = line.split(" ", -1);
            if (i > 0 && f.length == 4 && f[0].equals(containerId)) {
                List<String> current = new ArrayList<>();
                for (String n : f[3].split(",")) {
                    if (!n.isEmpty()) {
                        current.add(n);
                    }
                }
                List<String> next = new ArrayList<>(current);
                if (present) {
                    names.stream().filter(n -> !next.contains(n)).forEach(next::add);
                } else {
                    next.removeAll(names);
                }
                line = f[0] + " " + f[1] + " " + f[2] + " " + String.join(",", next);
            }
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }
}
