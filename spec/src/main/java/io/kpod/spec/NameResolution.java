package io.kpod.spec;

import java.util.List;

/**
 * A container's own /etc/hosts additions and /etc/resolv.conf ({@code --add-host}, {@code --dns},
 * {@code --dns-search}, {@code --dns-option}). A pod's containers use the pod's instead.
 *
 * @param addHosts {@code HOST:IP} entries
 */
public record NameResolution(List<String> addHosts, List<String> dnsServers, List<String> dnsSearches,
                             List<String> dnsOptions) {
    public NameResolution {
        addHosts = addHosts == null ? List.of() : List.copyOf(addHosts);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        dnsSearches = dnsSearches == null ? List.of() : List.copyOf(dnsSearches);
        dnsOptions = dnsOptions == null ? List.of() : List.copyOf(dnsOptions);
        for (String h : addHosts) {
            int colon = h.indexOf(':');
            if (colon <= 0 || colon == h.length() - 1) {
                throw KpodException.invalid("invalid --add-host \"" + h + "\": expected HOST:IP");
            }
        }
    }

    public static NameResolution defaults() {
        return new NameResolution(null, null, null, null);
    }

    public boolean isEmpty() {
        return addHosts.isEmpty() && dnsServers.isEmpty() && dnsSearches.isEmpty() && dnsOptions.isEmpty();
    }
}
