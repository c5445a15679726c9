package io.kpod.infra;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /etc/resolv.conf} text the way Podman 4 builds it (containers/common
 * libnetwork/resolvconf): given servers, searches and options replace the host's one kind
 * at a time; what is not given comes from the host's file. In a network namespace of its
 * own a container cannot reach the host's loopback resolvers, so those are dropped, and
 * when no server is left Google's public DNS is used, as Podman does.
 */
public final class ResolvConf {
    /** Podman's fallback when the host offers no usable server. */
    public static final List<String> FALLBACK_IPV4 = List.of("8.8.8.8", "8.8.4.4");
    public static final List<String> FALLBACK_IPV6 = List.of("2001:4860:4860::8888", "2001:4860:4860::8844");

    private ResolvConf() {
    }

    /**
     * Builds the file.
     *
     * @param hostContent the host's {@code /etc/resolv.conf} ("" when missing)
     * @param ownNetns    false for host networking: the host's servers are then kept as they are
     * @param ipv6        whether the container has IPv6; otherwise IPv6 servers are dropped
     * @param network     the network's DNS (aardvark's address and {@code dns.podman}); used when the user gave no servers
     * @param user        {@code --dns*} / {@code dnsConfig} (with containers.conf's dns_* before them); wins over everything
     */
    public static String build(String hostContent, boolean ownNetns, boolean ipv6, DnsConfig network, DnsConfig user) {
        List<String> servers = new ArrayList<>(user.servers());
        List<String> searches = new ArrayList<>();
        if (servers.isEmpty()) {
            // a network's DNS server comes with its search domain, as in Podman
            servers.addAll(network.servers());
            searches.addAll(network.searches());
        }
        if (!user.searches().isEmpty()) {
            searches = new ArrayList<>(user.searches());
        }
        List<String> options = new ArrayList<>(user.options());
        boolean searchesGiven = !searches.isEmpty();
        if (!servers.isEmpty() && searchesGiven && !options.isEmpty()) {
            return render(servers, searches, options);
        }
        String content = hostContent == null ? "" : hostContent;
        if (servers.isEmpty()) {
            servers.addAll(hostServers(content, ownNetns, ipv6));
        }
        if (!searchesGiven) {
            searches.addAll(lastLine(content, "search"));
        }
        if (options.isEmpty()) {
            options.addAll(lastLine(content, "options"));
        }
        return render(servers, searches, options);
    }

    /** The host's servers a container may use; the fallback when none is left in its own netns. */
    static List<String> hostServers(String content, boolean ownNetns, boolean ipv6) {
        List<String> servers = new ArrayList<>();
        for (String line : lines(content)) {
            String[] f = line.split("\\s+");
            if (f.length < 2 || !f[0].equals("nameserver")) {
                continue;
            }
            String ip = f[1];
            int zone = ip.indexOf('%');
            String bare = zone >= 0 ? ip.substring(0, zone) : ip;
            if (!HostEntry.isIpLiteral(bare)) {
                continue;
            }
            if (ownNetns) {
                boolean v6 = bare.indexOf(':') >= 0;
                if (isLoopback(bare) || (v6 && !ipv6) || zone >= 0) {
                    continue;
                }
            }
            servers.add(ip);
        }
        if (ownNetns && servers.isEmpty()) {
            servers.addAll(FALLBACK_IPV4);
            if (ipv6) {
                servers.addAll(FALLBACK_IPV6);
            }
        }
        return servers;
    }

    private static boolean isLoopback(String ip) {
        return ip.startsWith("127.") || ip.equals("::1") || ip.equals("0:0:0:0:0:0:0:1");
    }

    /** The words of the last line starting with {@code keyword}, as the resolver reads it. */
    private static List<String> lastLine(String content, String keyword) {
        List<String> result = List.of();
        for (String line : lines(content)) {
            String[] f = line.split("\\s+");
            if (f[0].equals(keyword)) {
                result = List.of(f).subList(1, f.length);
            }
        }
        return result;
    }

    private static List<String> lines(String content) {
        List<String> out = new ArrayList<>();
        for (String raw : content.split("\n")) {
            int hash = raw.indexOf('#');
            int semi = raw.indexOf(';');
            int cut = hash < 0 ? semi : semi < 0 ? hash : Math.min(hash, semi);
            String line = (cut >= 0 ? raw.substring(0, cut) : raw).trim();
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    private static String render(List<String> servers, List<String> searches, List<String> options) {
        StringBuilder out = new StringBuilder();
        // a lone "." means "no search domains" (Podman's --dns-search=.)
        List<String> search = searches.contains(".") ? List.of() : searches;
        if (!search.isEmpty()) {
            out.append("search ").append(String.join(" ", search)).append('\n');
        }
        for (String s : servers) {
            out.append("nameserver ").append(s).append('\n');
        }
        if (!options.isEmpty()) {
            out.append("options ").append(String.join(" ", options)).append('\n');
        }
        return out.toString();
    }
}
