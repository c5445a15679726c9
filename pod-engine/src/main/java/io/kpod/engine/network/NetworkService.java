package io.kpod.engine.network;

import io.kpod.engine.EngineContext;
import io.kpod.engine.sys.FileTrees;
import io.kpod.network.Ipam;
import io.kpod.network.Netavark;
import io.kpod.network.NetavarkConfig;
import io.kpod.network.Network;
import io.kpod.network.NetworkJson;
import io.kpod.network.NetworkOptions;
import io.kpod.network.NetworkStatus;
import io.kpod.network.NetworkStore;
import io.kpod.network.PerNetworkOptions;
import io.kpod.network.PortMapping;
import io.kpod.network.PortSpecs;
import io.kpod.network.HostPorts;
import io.kpod.spec.KpodException;
import io.kpod.spec.NetworkAttachment;
import io.kpod.spec.NetworkSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Bridge networking for containers and pods: addresses from kpod's IPAM, published ports
 * checked against every other running owner, netavark setup on a pinned netns, and the
 * options kept in a file beside it so that teardown (even after a crash) uses exactly what
 * setup used.
 */
public final class NetworkService {
    /** The options file name in an owner's run dir. */
    public static final String OPTIONS_FILE = "netopts.json";

    private final EngineContext ctx;
    private NetworkStore store;
    private Ipam ipam;
    private Netavark netavark;

    public NetworkService(EngineContext ctx) {
        this.ctx = ctx;
    }

    public synchronized NetworkStore store() {
        if (store == null) {
            store = new NetworkStore(ctx.paths().networkConfigDir());
        }
        return store;
    }

    public synchronized Ipam ipam() {
        if (ipam == null) {
            ipam = new Ipam(ctx.paths().graphRoot().resolve("networks").resolve("ipam"));
        }
        return ipam;
    }

    private synchronized Netavark netavark() {
        if (netavark == null) {
            netavark = new Netavark(NetavarkConfig.defaults(ctx.paths().runRoot().resolve("netavark")));
        }
        return netavark;
    }

    /**
     * Adds or removes names that aardvark-dns answers with the container's addresses on the
     * networks of {@code spec} (a pod's Service names while it is ready), and makes aardvark
     * reload when that changed anything.
     */
    public void setDnsNames(String containerId, NetworkSpec spec, java.util.Collection<String> names, boolean present) {
        List<String> nets = networksOf(spec).stream().map(Network::name).toList();
        if (!netavark().setDnsNames(containerId, nets, names, present)) {
            return;
        }
        Path pidFile = netavark().aardvarkPidFile();
        try {
            int pid = Integer.parseInt(Files.readString(pidFile).trim());
            io.kpod.engine.sys.Libc.kill(pid, 1); // SIGHUP: aardvark-dns reads its configuration again
        } catch (IOException | NumberFormatException e) {
            throw KpodException.runtime("cannot tell aardvark-dns to reload (" + pidFile + "): " + e.getMessage(), e);
        }
    }

    /** The networks a spec names, the default network when it names none. */
    public List<Network> networksOf(NetworkSpec spec) {
        if (spec.networks().isEmpty()) {
            return List.of(store().defaultNetwork());
        }
        List<Network> out = new ArrayList<>();
        for (String n : spec.networks()) {
            out.add(store().inspect(n));
        }
        return out;
    }

    /**
     * Checks at create time what can be checked without running anything, so that a bad
     * request leaves no container behind: networks exist, ports parse and are free (not
     * published by another running kpod owner nor bound on the host), a static address lies in
     * a subnet and is not held by another owner, a static MAC is valid and not in use.
     */
    public void validate(NetworkSpec spec) {
        List<Network> nets = networksOf(spec);
        List<PortMapping> ports = PortSpecs.parseAll(spec.publish());
        if (spec.ip() != null && spec.networks().size() > 1) {
            throw KpodException.invalid("--ip can only be used with a single network");
        }
        if (spec.ip6() != null && spec.networks().size() > 1) {
            throw KpodException.invalid("--ip6 can only be used with a single network");
        }
        if (spec.ip6() != null && !spec.ip6().contains(":")) {
            throw KpodException.invalid("invalid IPv6 address \"" + spec.ip6() + "\" for --ip6");
        }
        if (spec.ip() != null && spec.ip().contains(":")) {
            throw KpodException.invalid("invalid IPv4 address \"" + spec.ip() + "\" for --ip; use --ip6");
        }
        if (spec.mac() != null && spec.networks().size() > 1) {
            throw KpodException.invalid("--mac-address can only be used with a single network");
        }
        new HostPorts().assign(ports, portsInUse(null));
        for (Network n : nets) {
            NetworkAttachment a = spec.attachment(n.name());
            List<InetAddress> requested = new ArrayList<>();
            for (String ip : java.util.Arrays.asList(a.ip(), a.ip6(), spec.ip(), spec.ip6())) {
                if (ip != null) {
                    requested.add(parseIp(ip));
                }
            }
            ipam().check(n, requested);
            String mac = a.mac() != null ? a.mac() : spec.mac();
            if (mac != null) {
                checkMacFree(n, "", io.kpod.network.MacAddress.normalize(mac));
            }
        }
    }

    /** Checks what {@code network connect} asks for on one network, for an owner that does not run now. */
    public void checkAttachment(Network n, NetworkAttachment a, String ownerId) {
        List<InetAddress> requested = new ArrayList<>();
        for (String ip : java.util.Arrays.asList(a.ip(), a.ip6())) {
            if (ip != null) {
                requested.add(parseIp(ip));
            }
        }
        ipam().check(n, requested);
        if (a.mac() != null) {
            checkMacFree(n, ownerId, io.kpod.network.MacAddress.normalize(a.mac()));
        }
    }

    /**
     * Allocates addresses, assigns host ports and runs netavark setup on {@code netns}.
     * Undoes its allocations when setup fails.
     */
    public Map<String, NetworkStatus> setup(String ownerId, String name, List<String> aliases, NetworkSpec spec,
                                            Path netns, Path optionsFile) {
        List<Network> nets = networksOf(spec);
        List<PortMapping> ports = new HostPorts().assign(PortSpecs.parseAll(spec.publish()), portsInUse(optionsFile));
        Map<String, PerNetworkOptions> per = new LinkedHashMap<>();
        try {
            int ifIndex = 0;
            for (Network n : nets) {
                per.put(n.name(), join(ownerId, aliases, spec, n, "eth" + ifIndex++));
            }
            NetworkOptions options = NetworkOptions.of(ownerId, name, ports, per, nets);
            FileTrees.writeAtomically(optionsFile, NetworkJson.compact(options));
            try {
                Map<String, NetworkStatus> status = netavark().setup(netns.toString(), options);
                writeOptions(optionsFile, withMacs(options, status));
                return status;
            } catch (RuntimeException e) {
                Files.deleteIfExists(optionsFile);
                throw e;
            }
        } catch (IOException e) {
            release(ownerId, nets);
            throw KpodException.internal("cannot save network options for " + name + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(ownerId, nets);
            throw e;
        }
    }

    /** Allocates an owner's addresses on one network and checks its MAC: how it joins that network. */
    private PerNetworkOptions join(String ownerId, List<String> aliases, NetworkSpec spec, Network n, String ifName) {
        NetworkAttachment a = spec.attachment(n.name());
        List<InetAddress> requested = new ArrayList<>();
        for (String ip : java.util.Arrays.asList(a.ip(), a.ip6())) {
            if (ip != null) {
                requested.add(parseIp(ip));
            }
        }
        if (requested.isEmpty()) {
            for (String ip : java.util.Arrays.asList(spec.ip(), spec.ip6())) {
                if (ip != null) {
                    requested.add(parseIp(ip));
                }
            }
        }
        String mac = a.mac() != null ? a.mac() : spec.mac();
        if (mac != null) {
            checkMacFree(n, ownerId, io.kpod.network.MacAddress.normalize(mac));
        }
        List<InetAddress> ips = ipam().allocate(n, ownerId, requested);
        List<String> al = new ArrayList<>(aliases);
        al.addAll(spec.aliases());
        al.addAll(a.aliases());
        return PerNetworkOptions.of(ips, al.stream().distinct().toList(), ifName, mac);
    }

    private static InetAddress parseIp(String text) {
        if (!text.matches("[0-9a-fA-F.:]+")) {
            throw KpodException.invalid("invalid IP address \"" + text + "\"");
        }
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw KpodException.invalid("invalid IP address \"" + text + "\"");
        }
    }

    /**
     * A static MAC another owner uses on the same network is a conflict: a running one (its
     * options file) or a container that asks for it (its stored spec).
     */
    private void checkMacFree(Network n, String ownerId, String mac) {
        for (var row : ctx.store().containers()) {
            var c = row.record();
            NetworkSpec ns = c.spec().network();
            boolean on = c.podId() == null && c.spec().networkMode().equals("bridge") && (ns.networks().isEmpty()
                    ? n.name().equals(NetworkStore.DEFAULT_NETWORK) : ns.networks().contains(n.name()));
            String want = ns.attachment(n.name()).mac() != null ? ns.attachment(n.name()).mac() : ns.mac();
            if (on && !c.id().equals(ownerId) && want != null && mac.equals(io.kpod.network.MacAddress.normalize(want))) {
                throw KpodException.conflict("MAC address " + mac + " is already used by container " + c.name()
                        + " on network " + n.name());
            }
        }
        for (NetworkOptions o : readAllOptions()) {
            PerNetworkOptions p = o.networks().get(n.name());
            if (p != null && !o.containerId().equals(ownerId) && mac.equals(p.staticMac())) {
                throw KpodException.conflict("MAC address " + mac + " is already used by container "
                        + o.containerName() + " on network " + n.name());
            }
        }
    }

    /**
     * Joins a running owner, set up from {@code optionsFile}, to one more network: allocates
     * its address, sets up just that network with netavark (the owner's published ports are
     * forwarded there too, as Podman does) and records it in the options file.
     */
    public Map<String, NetworkStatus> connect(String ownerId, List<String> aliases, NetworkSpec spec, Network network,
                                              Path netns, Path optionsFile) {
        NetworkOptions current = readOptions(optionsFile).orElseThrow(() ->
                KpodException.conflict("the network of " + ownerId.substring(0, 12) + " is not set up"));
        if (current.networks().containsKey(network.name())) {
            throw KpodException.conflict("container " + current.containerName() + " is already connected to network "
                    + network.name());
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        current.networks().values().forEach(p -> used.add(p.interfaceName()));
        int i = 0;
        while (used.contains("eth" + i)) {
            i++;
        }
        try {
            PerNetworkOptions per = join(ownerId, aliases, spec, network, "eth" + i);
            NetworkOptions one = NetworkOptions.of(ownerId, current.containerName(), current.portMappings(),
                    Map.of(network.name(), per), List.of(network));
            Map<String, NetworkStatus> status = netavark().setup(netns.toString(), one);
            Map<String, PerNetworkOptions> nets = new LinkedHashMap<>(current.networks());
            nets.put(network.name(), withMacs(one, status).networks().get(network.name()));
            Map<String, Network> info = new LinkedHashMap<>(current.networkInfo());
            info.put(network.name(), network);
            writeOptions(optionsFile, new NetworkOptions(ownerId, current.containerName(), current.portMappings(),
                    nets, info));
            return status;
        } catch (RuntimeException e) {
            ipam().release(network, ownerId);
            throw e;
        }
    }

    /**
     * Detaches a running owner from one network with netavark and drops it from the options
     * file; the caller releases the address. Nothing to do when the owner is not set up on it.
     */
    public void disconnect(String networkName, Path netns, Path optionsFile) {
        Optional<NetworkOptions> found = readOptions(optionsFile);
        if (found.isEmpty() || !found.get().networks().containsKey(networkName)) {
            return;
        }
        NetworkOptions current = found.get();
        NetworkOptions one = new NetworkOptions(current.containerId(), current.containerName(),
                current.portMappings(), Map.of(networkName, current.networks().get(networkName)),
                Map.of(networkName, current.networkInfo().get(networkName)));
        tolerantTeardown(netns, one);
        Map<String, PerNetworkOptions> nets = new LinkedHashMap<>(current.networks());
        nets.remove(networkName);
        Map<String, Network> info = new LinkedHashMap<>(current.networkInfo());
        info.remove(networkName);
        try {
            if (nets.isEmpty()) {
                Files.deleteIfExists(optionsFile);
            } else {
                writeOptions(optionsFile, new NetworkOptions(current.containerId(), current.containerName(),
                        current.portMappings(), nets, info));
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot update " + optionsFile + ": " + e.getMessage(), e);
        }
        dropEmptyPortChains(java.util.Set.of(networkName));
    }

    /**
     * {@code network reload}: tears the owner's networks down (ignoring what is already gone,
     * such as flushed firewall rules) and sets them up again from the options file with the
     * same addresses, which re-creates the firewall rules, port forwarding and DNS entries.
     * Returns false when the owner has no network set up.
     */
    public boolean reload(Path netns, Path optionsFile) {
        Optional<NetworkOptions> found = readOptions(optionsFile);
        if (found.isEmpty()) {
            return false;
        }
        try {
            netavark().teardown(netns.toString(), found.get());
        } catch (KpodException e) {
            // rules someone deleted are the reason for a reload; setup below puts everything back
        }
        try {
            netavark().setup(netns.toString(), found.get());
        } catch (KpodException e) {
            // a teardown that stopped early left an interface behind: once more, now that the rules exist
            try {
                netavark().teardown(netns.toString(), found.get());
            } catch (KpodException again) {
                // the setup below reports what is still wrong
            }
            netavark().setup(netns.toString(), found.get());
        }
        return true;
    }

    /**
     * The options with every interface's MAC fixed to what netavark gave it, so that a reload
     * re-creates the interface with the same MAC and neighbours' ARP caches stay right.
     */
    static NetworkOptions withMacs(NetworkOptions options, Map<String, NetworkStatus> status) {
        Map<String, PerNetworkOptions> nets = new LinkedHashMap<>();
        options.networks().forEach((name, p) -> {
            NetworkStatus st = status.get(name);
            io.kpod.network.NetInterface iface = st == null ? null : st.interfaces().get(p.interfaceName());
            String mac = iface == null || iface.macAddress() == null || p.staticMac() != null ? p.staticMac()
                    : iface.macAddress();
            nets.put(name, new PerNetworkOptions(p.staticIps(), p.aliases(), mac, p.interfaceName()));
        });
        return new NetworkOptions(options.containerId(), options.containerName(), options.portMappings(), nets,
                options.networkInfo());
    }

    /** The networks an owner is set up on now, from its options file. */
    public Optional<NetworkOptions> readOptions(Path optionsFile) {
        try {
            return Optional.of(NetworkJson.mapper().readValue(Files.readAllBytes(optionsFile), NetworkOptions.class));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw KpodException.internal("cannot read network options " + optionsFile + ": " + e.getMessage(), e);
        }
    }

    private static void writeOptions(Path optionsFile, NetworkOptions options) {
        try {
            FileTrees.writeAtomically(optionsFile, NetworkJson.compact(options));
        } catch (IOException e) {
            throw KpodException.internal("cannot save network options " + optionsFile + ": " + e.getMessage(), e);
        }
    }

    /** Undoes a setup recorded in {@code optionsFile}; nothing to do when there is none. */
    public void teardown(Path netns, Path optionsFile) {
        if (!Files.exists(optionsFile)) {
            return;
        }
        try {
            NetworkOptions options = NetworkJson.mapper().readValue(Files.readAllBytes(optionsFile), NetworkOptions.class);
            tolerantTeardown(netns, options);
            Files.deleteIfExists(optionsFile);
            // only a teardown that had ports, or the network's last one, can leave a port chain behind
            if (!options.portMappings().isEmpty() || !othersOn(options.networks().keySet())) {
                dropEmptyPortChains(options.networks().keySet());
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot read network options " + optionsFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * netavark teardown that survives firewall rules someone else removed (a flush, a firewall
     * reload): netavark 1.4 stops at the first rule it cannot delete, so kpod sets the network
     * up once more, which puts every rule back, and tears it down again. A netns whose veth is
     * already gone still gets its firewall rules and DNS entries removed.
     */
    private void tolerantTeardown(Path netns, NetworkOptions options) {
        try {
            netavark().teardown(netns.toString(), options);
        } catch (KpodException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("No such device")) {
                return;
            }
            if (!m.contains("No chain/target/match") && !m.contains("does a matching rule exist")
                    && !m.contains("doesn't exist")) {
                throw e;
            }
            try {
                netavark().setup(netns.toString(), options);
            } catch (KpodException ignored) {
                // the teardown below still removes what the setup made
            }
            try {
                netavark().teardown(netns.toString(), options);
            } catch (KpodException again) {
                System.getLogger(NetworkService.class.getName()).log(System.Logger.Level.WARNING,
                        "netavark teardown for {0} failed twice: {1}", options.containerName(), again.getMessage());
            }
        }
    }

    /** Whether any owner still has one of these networks set up. */
    private boolean othersOn(java.util.Set<String> networkNames) {
        return readAllOptions().stream().anyMatch(o -> o.networks().keySet().stream().anyMatch(networkNames::contains));
    }

    /**
     * netavark 1.4 keeps a network's (by then empty) port-forwarding chain when its last
     * container had no published ports; once no owner with ports is left on the network,
     * remove empty, unreferenced NETAVARK-DN chains so nothing stays behind.
     */
    private void dropEmptyPortChains(java.util.Set<String> networkNames) {
        boolean portsLeft = readAllOptions().stream().anyMatch(o -> !o.portMappings().isEmpty()
                && o.networks().keySet().stream().anyMatch(networkNames::contains));
        if (portsLeft) {
            return;
        }
        io.kpod.engine.runtime.ProcessRunner.Result list = io.kpod.engine.runtime.ProcessRunner.SYSTEM.run(
                List.of("iptables", "-t", "nat", "-S"), io.kpod.engine.runtime.OciRuntime.cleanEnv(), null, 30_000);
        if (!list.ok()) {
            return;
        }
        java.util.Set<String> chains = new java.util.TreeSet<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (String line : list.stdout().split("\n")) {
            String[] f = line.split(" ");
            if (f.length >= 2 && f[0].equals("-N") && f[1].startsWith("NETAVARK-DN-")) {
                chains.add(f[1]);
            } else if (f.length >= 2 && f[0].equals("-A")) {
                used.add(f[1]);
                for (int i = 2; i + 1 < f.length; i++) {
                    if (f[i].equals("-j")) {
                        used.add(f[i + 1]);
                    }
                }
            }
        }
        for (String chain : chains) {
            if (!used.contains(chain)) {
                io.kpod.engine.runtime.ProcessRunner.SYSTEM.run(List.of("iptables", "-t", "nat", "-X", chain),
                        io.kpod.engine.runtime.OciRuntime.cleanEnv(), null, 30_000);
            }
        }
    }

    private List<NetworkOptions> readAllOptions() {
        List<NetworkOptions> out = new ArrayList<>();
        for (Path dir : List.of(ctx.paths().runRoot().resolve("containers"), ctx.paths().runRoot().resolve("pods"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> owners = Files.list(dir)) {
                for (Path owner : owners.toList()) {
                    Path f = owner.resolve(OPTIONS_FILE);
                    if (Files.exists(f)) {
                        out.add(NetworkJson.mapper().readValue(Files.readAllBytes(f), NetworkOptions.class));
                    }
                }
            } catch (IOException e) {
                throw KpodException.internal("cannot read network options: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Gives an owner's addresses back (on container or pod removal). */
    public void release(String ownerId, List<Network> networks) {
        for (Network n : networks) {
            ipam().release(n, ownerId);
        }
    }

    /** Releases an owner's addresses on every network that still exists. */
    public void releaseAll(String ownerId) {
        for (Network n : store().list()) {
            ipam().release(n, ownerId);
        }
    }

    /** Host ports published by every other running owner, from their options files. */
    private Map<String, List<PortMapping>> portsInUse(Path self) {
        Map<String, List<PortMapping>> out = new LinkedHashMap<>();
        for (NetworkOptions o : readAllOptions()) {
            out.put(o.containerId(), o.portMappings());
        }
        return out;
    }

    /** The first IPv4 address netavark gave, for /etc/hosts and inspect. */
    public static Optional<String> primaryAddress(Map<String, NetworkStatus> status) {
        return status.values().stream().flatMap(s -> s.interfaces().values().stream())
                .flatMap(i -> i.subnets().stream()).map(a -> a.address()).filter(a -> !a.contains(":")).findFirst();
    }
}
