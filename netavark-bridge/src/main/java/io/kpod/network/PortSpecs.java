package io.kpod.network;

import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Parses Podman's {@code -p/--publish [hostIP:][hostPort:]containerPort[/protocol]}. */
public final class PortSpecs {
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    private PortSpecs() {
    }

    /**
     * One mapping per protocol. An empty or absent host port yields host port 0, to be
     * replaced by a random free port. Ranges ({@code 8080-8081:80-81}) must have equal lengths.
     */
    public static List<PortMapping> parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "empty port specification");
        }
        String s = spec.trim();
        Set<String> protocols = new LinkedHashSet<>();
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            for (String p : s.substring(slash + 1).split(",", -1)) {
                String proto = p.trim().toLowerCase(java.util.Locale.ROOT);
                if (!PROTOCOLS.contains(proto)) {
                    throw invalid(spec, "unknown protocol \"" + p + "\", use tcp, udp or sctp");
                }
                protocols.add(proto);
            }
            s = s.substring(0, slash);
        } else {
            protocols.add("tcp");
        }
        String hostIp = "";
        String hostPart = null;
        String ctrPart;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw invalid(spec, "expected [IPv6]:hostPort:containerPort");
            }
            hostIp = s.substring(1, close);
            String rest = s.substring(close + 2);
            int colon = rest.indexOf(':');
            if (colon < 0) {
                throw invalid(spec, "expected [IPv6]:hostPort:containerPort");
            }
            hostPart = rest.substring(0, colon);
            ctrPart = rest.substring(colon + 1);
        } else {
            String[] parts = s.split(":", -1);
            switch (parts.length) {
                case 1 -> ctrPart = parts[0];
                case 2 -> {
                    hostPart = parts[0];
                    ctrPart = parts[1];
                }
                case 3 -> {
                    hostIp = parts[0];
                    hostPart = parts[1];
                    ctrPart = parts[2];
                }
                default -> throw invalid(spec, "too many colons; put an IPv6 host address in brackets");
            }
        }
        if (!hostIp.isEmpty()) {
            if (!IpAddresses.isLiteral(hostIp)) {
                throw invalid(spec, "host address \"" + hostIp + "\" is not an IP address");
            }
            hostIp = IpAddresses.canonical(hostIp);
            if (hostIp.equals("0.0.0.0")) {
                hostIp = "";
            }
        }
        int[] ctr = range(spec, ctrPart, "container");
        int hostStart = 0;
        if (hostPart != null && !hostPart.isEmpty()) {
            int[] host = range(spec, hostPart, "host");
            if (host[1] != ctr[1]) {
                throw invalid(spec, "host and container port ranges have different lengths: " + host[1] + " vs "
                        + ctr[1]);
            }
            hostStart = host[0];
        }
        List<PortMapping> out = new ArrayList<>();
        for (String proto : protocols) {
            out.add(new PortMapping(hostIp, ctr[0], hostStart, ctr[1], proto));
        }
        return out;
    }

    /** Parses many specs, in order. */
    public static List<PortMapping> parseAll(List<String> specs) {
        List<PortMapping> out = new ArrayList<>();
        specs.forEach(s -> out.addAll(parse(s)));
        return out;
    }

    /** Returns {start, length}; a host port of 0 means "random", as in Podman. */
    private static int[] range(String spec, String text, String what) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw invalid(spec, what + " port is missing");
        }
        int dash = t.indexOf('-');
        int start = port(spec, dash < 0 ? t : t.substring(0, dash), what);
        int end = dash < 0 ? start : port(spec, t.substring(dash + 1), what);
        if (end < start) {
            throw invalid(spec, what + " port range " + t + " ends before it starts");
        }
        if (start == 0 && (what.equals("container") || end != 0)) {
            throw invalid(spec, what + " port 0 is not allowed here");
        }
        return new int[] {start, end - start + 1};
    }

    private static int port(String spec, String text, String what) {
        try {
            int p = Integer.parseInt(text.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw invalid(spec, "invalid " + what + " port \"" + text + "\": must be 1-65535");
        }
    }

    private static KpodException invalid(String spec, String why) {
        return KpodException.invalid("invalid port specification \"" + spec + "\": " + why);
    }
}
