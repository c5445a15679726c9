package io.kpod.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What netavark setup reports for one network: interfaces and the DNS a container should use. */
public record NetworkStatus(
        @JsonProperty("interfaces") Map<String, NetInterface> interfaces,
        @JsonProperty("dns_server_ips") List<String> dnsServerIps,
        @JsonProperty("dns_search_domains") List<String> dnsSearchDomains) {
    public NetworkStatus {
        interfaces = interfaces == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(interfaces));
        dnsServerIps = dnsServerIps == null ? List.of() : List.copyOf(dnsServerIps);
        dnsSearchDomains = dnsSearchDomains == null ? List.of() : List.copyOf(dnsSearchDomains);
    }
}
