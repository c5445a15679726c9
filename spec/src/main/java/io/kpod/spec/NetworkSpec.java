package io.kpod.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a container or pod joins bridge networks: which networks (empty means the default
 * one), its extra DNS aliases, published ports in Podman's {@code -p} syntax, a requested
 * address ({@code --ip}, {@code --ip6}) or MAC, and per-network settings from {@code network connect}.
 */
public record NetworkSpec(List<String> networks, List<String> aliases, List<String> publish, boolean publishAll,
                          String ip, String mac, Map<String, NetworkAttachment> attachments, String ip6) {
    public NetworkSpec {
        networks = networks == null ? List.of() : List.copyOf(networks);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        publish = publish == null ? List.of() : List.copyOf(publish);
        attachments = attachments == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attachments));
    }

    public NetworkSpec(List<String> networks, List<String> aliases, List<String> publish, boolean publishAll,
                       String ip, String mac) {
        this(networks, aliases, publish, publishAll, ip, mac, Map.of(), null);
    }

    /** The same spec with a static IPv6 address ({@code --ip6}). */
    public NetworkSpec withIp6(String v6) {
        return new NetworkSpec(networks, aliases, publish, publishAll, ip, mac, attachments, v6);
    }

    public static NetworkSpec defaults() {
        return new NetworkSpec(List.of(), List.of(), List.of(), false, null, null);
    }

    /** The per-network settings of {@code network}, or none. */
    public NetworkAttachment attachment(String network) {
        return attachments.getOrDefault(network, NetworkAttachment.none());
    }

    /**
     * The same spec also joining {@code network}. {@code current} is the list of networks the
     * container joins now (the default network's name when the spec names none).
     */
    public NetworkSpec connected(List<String> current, String network, NetworkAttachment attachment) {
        List<String> nets = new ArrayList<>(current);
        Map<String, NetworkAttachment> att = new LinkedHashMap<>(attachments);
        boolean moved = (ip != null || ip6 != null || mac != null) && nets.size() == 1;
        if (moved) {
            // --ip, --ip6 and --mac-address were for the one network; they stay with it, not the new one
            NetworkAttachment first = attachment(nets.get(0));
            att.put(nets.get(0), new NetworkAttachment(first.aliases(), first.ip() != null ? first.ip() : ip,
                    first.ip6() != null ? first.ip6() : ip6, first.mac() != null ? first.mac() : mac));
        }
        nets.add(network);
        att.put(network, attachment);
        return moved ? new NetworkSpec(nets, aliases, publish, publishAll, null, null, att, null)
                : new NetworkSpec(nets, aliases, publish, publishAll, ip, mac, att, ip6);
    }

    /** The same spec without {@code network}; {@code current} as for {@link #connected}. */
    public NetworkSpec disconnected(List<String> current, String network) {
        List<String> nets = new ArrayList<>(current);
        nets.remove(network);
        Map<String, NetworkAttachment> att = new LinkedHashMap<>(attachments);
        att.remove(network);
        return new NetworkSpec(nets, aliases, publish, publishAll, ip, mac, att, ip6);
    }
}
