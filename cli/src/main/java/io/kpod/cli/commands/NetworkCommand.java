package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Kpod;
import io.kpod.cli.Output;
import io.kpod.cli.format.Headers;
import io.kpod.cli.format.ReportFormatter;
import io.kpod.engine.Json;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.network.Network;
import io.kpod.network.NetworkCreateRequest;
import io.kpod.network.NetworkJson;
import io.kpod.network.NetworkStore;
import io.kpod.network.Subnet;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.NetworkSpec;
import io.kpod.spec.NoSuchObjectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kpod network create|ls|inspect|rm|prune|exists|connect|disconnect|reload}: bridge
 * networks in Podman's format.
 */
@Command(name = "network", description = "Manage networks",
        subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class,
            NetworkCommand.Rm.class, NetworkCommand.Prune.class, NetworkCommand.Exists.class,
            NetworkCommand.Connect.class, NetworkCommand.Disconnect.class, NetworkCommand.Reload.class})
public final class NetworkCommand extends GroupCommand {

    /** A network exactly as its file and {@code network inspect} show it (Podman's lower-case keys). */
    static JsonNode tree(Network n) {
        return NetworkJson.mapper().valueToTree(n);
    }

    /** A network with the Go field names of Podman's types.Network, for {@code --format} templates. */
    static ObjectNode goView(Network n) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("Name", n.name());
        o.put("ID", n.id());
        o.put("Driver", n.driver());
        o.put("NetworkInterface", n.networkInterface());
        o.put("Created", n.created());
        var subnets = o.putArray("Subnets");
        for (Subnet s : n.subnets()) {
            ObjectNode so = subnets.addObject();
            so.put("Subnet", s.subnet());
            so.put("Gateway", s.gateway());
            if (s.leaseRange() != null) {
                so.putObject("LeaseRange").put("StartIP", s.leaseRange().startIp()).put("EndIP", s.leaseRange().endIp());
            }
        }
        o.put("IPv6Enabled", n.ipv6Enabled());
        o.put("Internal", n.internal());
        o.put("DNSEnabled", n.dnsEnabled());
        o.set("Labels", Json.MAPPER.valueToTree(n.labels()));
        o.set("Options", Json.MAPPER.valueToTree(n.options()));
        o.set("IPAMOptions", Json.MAPPER.valueToTree(n.ipamOptions()));
        return o;
    }

    /** A row of {@code network ls}: Podman's ListPrintReports shortens the id and joins labels as k=v,…. */
    static ObjectNode lsView(Network n, boolean noTrunc) {
        ObjectNode o = goView(n);
        o.put("ID", noTrunc ? n.id() : n.shortId());
        o.put("Labels", n.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")));
        return o;
    }

    /** Who joins a network: bridge containers outside pods (pods speak for their members) and bridge pods. */
    record Users(List<String> containerIds, List<String> podIds) {
        boolean isEmpty() {
            return containerIds.isEmpty() && podIds.isEmpty();
        }
    }

    /** Network name → its users, for every network some container or pod joins. */
    static Map<String, Users> usage(Kpod k) {
        NetworkStore store = k.networks().store();
        Map<String, String> names = new HashMap<>();
        // a spec may name a network by id; resolve once per entry, keeping unknown ones as written
        Function<String, String> resolve = e -> names.computeIfAbsent(e, x -> {
            try {
                return store.find(x).map(Network::name).orElse(x);
            } catch (KpodException ex) {
                return x;
            }
        });
        Map<String, Users> out = new HashMap<>();
        Function<String, Users> fresh = n -> new Users(new ArrayList<>(), new ArrayList<>());
        for (ContainerRow r : k.containers().list()) {
            ContainerRecord c = r.record();
            if (!c.infra() && c.podId() == null && "bridge".equals(c.spec().networkMode())) {
                joined(c.spec().network(), resolve).forEach(n -> out.computeIfAbsent(n, fresh).containerIds().add(c.id()));
            }
        }
        for (PodRecord p : k.pods().list()) {
            if ("bridge".equals(p.spec().networkMode())) {
                joined(p.spec().network(), resolve).forEach(n -> out.computeIfAbsent(n, fresh).podIds().add(p.id()));
            }
        }
        return out;
    }

    private static List<String> joined(NetworkSpec spec, Function<String, String> resolve) {
        return spec.networks().isEmpty() ? List.of(NetworkStore.DEFAULT_NETWORK)
                : spec.networks().stream().map(resolve).toList();
    }

    /** {@code network create [flags] [NAME]}: prints the name. */
    @Command(name = "create", description = "Create a network")
    public static final class Create extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME") String name;
        @Option(names = {"-d", "--driver"}) String driver = Network.BRIDGE;
        @Option(names = "--subnet") List<String> subnets = new ArrayList<>();
        @Option(names = "--gateway") List<String> gateways = new ArrayList<>();
        @Option(names = "--ip-range") List<String> ipRanges = new ArrayList<>();
        @Option(names = "--internal") boolean internal;
        @Option(names = "--disable-dns") boolean disableDns;
        @Option(names = "--label") List<String> labels = new ArrayList<>();
        @Option(names = {"-o", "--opt"}) List<String> opts = new ArrayList<>();
        @Option(names = "--interface-name") String interfaceName;
        @Option(names = "--ignore", description = "Do not fail when the network exists") boolean ignore;
        @Option(names = "--ipam-driver", description = "IP address management: host-local (the only one kpod has)")
        String ipamDriver;
        @Option(names = "--ipv6", description = "Add an IPv6 subnet (random ULA /64 unless one is given)")
        boolean ipv6;
        @Option(names = "--dns", split = ",", description = "DNS server the network's aardvark-dns forwards other names to "
                + "(default: the host's)")
        List<String> dns = new ArrayList<>();

        @Override
        public Integer call() {
            if (ipamDriver != null && !ipamDriver.isEmpty() && !ipamDriver.equals("host-local")) {
                throw KpodException.invalid("unsupported IPAM driver \"" + ipamDriver + "\": kpod allocates addresses itself (host-local)");
            }
            NetworkStore store = kpod().networks().store();
            store.defaultNetwork();
            String n = name != null ? name : freeName(store);
            NetworkCreateRequest.Builder b = NetworkCreateRequest.builder(n).driver(driver).internal(internal)
                    .disableDns(disableDns).interfaceName(interfaceName).ignoreIfExists(ignore);
            subnets.forEach(b::subnet);
            gateways.forEach(b::gateway);
            dns.forEach(b::dns);
            ipRanges.forEach(b::ipRange);
            for (String l : labels) {
                int eq = l.indexOf('=');
                b.label(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
            }
            VolumeCommand.kv(opts).forEach(b::option);
            try {
                out().println(create(store, b).name());
            } catch (NameInUseException e) {
                throw KpodException.conflict("network name " + n + " already used: network already exists");
            }
            return 0;
        }

        private Network create(NetworkStore store, NetworkCreateRequest.Builder b) {
            return store.create(b.ipv6(ipv6).build());
        }

        private static String freeName(NetworkStore store) {
            Set<String> taken = store.list().stream().map(Network::name).collect(Collectors.toSet());
            for (int i = 1; ; i++) {
                if (!taken.contains(NetworkStore.DEFAULT_NETWORK + i)) {
                    return NetworkStore.DEFAULT_NETWORK + i;
                }
            }
        }
    }

    /** {@code network ls [-q] [--format …] [--filter …] [--no-trunc] [-n]}. */
    @Command(name = "ls", aliases = "list", description = "List networks")
    public static final class Ls extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format;
        @Option(names = {"-f", "--filter"}) List<String> filters = new ArrayList<>();
        @Option(names = "--no-trunc") boolean noTrunc;
        @Option(names = {"-n", "--noheading"}) boolean noHeading;

        @Override
        public Integer call() {
            NetworkStore store = kpod().networks().store();
            store.defaultNetwork();
            Predicate<Network> keep = Filters.parse(filters, () -> usage(kpod()).keySet());
            List<Network> nets = store.list().stream().filter(keep).toList();
            if (quiet) {
                nets.forEach(n -> out().println(n.name()));
                out().flush();
                return 0;
            }
            if (format != null && ReportFormatter.isJson(format)) {
                Output.json(out(), nets.stream().map(NetworkCommand::tree).toList());
                return 0;
            }
            List<ObjectNode> rows = nets.stream().map(n -> lsView(n, noTrunc)).toList();
            boolean user = format != null && !format.isEmpty();
            ReportFormatter f = ReportFormatter.parse("list", user ? ReportFormatter.Origin.USER
                    : ReportFormatter.Origin.PODMAN, user ? format : "table {{.ID}}\t{{.Name}}\t{{.Driver}}");
            List<String> fields = new ArrayList<>(List.of("ID"));
            if (!rows.isEmpty()) {
                rows.get(0).fieldNames().forEachRemaining(fields::add);
            }
            out().print(f.render(Headers.of(fields, Map.of("ID", "NETWORK ID")), rows, noHeading));
            out().flush();
            return 0;
        }
    }

    /** Podman's network filters: same keys OR, different keys AND; every label filter must hold. */
    static final class Filters {
        private Filters() {
        }

        static Predicate<Network> parse(List<String> filters, java.util.function.Supplier<Set<String>> inUse) {
            Map<String, List<String>> byKey = new TreeMap<>();
            for (String f : filters) {
                int eq = f.indexOf('=');
                if (eq <= 0) {
                    throw KpodException.invalid("invalid filter \"" + f + "\": expected KEY=VALUE");
                }
                byKey.computeIfAbsent(f.substring(0, eq), k -> new ArrayList<>()).add(f.substring(eq + 1));
            }
            Predicate<Network> all = n -> true;
            for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
                List<String> vs = e.getValue();
                Predicate<Network> p = switch (e.getKey()) {
                    case "name" -> n -> vs.stream().anyMatch(v -> regex(v).matcher(n.name()).find());
                    case "id" -> n -> vs.stream().anyMatch(v -> n.id().startsWith(v));
                    case "driver" -> n -> vs.contains(n.driver());
                    case "label" -> n -> vs.stream().allMatch(v -> hasLabel(n, v));
                    case "label!" -> n -> vs.stream().noneMatch(v -> hasLabel(n, v));
                    case "until" -> n -> vs.stream().allMatch(v -> n.createdAt().orElse(Instant.EPOCH)
                            .isBefore(time(v)));
                    case "dangling" -> dangling(vs, inUse.get());
                    default -> throw KpodException.invalid("invalid filter \"" + e.getKey()
                            + "\": use name, id, driver, label, label!, until or dangling");
                };
                all = all.and(p);
            }
            return all;
        }

        private static Predicate<Network> dangling(List<String> vs, Set<String> inUse) {
            for (String v : vs) {
                if (!v.equals("true") && !v.equals("false")) {
                    throw KpodException.invalid("invalid dangling filter value \"" + v + "\": use true or false");
                }
            }
            return n -> vs.stream().anyMatch(v -> Boolean.parseBoolean(v) != inUse.contains(n.name()));
        }

        private static Pattern regex(String v) {
            try {
                return Pattern.compile(v);
            } catch (PatternSyntaxException e) {
                throw KpodException.invalid("invalid name filter \"" + v + "\": " + e.getDescription());
            }
        }

        static boolean hasLabel(Network n, String v) {
            int eq = v.indexOf('=');
            if (eq < 0) {
                return n.labels().containsKey(v);
            }
            return v.substring(eq + 1).equals(n.labels().get(v.substring(0, eq)));
        }

        /** Unix seconds, RFC 3339, or a Go duration before now. */
        static Instant time(String v) {
            try {
                double secs = Double.parseDouble(v);
                return Instant.ofEpochMilli((long) (secs * 1000));
            } catch (NumberFormatException e) {
                return LogsCommand.time(v);
            }
        }
    }

    /** {@code network inspect NAME…}: a JSON array in Podman's format, or a template per network. */
    @Command(name = "inspect", description = "Display the configuration of networks")
    public static final class Inspect extends BaseCommand {
        @Parameters(arity = "1..*") List<String> names;
        @Option(names = {"-f", "--format"}) String format;

        @Override
        public Integer call() {
            // JSON keeps Podman's file keys; templates see types.Network's Go field names (.Name, .Subnets)
            boolean template = format != null && !format.isEmpty() && !ReportFormatter.isJson(format);
            List<JsonNode> docs = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (String n : names) {
                try {
                    Network net = kpod().networks().store().inspect(n);
                    docs.add(template ? goView(net) : tree(net));
                } catch (KpodException e) {
                    errors.add(e.getMessage());
                }
            }
            Output.document(out(), format, docs);
            if (errors.isEmpty()) {
                return 0;
            }
            errors.forEach(e -> err().println("Error: " + e));
            err().flush();
            return 125;
        }
    }

    /** {@code network rm [-f] [-t SECONDS] NAME…}: a network in use needs -f, which removes its users. */
    @Command(name = "rm", aliases = "remove", description = "Remove networks")
    public static final class Rm extends MultiTargetCommand {
        @Parameters(arity = "1..*") List<String> names = new ArrayList<>();
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-t", "--time"}, description = "Seconds to wait for containers to stop") Integer timeout;

        @Override
        protected String act(String name) {
            NetworkStore store = kpod().networks().store();
            if (NetworkStore.DEFAULT_NETWORK.equals(name)) {
                throw defaultCannotBeRemoved();
            }
            Network n = store.find(name).orElseThrow(() -> new NoSuchObjectException("network", name,
                    "unable to find network with name or ID " + name + ": network not found"));
            if (n.name().equals(NetworkStore.DEFAULT_NETWORK)) {
                throw defaultCannotBeRemoved();
            }
            Users users = usage(kpod()).get(n.name());
            if (users != null && !users.isEmpty()) {
                if (!force) {
                    throw KpodException.conflict("\"" + name + "\" has associated containers with it. Use -f to "
                            + "forcibly delete containers and pods: network is being used");
                }
                users.podIds().forEach(id -> kpod().pods().remove(id, true, timeout));
                users.containerIds().forEach(id -> kpod().containers().remove(id, true, true, timeout));
            }
            kpod().networks().ipam().forget(store.remove(n.name()));
            return name;
        }

        private static KpodException defaultCannotBeRemoved() {
            return KpodException.invalid("default network " + NetworkStore.DEFAULT_NETWORK + " cannot be removed");
        }

        @Override
        protected int codeFor(KpodException e) {
            return e.kind() == ErrorKind.NOT_FOUND ? 1 : e.kind() == ErrorKind.CONFLICT ? 2 : 125;
        }

        @Override
        public Integer call() {
            return forEach(names);
        }
    }

    /** {@code network prune [-f] [--filter …]}: removes networks no container or pod joins, never the default. */
    @Command(name = "prune", description = "Remove all unused networks")
    public static final class Prune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = "--filter") List<String> filters = new ArrayList<>();

        @Override
        public Integer call() {
            NetworkStore store = kpod().networks().store();
            Set<String> inUse = usage(kpod()).keySet();
            Predicate<Network> keep = Filters.parse(filters, () -> inUse);
            for (Network n : store.pruneCandidates(inUse)) {
                if (keep.test(n)) {
                    kpod().networks().ipam().forget(store.remove(n.name()));
                    out().println(n.name());
                    out().flush();
                }
            }
            return 0;
        }
    }

    /** {@code network exists NAME}: exit 0 or 1. */
    @Command(name = "exists", description = "Check whether a network exists")
    public static final class Exists extends BaseCommand {
        @Parameters(index = "0") String name;

        @Override
        public Integer call() {
            return NetworkStore.DEFAULT_NETWORK.equals(name) || kpod().networks().store().find(name).isPresent()
                    ? 0 : 1;
        }
    }

    /** {@code network connect [--alias A…] [--ip IP] [--ip6 IP] [--mac-address MAC] NETWORK CONTAINER}. */
    @Command(name = "connect", description = "Add a container to a network")
    public static final class Connect extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "CONTAINER") String container;
        @Option(names = "--alias", description = "A DNS alias on this network") List<String> aliases = new ArrayList<>();
        @Option(names = "--ip", description = "A static IPv4 address on this network") String ip;
        @Option(names = "--ip6", description = "A static IPv6 address on this network") String ip6;
        @Option(names = "--mac-address", description = "A static MAC address on this network") String mac;

        @Override
        public Integer call() {
            kpod().containers().connect(network, container, new io.kpod.spec.NetworkAttachment(aliases, ip, ip6, mac));
            return 0;
        }
    }

    /** {@code network disconnect [-f] NETWORK CONTAINER}. */
    @Command(name = "disconnect", description = "Remove a container from a network")
    public static final class Disconnect extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "CONTAINER") String container;
        @Option(names = {"-f", "--force"}, description = "Record the disconnect even when the teardown fails")
        boolean force;

        @Override
        public Integer call() {
            kpod().containers().disconnect(network, container, force);
            return 0;
        }
    }

    /** {@code network reload [-a | CONTAINER…]}: firewall rules, port forwarding and DNS of running containers again. */
    @Command(name = "reload", description = "Reload the firewall rules of running containers")
    public static final class Reload extends MultiTargetCommand {
        @Parameters(arity = "0..*", paramLabel = "CONTAINER") List<String> containers = new ArrayList<>();
        @Option(names = {"-a", "--all"}, description = "Reload every running container") boolean all;

        @Override
        public Integer call() {
            if (all == !containers.isEmpty()) {
                throw KpodException.invalid(all ? "--all and container names cannot be used together"
                        : "give --all or at least one container");
            }
            if (!all) {
                return forEach(containers);
            }
            List<String> ids = new ArrayList<>();
            for (ContainerRow r : kpod().containers().list()) {
                ContainerRecord c = r.record();
                boolean owner = c.podId() == null ? "bridge".equals(c.spec().networkMode()) : c.infra();
                if (owner && r.state().status().isActive()) {
                    ids.add(c.id());
                }
            }
            return forEach(ids);
        }

        @Override
        protected String act(String target) {
            String id = kpod().containers().lookup(target).record().id();
            if (!kpod().containers().reloadNetwork(target)) {
                throw KpodException.conflict("container " + target + " has no network set up: it is not running on a "
                        + "bridge network");
            }
            return id;
        }
    }
}
