package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** One line of {@code /etc/hosts}: an address and the names it answers to. */
public record HostEntry(String ip, List<String> names) {
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    public HostEntry {
        if (ip == null || ip.isBlank()) {
            throw KpodException.invalid("a hosts entry needs an IP address");
        }
        names = names == null ? List.of() : List.copyOf(names);
        if (names.isEmpty()) {
            throw KpodException.invalid("the hosts entry for " + ip + " needs at least one name");
        }
        for (String n : names) {
            if (n.isBlank() || n.chars().anyMatch(Character::isWhitespace)) {
                throw KpodException.invalid("invalid host name \"" + n + "\" for " + ip);
            }
        }
    }

    public static HostEntry of(String ip, String... names) {
        return new HostEntry(ip, List.of(names));
    }

    /**
     * Parses Podman's {@code --add-host host:ip}. The split is at the first colon, so
     * {@code db:2001:db8::1} is an IPv6 entry. The address must be a literal.
     */
    public static HostEntry parseAddHost(String value) {
        int colon = value == null ? -1 : value.indexOf(':');
        if (colon < 0) {
            throw KpodException.invalid("invalid --add-host \"" + value + "\": expected host:ip");
        }
        String name = value.substring(0, colon).trim();
        String ip = value.substring(colon + 1).trim();
        if (name.isEmpty()) {
            throw KpodException.invalid("invalid --add-host \"" + value + "\": the host name is empty");
        }
        if (!isIpLiteral(ip)) {
            throw KpodException.invalid("invalid --add-host \"" + value + "\": \"" + ip + "\" is not an IP address");
        }
        return new HostEntry(ip, List.of(name));
    }

    /** A Kubernetes {@code hostAliases} item: one IP, several host names. */
    public static HostEntry hostAlias(String ip, List<String> hostnames) {
        if (!isIpLiteral(ip)) {
            throw KpodException.invalid("invalid hostAliases ip \"" + ip + "\": not an IP address");
        }
        return new HostEntry(ip, hostnames);
    }

    /** True for a literal IPv4 or IPv6 address; never does a DNS lookup. */
    public static boolean isIpLiteral(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        // only strings made of hex digits, colons and dots reach InetAddress, so no lookup happens
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(s) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The line as written to the file, with Podman's tab after the address and the newline. */
    public String line() {
        return ip + "\t" + String.join(" ", names) + "\n";
    }
}
