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
}
