package io.kpod.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kpod network create} asks for, flag for flag with Podman: {@code --subnet},
 * {@code --gateway}, {@code --ip-range} (matched to subnets by position), {@code --internal},
 * {@code --disable-dns}, {@code --label}, {@code -o/--opt}, {@code --interface-name},
 * {@code --ignore}, {@code --driver}, {@code --ipv6} (adds a random ULA /64 unless an IPv6
 * {@code --subnet} is given), {@code --dns} (the servers aardvark-dns forwards other names to).
 *
 * @param ipRanges each a CIDR inside its subnet ("10.90.5.128/25") or "start-end"
 */
public record NetworkCreateRequest(
        String name,
        String driver,
        List<String> subnets,
        List<String> gateways,
        List<String> ipRanges,
        boolean internal,
        boolean disableDns,
        Map<String, String> labels,
        Map<String, String> options,
        String interfaceName,
        boolean ignoreIfExists,
        boolean ipv6,
        List<String> dnsServers) {

    public NetworkCreateRequest(String name, String driver, List<String> subnets, List<String> gateways,
            List<String> ipRanges, boolean internal, boolean disableDns, Map<String, String> labels,
            Map<String, String> options, String interfaceName, boolean ignoreIfExists, boolean ipv6) {
        this(name, driver, subnets, gateways, ipRanges, internal, disableDns, labels, options, interfaceName,
                ignoreIfExists, ipv6, null);
    }

    public NetworkCreateRequest {
        driver = driver == null || driver.isEmpty() ? Network.BRIDGE : driver;
        subnets = subnets == null ? List.of() : List.copyOf(subnets);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        ipRanges = ipRanges == null ? List.of() : List.copyOf(ipRanges);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        options = options == null ? Map.of() : Map.copyOf(options);
        interfaceName = interfaceName == null || interfaceName.isEmpty() ? null : interfaceName;
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }

    public NetworkCreateRequest(String name, String driver, List<String> subnets, List<String> gateways,
            List<String> ipRanges, boolean internal, boolean disableDns, Map<String, String> labels,
            Map<String, String> options, String interfaceName, boolean ignoreIfExists) {
        this(name, driver, subnets, gateways, ipRanges, internal, disableDns, labels, options, interfaceName,
                ignoreIfExists, false);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent construction; every method mirrors one Podman flag. */
    public static final class Builder {
        private final String name;
        private String driver = Network.BRIDGE;
        private final List<String> subnets = new ArrayList<>();
        private final List<String> gateways = new ArrayList<>();
        private final List<String> ipRanges = new ArrayList<>();
        private boolean internal;
        private boolean disableDns;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final Map<String, String> options = new LinkedHashMap<>();
        private String interfaceName;
        private boolean ignoreIfExists;
        private boolean ipv6;
        private final List<String> dnsServers = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder driver(String v) {
            driver = v;
            return this;
        }

        public Builder subnet(String v) {
            subnets.add(v);
            return this;
        }

        public Builder gateway(String v) {
            gateways.add(v);
            return this;
        }

        public Builder ipRange(String v) {
            ipRanges.add(v);
            return this;
        }

        public Builder internal(boolean v) {
            internal = v;
            return this;
        }

        public Builder disableDns(boolean v) {
            disableDns = v;
            return this;
        }

        public Builder label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        public Builder option(String k, String v) {
            options.put(k, v);
            return this;
        }

        public Builder interfaceName(String v) {
            interfaceName = v;
            return this;
        }

        public Builder ignoreIfExists(boolean v) {
            ignoreIfExists = v;
            return this;
        }

        public Builder ipv6(boolean v) {
            ipv6 = v;
            return this;
        }

        public Builder dns(String v) {
            dnsServers.add(v);
            return this;
        }

        public NetworkCreateRequest build() {
            return new NetworkCreateRequest(name, driver, subnets, gateways, ipRanges, internal, disableDns,
                    labels, options, interfaceName, ignoreIfExists, ipv6, dnsServers);
        }
    }
}
