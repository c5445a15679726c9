package io.kpod.network;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks and chooses host ports for published ports. netavark only adds DNAT rules and binds
 * nothing, so a port published by another kpod container is invisible to a bind test; the
 * caller therefore passes what kpod containers publish already.
 */
public final class HostPorts {
    private static final int RANDOM_TRIES = 200;

    /** Whether a host port is bindable: a probe the tests can replace. */
    @FunctionalInterface
    public interface PortProbe {
        boolean isFree(String hostIp, int port, String protocol);
    }

    private final PortProbe probe;

    public HostPorts() {
        this(HostPorts::bindable);
    }

    public HostPorts(PortProbe probe) {
        this.probe = probe;
    }

    /**
     * Returns the mappings with random ports filled in, after checking every host port is free
     * on the host and not published by another owner.
     *
     * @param inUseByOwner owner id (container) → the mappings it publishes now
     */
    public List<PortMapping> assign(List<PortMapping> requested, Map<String, List<PortMapping>> inUseByOwner) {
        List<PortMapping> done = new ArrayList<>();
        for (PortMapping m : requested) {
            PortMapping resolved = m.hostPort() == 0 ? random(m, done, inUseByOwner) : m;
            if (m.hostPort() != 0) {
                check(resolved, done, inUseByOwner);
            }
            done.add(resolved);
        }
        return done;
    }

    private void check(PortMapping m, List<PortMapping> earlier, Map<String, List<PortMapping>> inUse) {
        for (PortMapping e : earlier) {
            if (m.clashesWith(e)) {
                throw KpodException.conflict("host port " + m.hostPort() + "/" + m.protocol()
                        + " is published twice (" + e + " and " + m + ")");
            }
        }
        for (Map.Entry<String, List<PortMapping>> owner : inUse.entrySet()) {
            for (PortMapping e : owner.getValue()) {
                if (m.clashesWith(e)) {
                    String id = owner.getKey();
                    throw KpodException.conflict("host port " + e.hostPort() + "/" + e.protocol()
                            + " is already published by container " + (id.length() > 12 ? id.substring(0, 12) : id)
                            + " (" + e + ")");
                }
            }
        }
        for (int p = m.hostPort(); p < m.hostPort() + m.range(); p++) {
            if (!probe.isFree(m.hostIp(), p, m.protocol())) {
                throw KpodException.conflict("cannot listen on the " + m.protocol().toUpperCase(java.util.Locale.ROOT)
                        + " port " + (m.hostIp().isEmpty() ? "" : m.hostIp()) + ":" + p
                        + ": it is in use, or the address is not on this host");
            }
        }
    }

    private PortMapping random(PortMapping m, List<PortMapping> earlier, Map<String, List<PortMapping>> inUse) {
        for (int i = 0; i < RANDOM_TRIES; i++) {
            int start = ephemeralPort(m.hostIp());
            if (start + m.range() - 1 > 65535) {
                continue;
            }
            PortMapping candidate = m.withHostPort(start);
            try {
                check(candidate, earlier, inUse);
                return candidate;
            } catch (KpodException e) {
                // taken by someone: try another kernel-chosen port
            }
        }
        throw KpodException.conflict("cannot find " + m.range() + " free host port(s) for " + m.containerPort()
                + "/" + m.protocol());
    }

    /** Lets the kernel pick a free port, as Podman does for an empty host port. */
    private static int ephemeralPort(String hostIp) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address(hostIp), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw KpodException.runtime("cannot get a free port on " + (hostIp.isEmpty() ? "the host" : hostIp)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * True when the port can be bound now. SCTP cannot be probed from the JDK without native
     * SCTP support, so only the published list guards it.
     */
    public static boolean bindable(String hostIp, int port, String protocol) {
        InetSocketAddress addr = new InetSocketAddress(address(hostIp), port);
        try {
            switch (protocol) {
                case "tcp" -> {
                    try (ServerSocket s = new ServerSocket()) {
                        s.bind(addr);
                    }
                }
                case "udp" -> {
                    try (DatagramSocket s = new DatagramSocket(null)) {
                        s.bind(addr);
                    }
                }
                default -> {
                    return true;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress address(String hostIp) {
        if (hostIp == null || hostIp.isEmpty()) {
            return new InetSocketAddress(0).getAddress();
        }
        return IpAddresses.parse(hostIp);
    }
}
