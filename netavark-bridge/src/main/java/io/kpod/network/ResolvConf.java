package io.kpod.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * resolv.conf lines from netavark's setup status: {@code search dns.podman} and one
 * {@code nameserver <gateway>} per DNS-enabled network. aardvark-dns forwards other names to
 * the host's resolvers, so these lines suffice. An empty result means no network has DNS and
 * the caller should copy the host's resolv.conf instead.
 */
public final class ResolvConf {
    private ResolvConf() {
    }

    public static List<String> lines(Collection<NetworkStatus> statuses) {
        Set<String> search = new LinkedHashSet<>();
        Set<String> servers = new LinkedHashSet<>();
        for (NetworkStatus s : statuses) {
            search.addAll(s.dnsSearchDomains());
            servers.addAll(s.dnsServerIps());
        }
        List<String> out = new ArrayList<>();
        if (!search.isEmpty()) {
            out.add("search " + String.join(" ", search));
        }
        servers.forEach(ns -> out.add("nameserver " + ns));
        return out;
    }

    /** The file content: the lines, each ending in a newline; empty when there is no DNS. */
    public static String render(Collection<NetworkStatus> statuses) {
        StringBuilder sb = new StringBuilder();
        lines(statuses).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /**
     * A resolv.conf with {@code servers} added before its other name servers (a server it
     * already lists stays where it is) and the {@code searches} domains in its search line,
     * as {@code network connect} updates a running container's file.
     */
    public static String withNameservers(String content, List<String> servers, List<String> searches) {
        List<String> lines = new ArrayList<>(content.lines().toList());
        Set<String> present = new LinkedHashSet<>();
        int firstServer = -1;
        int searchLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) {
                present.add(f[1]);
                firstServer = firstServer < 0 ? i : firstServer;
            } else if (f.length >= 1 && (f[0].equals("search") || f[0].equals("domain")) && searchLine < 0) {
                searchLine = i;
            }
        }
        List<String> add = servers.stream().filter(s -> !present.contains(s)).distinct()
                .map(s -> "nameserver " + s).toList();
        lines.addAll(firstServer < 0 ? lines.size() : firstServer, add);
        if (!searches.isEmpty()) {
            if (searchLine < 0) {
                lines.add(0, "search " + String.join(" ", searches));
            } else {
                Set<String> domains = new LinkedHashSet<>(List.of(lines.get(searchLine).trim().split("\\s+")));
                domains.remove("search");
                domains.remove("domain");
                domains.addAll(searches);
                lines.set(searchLine, "search " + String.join(" ", domains));
            }
        }
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** A resolv.conf without the {@code nameserver} lines of {@code servers}, for {@code network disconnect}. */
    public static String withoutNameservers(String content, Collection<String> servers) {
        StringBuilder sb = new StringBuilder();
        for (String l : content.lines().toList()) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver") && servers.contains(f[1])) {
                continue;
            }
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
