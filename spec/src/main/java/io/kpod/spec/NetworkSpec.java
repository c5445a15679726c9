package io.kpod.spec;

import java.util.List;

/**
 * How a container or pod joins bridge networks: which networks (empty means the default
 * one), its extra DNS aliases, published ports in Podman's {@code -p} syntax, and a
 * requested address or MAC.
 */
public record NetworkSpec(List<String> networks, List<String> aliases, List<String> publish, boolean publishAll,
                          String ip, String mac) {
    public NetworkSpec {
        networks = networks == null ? List.of() : List.copyOf(networks);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        publish = publish == null ? List.of() : List.copyOf(publish);
    }

    public static NetworkSpec defaults() {
        return new NetworkSpec(List.of(), List.of(), List.of(), false, null, null);
    }
}
