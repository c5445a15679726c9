package io.kpod.network;

import io.kpod.spec.KpodException;
import io.kpod.spec.Names;
import java.net.InetAddress;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a create request into a complete network: picks subnet and bridge name, validates
 * everything against the other networks and the host. Pure apart from the probe it is given.
 */
final class NetworkFactory {
    /** kpod's own pool; Podman uses 10.88.0.0/16 and 10.89.0.0/24, so kpod stays clear of both. */
    static final Cidr POOL = Cidr.parse("10.90.0.0/16");
    static final String BRIDGE_PREFIX = "kpod";
    private static final Set<String> RESERVED = Set.of("none", "host", "private", "bridge", "slirp4netns", "pasta",
            "ns", "container");

    private final HostNetworkProbe probe;
    private final Supplier<String> ids;
    private final Clock clock;
    private final java.util.random.RandomGenerator random;

    NetworkFactory(HostNetworkProbe probe, Supplier<String> ids, Clock clock) {
        this(probe, ids, clock, new java.security.SecureRandom());
    }

    NetworkFactory(HostNetworkProbe probe, Supplier<String> ids, Clock clock, java.util.random.RandomGenerator random) {
        this.probe = probe;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
    }

    /** The default network: first free /24 of the pool from 10.90.0.0, bridge kpod0 unless taken. */
    Network buildDefault(String name, List<Network> existing) {
        return build(NetworkCreateRequest.builder(name).build(), existing, true);
    }

    Network build(NetworkCreateRequest req, List<Network> existing) {
        return build(req, existing, false);
    }

    private Network build(NetworkCreateRequest req, List<Network> existing, boolean isDefault) {
        Names.check("network", req.name());
        if (RESERVED.contains(req.name())) {
            throw KpodException.invalid("cannot create network with name \"" + req.name()
                    + "\" because it conflicts with a valid network mode");
        }
        if (!Network.BRIDGE.equals(req.driver())) {
            throw KpodException.invalid("unsupported driver " + req.driver() + ": kpod supports the bridge driver");
        }
        if (req.gateways().size() > req.subnets().size()) {
            throw KpodException.invalid("cannot set more gateways than subnets: give one --subnet per --gateway");
        }
        if (req.ipRanges().size() > req.subnets().size()) {
            throw KpodException.invalid("cannot set more ip-ranges than subnets: give one --subnet per --ip-range");
        }
        Map<String, String> options = new LinkedHashMap<>(req.options());
        String iface = req.interfaceName();
        String dockerName = options.remove("com.docker.network.bridge.name");
        if (iface == null && dockerName != null) {
            iface = dockerName;
        }
        String dockerMtu = options.remove("com.docker.network.driver.mtu");
        if (dockerMtu != null) {
            options.putIfAbsent("mtu", dockerMtu);
        }
        validateOptions(options);

        Set<String> usedBridges = new HashSet<>();
        for (Network n : existing) {
            if (n.networkInterface() != null) {
                usedBridges.add(n.networkInterface());
            }
        }
        if (iface != null) {
            validateInterfaceName(iface);
            for (Network n : existing) {
                if (iface.equals(n.networkInterface())) {
                    throw KpodException.conflict("bridge name " + iface + " is already used by network " + n.name());
                }
            }
        } else {
            iface = freeBridgeName(usedBridges, isDefault ? 0 : 1);
        }

        List<Cidr> routes = probe.routes();
        boolean addGateway = !req.internal() || !req.disableDns();
        List<Subnet> subnets = new ArrayList<>();
        if (req.subnets().isEmpty()) {
            Cidr free = freeSubnet(existing, routes, isDefault ? 0 : 1);
            InetAddress gw = free.firstHost();
            subnets.add(new Subnet(free.toString(), addGateway ? IpAddresses.format(gw) : null, null));
        } else {
            List<Cidr> mine = new ArrayList<>();
            for (int i = 0; i < req.subnets().size(); i++) {
                Cidr c = Cidr.parse(req.subnets().get(i));
                checkFree(c, existing, routes);
                for (Cidr other : mine) {
                    if (other.overlaps(c)) {
                        throw KpodException.invalid("subnet " + c + " overlaps subnet " + other + " of the same network");
                    }
                }
                mine.add(c);
                String gw = i < req.gateways().size() ? gateway(c, req.gateways().get(i)) : null;
                if (gw == null && addGateway) {
                    gw = IpAddresses.format(c.firstHost());
                }
                LeaseRange range = i < req.ipRanges().size() ? leaseRange(c, req.ipRanges().get(i)) : null;
                subnets.add(new Subnet(c.toString(), gw, range));
            }
        }
        if (req.ipv6() && subnets.stream().allMatch(s -> s.cidr().isIpv4())) {
            Cidr v6 = freeUlaSubnet(existing, routes);
            subnets.add(new Subnet(v6.toString(), addGateway ? IpAddresses.format(v6.firstHost()) : null, null));
        }
        boolean ipv6 = subnets.stream().anyMatch(s -> !s.cidr().isIpv4());
        if (!req.dnsServers().isEmpty() && req.disableDns()) {
            throw KpodException.invalid("--dns cannot be used with --disable-dns: the network's DNS servers are "
                    + "what its aardvark-dns forwards to");
        }
        for (String dns : req.dnsServers()) {
            if (!dns.matches("[0-9a-fA-F:.]+") || !IpAddresses.isLiteral(dns)) {
                throw KpodException.invalid("invalid DNS server \"" + dns + "\": an IPv4 or IPv6 address is needed");
            }
        }
        return new Network(req.name(), ids.get(), Network.BRIDGE, iface,
                Network.formatCreated(OffsetDateTime.now(clock)), subnets, ipv6, req.internal(), !req.disableDns(),
                req.labels(), options, Map.of("driver", "host-local"), req.dnsServers());
    }

    private static void validateOptions(Map<String, String> options) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "mtu" -> checkInt(e.getKey(), v, 0, 65536);
                case "metric" -> checkInt(e.getKey(), v, 0, Integer.MAX_VALUE);
                case "vlan" -> checkInt(e.getKey(), v, 0, 4094);
                case "isolate" -> {
                    if (!v.equals("true") && !v.equals("false") && !v.equals("strict")) {
                        throw KpodException.invalid("invalid isolate option \"" + v + "\": use true, false or strict");
                    }
                }
                default -> throw KpodException.invalid("unsupported bridge network option " + e.getKey()
                        + ": kpod knows mtu, metric, vlan and isolate");
            }
        }
    }

    private static void checkInt(String key, String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw KpodException.invalid("invalid " + key + " option \"" + v + "\": expected a number from " + min
                    + " to " + max);
        }
    }

    static void validateInterfaceName(String name) {
        if (name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")
                || !name.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != '/' && ch != ':')) {
            throw KpodException.invalid("invalid interface name \"" + name
                    + "\": 1 to 15 characters, no spaces, '/' or ':'");
        }
    }

    private String freeBridgeName(Set<String> usedByNetworks, int from) {
        Set<String> live = probe.interfaceNames();
        for (int n = from; n < 100_000; n++) {
            String name = BRIDGE_PREFIX + n;
            if (!usedByNetworks.contains(name) && !live.contains(name)) {
                return name;
            }
        }
        throw KpodException.conflict("no free bridge name " + BRIDGE_PREFIX + "N left; remove unused networks");
    }

    private static Cidr freeSubnet(List<Network> existing, List<Cidr> routes, int fromIndex) {
        for (int i = fromIndex; i < 256; i++) {
            Cidr candidate = Cidr.of(Cidr.offset(POOL.network(), (long) i << 8), 24);
            if (usedBy(candidate, existing) == null && overlappingRoute(candidate, routes) == null) {
                return candidate;
            }
        }
        throw KpodException.conflict("no free subnet left in kpod's pool " + POOL
                + "; remove unused networks or pass --subnet");
    }

    /**
     * A random RFC 4193 unique local /64 (fdXX:XXXX:XXXX:XXXX::/64, a random 40-bit global id
     * and subnet id), as Podman picks one for {@code --ipv6}, that no network or route uses.
     */
    private Cidr freeUlaSubnet(List<Network> existing, List<Cidr> routes) {
        for (int i = 0; i < 100; i++) {
            byte[] addr = new byte[16];
            addr[0] = (byte) 0xfd;
            for (int b = 1; b < 8; b++) {
                addr[b] = (byte) random.nextInt(256);
            }
            Cidr candidate;
            try {
                candidate = Cidr.of(InetAddress.getByAddress(addr), 64);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            if (usedBy(candidate, existing) == null && overlappingRoute(candidate, routes) == null) {
                return candidate;
            }
        }
        throw KpodException.conflict("no free IPv6 subnet found in fd00::/8; pass an IPv6 --subnet");
    }

    private static void checkFree(Cidr c, List<Network> existing, List<Cidr> routes) {
        Network user = usedBy(c, existing);
        if (user != null) {
            throw KpodException.conflict("subnet " + c + " is already used by network " + user.name()
                    + "; choose another --subnet");
        }
        Cidr route = overlappingRoute(c, routes);
        if (route != null) {
            throw KpodException.conflict("subnet " + c + " overlaps the host route " + route
                    + "; choose another --subnet");
        }
    }

    private static Network usedBy(Cidr c, List<Network> existing) {
        for (Network n : existing) {
            for (Subnet s : n.subnets()) {
                if (s.cidr().overlaps(c)) {
                    return n;
                }
            }
        }
        return null;
    }

    private static Cidr overlappingRoute(Cidr c, List<Cidr> routes) {
        return routes.stream().filter(r -> r.overlaps(c)).findFirst().orElse(null);
    }

    private static String gateway(Cidr c, String text) {
        InetAddress gw = IpAddresses.parse(text);
        if (!c.contains(gw)) {
            throw KpodException.invalid("gateway " + text + " is not in subnet " + c);
        }
        if (c.hostBits() > 1 && (gw.equals(c.network()) || (c.isIpv4() && gw.equals(c.last())))) {
            throw KpodException.invalid("gateway " + text + " is the network or broadcast address of " + c);
        }
        return IpAddresses.format(gw);
    }

    /** A range as CIDR (Podman 4) or "start-end" (Podman 5). */
    private static LeaseRange leaseRange(Cidr subnet, String text) {
        InetAddress start;
        InetAddress end;
        int dash = text.indexOf('-');
        if (dash > 0) {
            start = IpAddresses.parse(text.substring(0, dash));
            end = IpAddresses.parse(text.substring(dash + 1));
        } else {
            Cidr r = Cidr.parse(text);
            if (!subnet.contains(r)) {
                throw KpodException.invalid("ip-range " + text + " is not inside subnet " + subnet);
            }
            // Podman stores a CIDR range as its first and last host address.
            start = r.firstHost();
            end = r.lastHost();
        }
        if (!subnet.contains(start) || !subnet.contains(end)) {
            throw KpodException.invalid("ip-range " + text + " is not inside subnet " + subnet);
        }
        if (Cidr.compare(start, end) > 0) {
            throw KpodException.invalid("ip-range " + text + " starts after it ends");
        }
        return new LeaseRange(IpAddresses.format(start), IpAddresses.format(end));
    }
}
