package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Output;
import io.kpod.cli.format.HumanUnits;
import io.kpod.engine.Json;
import io.kpod.engine.pod.PodRecord;
import io.kpod.engine.pod.PodService.PodView;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import io.kpod.spec.PodSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod pod create|start|stop|restart|kill|rm|ps|inspect|top|logs|exists}. */
@Command(name = "pod", description = "Manage pods",
        subcommands = {PodCommand.Create.class, PodCommand.Start.class, PodCommand.Stop.class,
            PodCommand.Restart.class, PodCommand.Kill.class, PodCommand.Rm.class, PodCommand.Ps.class,
            PodCommand.Inspect.class, PodCommand.Top.class, PodCommand.Exists.class, PodCommand.Logs.class})
public final class PodCommand extends GroupCommand {

    /** {@code pod create}: prints the pod id. */
    @Command(name = "create", description = "Create a new empty pod")
    public static final class Create extends BaseCommand {
        @Option(names = {"-n", "--name"}) String name;
        @Option(names = "--hostname") String hostname;
        @Option(names = "--infra-name") String infraName;
        @Option(names = "--share", description = "Namespaces to share: net,ipc,uts[,pid], +pid adds to the default")
        String share;
        @Option(names = {"-l", "--label"}) List<String> labels = new ArrayList<>();
        @Option(names = "--add-host") List<String> addHosts = new ArrayList<>();
        @Option(names = "--dns") List<String> dns = new ArrayList<>();
        @Option(names = "--dns-search") List<String> dnsSearch = new ArrayList<>();
        @Option(names = "--dns-option") List<String> dnsOption = new ArrayList<>();
        @Option(names = {"--network", "--net"}, description = "bridge (default), NETWORK[,NETWORK…], none or host")
        String network;
        @Option(names = {"-p", "--publish"}) List<String> publish = new ArrayList<>();
        @Option(names = "--network-alias") List<String> networkAliases = new ArrayList<>();
        @Option(names = "--ip") String ip;
        @Option(names = "--ip6") String ip6;
        @Option(names = "--mac-address") String mac;
        @Option(names = "--no-hosts") boolean noHosts;
        @Option(names = "--pod-id-file", description = "Write the pod ID to this file") Path podIdFile;
        @Option(names = "--infra", negatable = true, defaultValue = "true", fallbackValue = "true") boolean infra;
        @Option(names = "--infra-conmon-pidfile", description = "Write the infra container's conmon pid to this file at every start")
        Path infraConmonPidFile;
        @Option(names = "--exit-policy", description = "continue (default) or stop: stop the pod when its last container exits")
        String exitPolicy;
        @Option(names = "--replace", description = "Remove a pod with the same --name first") boolean replace;
        @Option(names = "--shm-size", description = "Size of the pod's shared /dev/shm (e.g. 64m)") String shmSize;
        @Option(names = {"-v", "--volume"}, description = "A volume every container of the pod gets: [SOURCE:]DEST[:OPTIONS]")
        List<String> volumes = new ArrayList<>();
        @Option(names = "--mount", description = "A mount every container of the pod gets: type=bind|volume|tmpfs,...")
        List<String> mounts = new ArrayList<>();
        @picocli.CommandLine.Mixin io.kpod.cli.UsernsFlags usernsFlags = new io.kpod.cli.UsernsFlags();

        @Override
        public Integer call() throws Exception {
            if (!infra) {
                throw KpodException.invalid("pods without an infra container are not supported");
            }
            List<String> names = new ArrayList<>();
            String net;
            if (network == null || network.equals("bridge")) {
                net = "bridge";
            } else if (network.equals("none") || network.equals("host")) {
                net = network;
            } else {
                names.addAll(List.of(network.split(",")));
                net = "bridge";
            }
            io.kpod.spec.IdMappings userns = usernsFlags.mappings();
            List<io.kpod.spec.VolumeMount> podMounts = new ArrayList<>();
            for (String v : volumes) {
                podMounts.add(io.kpod.cli.MountParser.volume(v));
            }
            for (String m : mounts) {
                podMounts.add(io.kpod.cli.MountParser.mount(m));
            }
            java.util.Map<String, String> podLabels = new java.util.LinkedHashMap<>(VolumeCommand.kv(labels));
            podLabels.putAll(createCommand(0));
            PodSpec spec = new PodSpec(name, hostname, share, net, podLabels,
                    addHosts, dns, dnsSearch, dnsOption, infraName, noHosts,
                    new io.kpod.spec.NetworkSpec(names, networkAliases, publish, false, ip, mac).withIp6(ip6), exitPolicy,
                    infraConmonPidFile == null ? null : infraConmonPidFile.toAbsolutePath().toString(),
                    shmSize == null ? null : io.kpod.cli.Units.bytes(shmSize), podMounts, null, userns);
            if (replace) {
                if (name == null || name.isEmpty()) {
                    throw KpodException.invalid("cannot replace a pod without --name being set");
                }
                try {
                    kpod().pods().remove(name, true, null);
                } catch (KpodException e) {
                    if (e.kind() != ErrorKind.NOT_FOUND) {
                        throw e;
                    }
                }
            }
            PodRecord pod = kpod().pods().create(spec);
            if (podIdFile != null) {
                try {
                    Files.writeString(podIdFile, pod.id());
                } catch (java.io.IOException e) {
                    kpod().pods().remove(pod.id(), true, 0);
                    throw KpodException.runtime("cannot write the pod id file " + podIdFile + ": " + e.getMessage());
                }
            }
            out().println(pod.id());
            return 0;
        }
    }

    /** Commands on several pods: errors printed as they come. */
    abstract static class PodTargets extends MultiTargetCommand {
        @Parameters(arity = "0..*", paramLabel = "POD") List<String> pods = new ArrayList<>();
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = "--pod-id-file", description = "Read the pod ID from this file") List<Path> podIdFiles = new ArrayList<>();

        /** Whether a missing pod (or pod ID file) is no error. */
        boolean ignoreMissing() {
            return false;
        }

        List<String> targets() throws Exception {
            List<String> t = new ArrayList<>(pods);
            for (Path f : podIdFiles) {
                if (!Files.exists(f)) {
                    if (ignoreMissing()) {
                        continue;
                    }
                    throw KpodException.notFound("cannot read the pod ID file " + f + ": no such file");
                }
                t.add(Files.readString(f).trim());
            }
            return all ? kpod().pods().list().stream().map(PodRecord::id).toList() : t;
        }

        @Override
        protected int codeFor(KpodException e) {
            return e.kind() == ErrorKind.NOT_FOUND ? 1 : 125;
        }

        @Override
        public Integer call() throws Exception {
            return forEach(targets());
        }
    }

    /** {@code pod start}. */
    @Command(name = "start", description = "Start one or more pods")
    public static final class Start extends PodTargets {
        @Override
        protected String act(String t) {
            return kpod().pods().start(t).id();
        }
    }

    /** {@code pod stop [-t N]}. */
    @Command(name = "stop", description = "Stop one or more pods")
    public static final class Stop extends PodTargets {
        @Override
        protected boolean parallel() {
            return true;
        }

        @Option(names = {"-t", "--time"}) Integer time;
        @Option(names = {"-i", "--ignore"}) boolean ignore;

        @Override
        boolean ignoreMissing() {
            return ignore;
        }

        @Override
        protected String act(String t) {
            try {
                return kpod().pods().stop(t, time).id();
            } catch (KpodException e) {
                if (ignore && e.kind() == ErrorKind.NOT_FOUND) {
                    return null;
                }
                throw e;
            }
        }
    }

    /** {@code pod restart}. */
    @Command(name = "restart", description = "Restart one or more pods")
    public static final class Restart extends PodTargets {
        @Option(names = {"-t", "--time"}) Integer time;

        @Override
        protected String act(String t) {
            return kpod().pods().restart(t, time).id();
        }
    }

    /** {@code pod kill [-s SIGNAL]}. */
    @Command(name = "kill", description = "Send a signal to the containers of one or more pods")
    public static final class Kill extends PodTargets {
        @Override
        protected boolean parallel() {
            return true;
        }

        @Option(names = {"-s", "--signal"}) String signal = "KILL";

        @Override
        protected String act(String t) {
            return kpod().pods().kill(t, signal).id();
        }
    }

    /** {@code pod rm [-f]}. */
    @Command(name = "rm", description = "Remove one or more pods")
    public static final class Rm extends PodTargets {
        @Override
        protected boolean parallel() {
            return true;
        }

        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-i", "--ignore"}) boolean ignore;
        @Option(names = {"-t", "--time"}) Integer time;

        private final List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        boolean ignoreMissing() {
            return ignore;
        }

        @Override
        public Integer call() throws Exception {
            int code = super.call();
            for (Path f : podIdFiles) {
                if (Files.isRegularFile(f) && removed.contains(Files.readString(f).trim())) {
                    Files.delete(f);
                }
            }
            return code;
        }

        @Override
        protected String act(String t) {
            try {
                String id = kpod().pods().remove(t, force, time).id();
                removed.add(id);
                return id;
            } catch (KpodException e) {
                if (ignore && e.kind() == ErrorKind.NOT_FOUND) {
                    return null;
                }
                throw e;
            }
        }

        @Override
        protected int codeFor(KpodException e) {
            return e.kind() == ErrorKind.NOT_FOUND ? 1 : e.kind() == ErrorKind.CONFLICT ? 2 : 125;
        }
    }

    static ObjectNode psJson(PodView v) {
        PodRecord p = v.pod();
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("Cgroup", p.cgroupParent());
        ArrayNode ctrs = o.putArray("Containers");
        List<ContainerRow> all = new ArrayList<>();
        if (v.infra() != null) {
            all.add(v.infra());
        }
        all.addAll(v.members());
        for (ContainerRow r : all) {
            ObjectNode c = ctrs.addObject();
            c.put("Id", r.record().id());
            c.put("Names", r.record().name());
            c.put("Status", r.state().status().text());
            c.put("Ready", r.state().ready());
        }
        o.put("Created", p.created());
        o.put("Id", p.id());
        o.put("InfraId", p.infraId() == null ? "" : p.infraId());
        o.put("Name", p.name());
        o.put("Namespace", "");
        o.putNull("Networks");
        o.put("Status", v.status());
        ObjectNode l = o.putObject("Labels");
        p.spec().labels().forEach(l::put);
        return o;
    }

    /** {@code pod ps}: POD ID, NAME, STATUS, CREATED, INFRA ID, # OF CONTAINERS. */
    @Command(name = "ps", aliases = {"ls", "list"}, description = "List pods")
    public static final class Ps extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format;
        @Option(names = "--no-trunc") boolean noTrunc;
        @Option(names = "--ctr-names") boolean ctrNames;

        @Override
        public Integer call() {
            List<PodView> views = kpod().pods().views();
            if (quiet) {
                views.forEach(v -> out().println(noTrunc ? v.pod().id() : v.pod().shortId()));
                return 0;
            }
            List<ObjectNode> items = views.stream().map(PodCommand::psJson).toList();
            if ("json".equals(format)) {
                Output.json(out(), items);
                return 0;
            }
            List<ObjectNode> rows = new ArrayList<>();
            for (PodView v : views) {
                ObjectNode o = psJson(v);
                o.put("ID", noTrunc ? v.pod().id() : v.pod().shortId());
                o.put("Created", HumanUnits.ago(OffsetDateTime.parse(v.pod().created()).toInstant(), Instant.now()));
                o.put("InfraID", v.pod().infraId() == null ? "" : noTrunc ? v.pod().infraId()
                        : v.pod().infraId().substring(0, 12));
                o.put("NumberOfContainers", (v.infra() == null ? 0 : 1) + v.members().size());
                o.put("ContainerNames", String.join(",", v.members().stream().map(m -> m.record().name()).toList()));
                rows.add(o);
            }
            Output.template(out(), format != null ? format
                            : "table {{.ID}}\t{{.Name}}\t{{.Status}}\t{{.Created}}\t{{.InfraID}}\t{{.NumberOfContainers}}",
                    rows, Map.of("ID", "POD ID", "Name", "NAME", "Status", "STATUS", "Created", "CREATED",
                            "InfraID", "INFRA ID", "NumberOfContainers", "# OF CONTAINERS"), format != null);
            return 0;
        }
    }

    /** {@code pod inspect}. */
    @Command(name = "inspect", description = "Display a pod's configuration")
    public static final class Inspect extends BaseCommand {
        @Parameters(arity = "1..*") List<String> names;
        @Option(names = {"-f", "--format"}) String format;

        @Override
        public Integer call() {
            List<JsonNode> docs = new ArrayList<>();
            for (String n : names) {
                PodView v = kpod().pods().view(kpod().pods().lookup(n));
                ObjectNode o = psJson(v);
                PodRecord p = v.pod();
                o.put("Hostname", p.spec().hostname() == null ? p.name() : p.spec().hostname());
                o.put("State", v.status());
                if (p.spec().completions() != null) {
                    // a Job's pod, as a Job's spec.completions and status.succeeded say it
                    o.put("Completions", p.spec().completions());
                    o.put("Succeeded", p.succeeded());
                }
                o.put("CgroupParent", p.cgroupParent());
                o.put("CreateInfra", true);
                o.put("InfraContainerID", p.infraId());
                ArrayNode shared = o.putArray("SharedNamespaces");
                kpod().pods().plan(p).request().sharedNamespaces().forEach(ns -> shared.add(ns.procName()));
                o.put("NumContainers", (v.infra() == null ? 0 : 1) + v.members().size());
                ObjectNode infra = o.putObject("InfraConfig");
                infra.put("HostNetwork", p.spec().networkMode().equals("host"));
                var dns = infra.putArray("DNSServer");
                p.spec().dnsServers().forEach(dns::add);
                var hosts = infra.putArray("HostAdd");
                p.spec().addHosts().forEach(hosts::add);
                docs.add(o);
            }
            Output.document(out(), format, docs);
            return 0;
        }
    }

    /** {@code pod top POD}: the processes of every running container, as {@code ps} inside them shows. */
    @Command(name = "top", description = "Display the running processes of a pod's containers")
    public static final class Top extends BaseCommand {
        @Parameters(index = "0") String pod;

        @Override
        public Integer call() {
            PodView v = kpod().pods().view(kpod().pods().lookup(pod));
            out().println("CONTAINER\tPID\tCOMMAND");
            List<ContainerRow> all = new ArrayList<>();
            if (v.infra() != null) {
                all.add(v.infra());
            }
            all.addAll(v.members());
            for (ContainerRow r : all) {
                if (r.state().status().isActive() && r.state().pid() > 0) {
                    out().println(r.record().name() + "\t" + r.state().pid() + "\t" + cmdline(r.state().pid()));
                }
            }
            return 0;
        }

        private static String cmdline(int pid) {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")),
                        java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim();
            } catch (java.io.IOException e) {
                return "";
            }
        }
    }

    /** {@code pod logs [-c CONTAINER] POD}: the logs of the pod's containers, each line prefixed with its container. */
    @Command(name = "logs", description = "Fetch the logs of a pod's containers")
    public static final class Logs extends BaseCommand {
        @Parameters(index = "0", paramLabel = "POD") String pod;
        @Option(names = {"-c", "--container"}) String container;
        @Option(names = {"-f", "--follow"}) boolean follow;
        @Option(names = "--tail") int tail = -1;
        @Option(names = "--since") String since;
        @Option(names = "--until") String until;
        @Option(names = {"-t", "--timestamps"}) boolean timestamps;

        @Override
        public Integer call() {
            PodView v = kpod().pods().view(kpod().pods().lookup(pod));
            List<String> names = v.members().stream().map(m -> m.record().name())
                    .filter(n -> container == null || n.equals(container)).toList();
            if (names.isEmpty()) {
                throw KpodException.notFound(container == null ? "pod " + pod + " has no containers"
                        : "no container " + container + " in pod " + pod);
            }
            LogsCommand logs = new LogsCommand();
            logs.spec = spec;
            logs.targets = names;
            logs.follow = follow;
            logs.tail = tail;
            logs.since = since;
            logs.until = until;
            logs.timestamps = timestamps;
            logs.names = true;
            return logs.call();
        }
    }

    /** {@code pod exists POD}. */
    @Command(name = "exists", description = "Check whether a pod exists")
    public static final class Exists extends ExistsCommand {
        @Override
        protected void lookup(String ref) {
            kpod().pods().lookup(ref);
        }
    }
}
