package io.kpod.network;

import java.util.List;
import java.util.Set;

/** What the host already uses: routed prefixes and interface names. A seam so tests need no host. */
public interface HostNetworkProbe {
    /** Destination prefixes of the host's routes, default routes excluded. */
    List<Cidr> routes();

    /** Names of the network interfaces that exist on the host now. */
    Set<String> interfaceNames();

    /** The live host, read from /proc/net/route, /proc/net/ipv6_route and /sys/class/net. */
    static HostNetworkProbe linux() {
        return new LinuxHostNetworkProbe();
    }

    /** A fixed host, for tests and dry runs. */
    static HostNetworkProbe fixed(List<Cidr> routes, Set<String> interfaces) {
        return new HostNetworkProbe() {
            @Override
            public List<Cidr> routes() {
                return routes;
            }

            @Override
            public Set<String> interfaceNames() {
                return interfaces;
            }
        };
    }
}
