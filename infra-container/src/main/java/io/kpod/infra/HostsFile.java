package io.kpod.infra;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /etc/hosts} text in Podman 4's layout (containers/common libnetwork/etchosts):
 * user entries first ({@code --add-host}, hostAliases), then the base file's entries, then
 * {@code localhost} for 127.0.0.1 and ::1, {@code host.containers.internal}, and the
 * container's own address. A name that an earlier line already holds is not written again,
 * so user entries always win.
 */
public final class HostsFile {
    /** The name Podman gives the host as seen from a container. */
    public static final String HOST_CONTAINERS_INTERNAL = "host.containers.internal";
    private static final String LOCALHOST = "localhost";

    private HostsFile() {
    }

    /**
     * Builds the file.
     *
     * @param extraHosts               user entries, written first and as given
     * @param baseEntries              entries of a base file (the host's for host networking), written next
     * @param hostContainersInternalIp the address for {@code host.containers.internal}, or null
     * @param containerEntries         the container's own addresses and names
     */
    public static String build(List<HostEntry> extraHosts, List<HostEntry> baseEntries,
                               String hostContainersInternalIp, List<HostEntry> containerEntries) {
        StringBuilder out = new StringBuilder();
        Set<String> taken = new HashSet<>();
        for (List<HostEntry> group : List.of(extraHosts, baseEntries)) {
            for (HostEntry e : group) {
                taken.addAll(e.names());
                out.append(e.line());
            }
        }
        List<HostEntry> generated = new ArrayList<>();
        generated.add(HostEntry.of("127.0.0.1", LOCALHOST));
        generated.add(HostEntry.of("::1", LOCALHOST));
        if (hostContainersInternalIp != null && !hostContainersInternalIp.isEmpty()) {
            generated.add(HostEntry.of(hostContainersInternalIp, HOST_CONTAINERS_INTERNAL));
        }
        generated.addAll(containerEntries);
        appendFree(out, generated, taken);
        return out.toString();
    }

    /**
     * Adds entries to an existing file, each with only the names not yet present (Podman's
     * {@code etchosts.Add}), e.g. a member's name when it joins the pod.
     */
    public static String add(String current, List<HostEntry> entries) {
        Set<String> taken = new HashSet<>();
        for (HostEntry e : parse(current)) {
            taken.addAll(e.names());
        }
        StringBuilder out = new StringBuilder(current);
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        appendFree(out, entries, taken);
        return out.toString();
    }

    /**
     * Removes every line whose address equals a given entry's and which shares at least one
     * name with it (Podman's {@code etchosts.Remove}); comments are dropped as Podman does.
     */
    public static String remove(String current, List<HostEntry> entries) {
        StringBuilder out = new StringBuilder();
        for (HostEntry line : parse(current)) {
            boolean drop = entries.stream().anyMatch(rm -> rm.ip().equals(line.ip())
                    && line.names().stream().anyMatch(rm.names()::contains));
            if (!drop) {
                out.append(line.line());
            }
        }
        return out.toString();
    }

    /** Parses hosts text; comments and lines with an address but no name are skipped. */
    public static List<HostEntry> parse(String content) {
        List<HostEntry> entries = new ArrayList<>();
        if (content == null) {
            return entries;
        }
        for (String raw : content.split("\n", -1)) {
            int hash = raw.indexOf('#');
            String line = hash >= 0 ? raw.substring(0, hash) : raw;
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 2) {
                continue;
            }
            entries.add(new HostEntry(fields[0], List.of(fields).subList(1, fields.length)));
        }
        return entries;
    }

    /** The entry Podman adds to the pod's shared hosts file when a member joins. */
    public static HostEntry memberEntry(String memberName) {
        return HostEntry.of("127.0.0.1", memberName);
    }

    private static void appendFree(StringBuilder out, List<HostEntry> entries, Set<String> taken) {
        for (HostEntry e : entries) {
            Set<String> free = new LinkedHashSet<>();
            for (String n : e.names()) {
                if (!taken.contains(n)) {
                    free.add(n);
                }
            }
            if (!free.isEmpty()) {
                // names are not marked taken here: 127.0.0.1 and ::1 both carry localhost
                out.append(new HostEntry(e.ip(), List.copyOf(free)).line());
            }
        }
    }
}
