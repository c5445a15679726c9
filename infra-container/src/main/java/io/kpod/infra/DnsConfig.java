package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.util.List;

/**
 * DNS settings as lists: {@code --dns}, {@code --dns-search}, {@code --dns-option} (or a
 * Kubernetes {@code dnsConfig}), or what a network offers (aardvark's server and
 * {@code dns.podman}). Empty lists mean "not given".
 */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {

    public DnsConfig {
        servers = servers == null ? List.of() : List.copyOf(servers);
        searches = searches == null ? List.of() : List.copyOf(searches);
        options = options == null ? List.of() : List.copyOf(options);
        for (String s : servers) {
            if (!HostEntry.isIpLiteral(s)) {
                throw KpodException.invalid("invalid DNS server \"" + s + "\": not an IP address");
            }
        }
    }

    public static DnsConfig none() {
        return new DnsConfig(List.of(), List.of(), List.of());
    }

    public boolean isEmpty() {
        return servers.isEmpty() && searches.isEmpty() && options.isEmpty();
    }
}
