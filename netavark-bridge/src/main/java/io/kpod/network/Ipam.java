package io.kpod.network;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Address allocation for kpod's networks (netavark allocates nothing itself). Each network has
 * {@code <stateDir>/<network>.json} holding owner → addresses, changed only under
 * {@code <stateDir>/<network>.lock} and replaced atomically, so no address is ever handed out
 * twice, whatever the number of kpod processes.
 */
public final class Ipam {
    private final Path stateDir;

    /** @param stateDir where allocation files live; kpod passes {@code <runroot>/networks/ipam} */
    public Ipam(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The allocation file of a network. */
    public Path stateFile(String networkName) {
        return stateDir.resolve(networkName + ".json");
    }

    /** Allocates one address per subnet; {@code requested} is a {@code --ip} static address. */
    public List<InetAddress> allocate(Network network, String ownerId, Optional<InetAddress> requested) {
        return allocate(network, ownerId, requested.map(List::of).orElse(List.of()));
    }

    /**
     * Allocates one address per subnet of the network, honouring static requests (at most one
     * per subnet). Idempotent: an owner that already holds addresses gets them back unless it
     * now requests different ones, in which case it moves to those.
     */
    public List<InetAddress> allocate(Network network, String ownerId, List<InetAddress> requested) {
        if (ownerId == null || ownerId.isEmpty()) {
            throw KpodException.invalid("an address owner id is required");
        }
        return FileLocks.locked(lockFile(network.name()), () -> {
            IpamState state = load(network);
            List<String> held = state.allocations().get(ownerId);
            if (held != null) {
                List<String> want = requested.stream().map(IpAddresses::format).toList();
                if (held.containsAll(want)) {
                    return held.stream().map(IpAddresses::parse).toList();
                }
                state.allocations().remove(ownerId);
            }
            Map<InetAddress, String> taken = new HashMap<>();
            state.allocations().forEach((owner, ips) -> ips.forEach(ip -> taken.put(IpAddresses.parse(ip), owner)));
            List<InetAddress> pending = new ArrayList<>(requested);
            List<InetAddress> result = new ArrayList<>();
            for (Subnet subnet : network.subnets()) {
                Cidr cidr = subnet.cidr();
                List<InetAddress> mine = pending.stream().filter(cidr::contains).toList();
                if (mine.size() > 1) {
                    throw KpodException.invalid("only one static address per subnet: " + mine.size()
                            + " given for subnet " + cidr);
                }
                InetAddress ip;
                if (mine.isEmpty()) {
                    ip = nextFree(network, subnet, taken.keySet(), state.lastAllocated().get(cidr.toString()));
                    state.lastAllocated().put(cidr.toString(), IpAddresses.format(ip));
                } else {
                    ip = mine.get(0);
                    checkStatic(network, subnet, ip, taken);
                    pending.remove(ip);
                }
                result.add(ip);
            }
            if (!pending.isEmpty()) {
                throw KpodException.invalid("requested address " + IpAddresses.format(pending.get(0))
                        + " is not in any subnet of network " + network.name() + " ("
                        + String.join(", ", network.subnets().stream().map(Subnet::subnet).toList()) + ")");
            }
            state.allocations().put(ownerId, result.stream().map(IpAddresses::format).toList());
            save(network, state);
            return result;
        });
    }

    /**
     * Checks static addresses without allocating: each must lie in a subnet of the network,
     * must not be its network, broadcast or gateway address, and no owner may hold it now.
     */
    public void check(Network network, List<InetAddress> requested) {
        if (requested.isEmpty()) {
            return;
        }
        Map<InetAddress, String> taken = new HashMap<>();
        load(network).allocations().forEach((owner, ips) -> ips.forEach(ip -> taken.put(IpAddresses.parse(ip), owner)));
        for (InetAddress ip : requested) {
            Subnet subnet = network.subnets().stream().filter(s -> s.cidr().contains(ip)).findFirst()
                    .orElseThrow(() -> KpodException.invalid("requested address " + IpAddresses.format(ip)
                            + " is not in any subnet of network " + network.name() + " ("
                            + String.join(", ", network.subnets().stream().map(Subnet::subnet).toList()) + ")"));
            checkStatic(network, subnet, ip, taken);
        }
    }

    /** Frees an owner's addresses on the network; releasing twice is fine. */
    public void release(Network network, String ownerId) {
        FileLocks.locked(lockFile(network.name()), () -> {
            IpamState state = load(network);
            if (state.allocations().remove(ownerId) != null) {
                save(network, state);
            }
            return null;
        });
    }

    /** Owner id → addresses currently allocated on the network. */
    public Map<String, List<InetAddress>> allocations(Network network) {
        Map<String, List<InetAddress>> out = new LinkedHashMap<>();
        load(network).allocations().forEach((o, ips) -> out.put(o, ips.stream().map(IpAddresses::parse).toList()));
        return out;
    }

    /** Drops all state of a removed network. The lock file stays so that waiters never race. */
    public void forget(Network network) {
        FileLocks.locked(lockFile(network.name()), () -> {
            try {
                Files.deleteIfExists(stateFile(network.name()));
            } catch (IOException e) {
                throw KpodException.internal("cannot remove " + stateFile(network.name()), e);
            }
            return null;
        });
    }

    private Path lockFile(String networkName) {
        return stateDir.resolve(networkName + ".lock");
    }

    private IpamState load(Network network) {
        Path file = stateFile(network.name());
        try {
            IpamState s = NetworkJson.mapper().readValue(Files.readAllBytes(file), IpamState.class);
            return network.id().equals(s.networkId()) ? s : IpamState.empty(network.id());
        } catch (NoSuchFileException e) {
            return IpamState.empty(network.id());
        } catch (IOException e) {
            throw KpodException.internal("cannot read address allocations " + file + "; remove it to start over", e);
        }
    }

    private void save(Network network, IpamState state) {
        FileLocks.writeAtomically(stateFile(network.name()), NetworkJson.compact(state));
    }

    private static void checkStatic(Network network, Subnet subnet, InetAddress ip, Map<InetAddress, String> taken) {
        Cidr c = subnet.cidr();
        String text = IpAddresses.format(ip);
        if (c.hostBits() > 1 && ip.equals(c.network())) {
            throw KpodException.invalid("requested address " + text + " is the network address of " + c);
        }
        if (c.isIpv4() && c.hostBits() > 1 && ip.equals(c.last())) {
            throw KpodException.invalid("requested address " + text + " is the broadcast address of " + c);
        }
        if (subnet.gatewayAddress().filter(ip::equals).isPresent()) {
            throw KpodException.invalid("requested address " + text + " is the gateway of network " + network.name());
        }
        String holder = taken.get(ip);
        if (holder != null) {
            throw KpodException.conflict("requested address " + text + " is already allocated to container "
                    + (holder.length() > 12 ? holder.substring(0, 12) : holder) + " on network " + network.name());
        }
    }

    /** Round-robin from the last address handed out, so a just-freed address is reused last. */
    private static InetAddress nextFree(Network network, Subnet subnet, java.util.Set<InetAddress> taken, String last) {
        InetAddress start = subnet.rangeStart();
        InetAddress end = subnet.rangeEnd();
        BigInteger size = IpAddresses.toBigInteger(end).subtract(IpAddresses.toBigInteger(start)).add(BigInteger.ONE);
        InetAddress cursor = start;
        if (last != null) {
            InetAddress l = IpAddresses.parse(last);
            if (Cidr.compare(l, start) >= 0 && Cidr.compare(l, end) < 0) {
                cursor = Cidr.offset(l, 1);
            }
        }
        Optional<InetAddress> gateway = subnet.gatewayAddress();
        // Among taken+2 distinct candidates at most taken+1 (taken and the gateway) are unusable.
        long tries = size.min(BigInteger.valueOf(taken.size() + 2L)).longValueExact();
        for (long i = 0; i < tries; i++) {
            if (!taken.contains(cursor) && !gateway.filter(cursor::equals).isPresent()) {
                return cursor;
            }
            cursor = cursor.equals(end) ? start : Cidr.offset(cursor, 1);
        }
        throw KpodException.conflict("no free address left in subnet " + subnet.subnet() + " of network "
                + network.name() + "; remove containers or use a larger subnet");
    }
}
