package io.kpod.spec;

import java.util.List;

/**
 * How a container joins one particular network, as {@code network connect} asks for it:
 * extra DNS aliases, a static IPv4 and IPv6 address and a static MAC, each optional.
 */
public record NetworkAttachment(List<String> aliases, String ip, String ip6, String mac) {
    public NetworkAttachment {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ip = ip == null || ip.isEmpty() ? null : ip;
        ip6 = ip6 == null || ip6.isEmpty() ? null : ip6;
        mac = mac == null || mac.isEmpty() ? null : mac;
    }

    public static NetworkAttachment none() {
        return new NetworkAttachment(List.of(), null, null, null);
    }
}
