package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Output;
import io.kpod.engine.Json;
import io.kpod.engine.volume.VolumeRecord;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod volume create|ls|inspect|rm|prune|exists} with Podman's local driver. */
@Command(name = "volume", description = "Manage volumes",
        subcommands = {VolumeCommand.Create.class, VolumeCommand.Ls.class, VolumeCommand.Inspect.class,
            VolumeCommand.Rm.class, VolumeCommand.Prune.class, VolumeCommand.Exists.class})
public final class VolumeCommand extends GroupCommand {

    /** A volume as {@code volume inspect} prints it, Podman's field names. */
    static ObjectNode view(VolumeRecord v) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("Name", v.name());
        o.put("Driver", v.driver());
        o.put("Mountpoint", v.mountpoint());
        o.put("CreatedAt", v.createdAt());
        ObjectNode l = o.putObject("Labels");
        v.labels().forEach(l::put);
        o.put("Scope", "local");
        ObjectNode opts = o.putObject("Options");
        v.options().forEach(opts::put);
        o.put("MountCount", 0);
        o.put("NeedsCopyUp", true);
        o.put("NeedsChown", true);
        o.put("Anonymous", v.anonymous());
        return o;
    }

    /** {@code volume create [-o K=V] [-l K=V] [--ignore] [NAME]}. */
    @Command(name = "create", description = "Create a volume")
    public static final class Create extends BaseCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Option(names = {"-o", "--opt"}, description = "Driver options: type=, o=, device=, copy, nocopy")
        List<String> opts = new ArrayList<>();

        @Option(names = {"-l", "--label"}, description = "Set metadata: KEY=VALUE")
        List<String> labels = new ArrayList<>();

        @Option(names = {"-d", "--driver"}, description = "Volume driver (local)")
        String driver = "local";

        @Option(names = "--ignore", description = "Do not fail when the volume exists")
        boolean ignore;

        @Override
        public Integer call() {
            if (!driver.equals("local")) {
                throw KpodException.invalid("volume driver \"" + driver + "\" is not supported: use local");
            }
            Map<String, String> options = kv(opts.stream().filter(o -> !o.equals("copy") && !o.equals("nocopy")).toList());
            // copy (the default) and nocopy: whether a new volume gets the image's files at its mount point
            opts.stream().filter(o -> o.equals("copy") || o.equals("nocopy")).forEach(o -> options.put(o, ""));
            if (options.containsKey("copy") && options.containsKey("nocopy")) {
                throw KpodException.invalid("the volume options copy and nocopy conflict");
            }
            options.remove("copy");
            VolumeRecord v = kpod().volumes().create(name, kv(labels), options, false, ignore);
            out().println(v.name());
            return 0;
        }
    }

    static Map<String, String> kv(List<String> items) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : items) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw KpodException.invalid("invalid option \"" + s + "\": expected KEY=VALUE");
            }
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }

    /** {@code volume ls [-q] [--format …]}. */
    @Command(name = "ls", aliases = "list", description = "List volumes")
    public static final class Ls extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format;

        @Override
        public Integer call() {
            List<VolumeRecord> vols = kpod().volumes().list();
            if (quiet) {
                vols.forEach(v -> out().println(v.name()));
                return 0;
            }
            List<ObjectNode> items = vols.stream().map(VolumeCommand::view).toList();
            if ("json".equals(format)) {
                Output.json(out(), items);
                return 0;
            }
            Output.template(out(), format == null ? "table {{.Driver}}\t{{.Name}}" : format, items,
                    Map.of("Driver", "DRIVER", "Name", "VOLUME NAME"), format != null);
            return 0;
        }
    }

    /** {@code volume inspect NAME…}. */
    @Command(name = "inspect", description = "Display the configuration of volumes")
    public static final class Inspect extends BaseCommand {
        @Parameters(arity = "1..*") List<String> names;
        @Option(names = {"-f", "--format"}) String format;

        @Override
        public Integer call() {
            List<JsonNode> docs = new ArrayList<>();
            for (String n : names) {
                docs.add(view(kpod().volumes().inspect(n)));
            }
            Output.document(out(), format, docs);
            return 0;
        }
    }

    /** {@code volume rm [-f] NAME…}: a volume in use needs -f, which removes its containers too. */
    @Command(name = "rm", aliases = "remove", description = "Remove volumes")
    public static final class Rm extends MultiTargetCommand {
        @Parameters(arity = "0..*") List<String> names = new ArrayList<>();
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-a", "--all"}) boolean all;

        @Override
        protected String act(String name) {
            if (force) {
                kpod().containers().list().stream()
                        .filter(r -> r.record().mounts().stream().anyMatch(m -> name.equals(m.source())))
                        .forEach(r -> kpod().containers().remove(r.record().id(), true, false, 0));
            }
            kpod().volumes().remove(name, kpod().containers()::volumeInUse, false);
            return name;
        }

        @Override
        protected int codeFor(KpodException e) {
            return e.kind() == ErrorKind.NOT_FOUND ? 1 : e.kind() == ErrorKind.CONFLICT ? 2 : 125;
        }

        @Override
        public Integer call() {
            return forEach(all ? kpod().volumes().list().stream().map(VolumeRecord::name).toList() : names);
        }
    }

    /** {@code volume prune}: removes unused volumes. */
    @Command(name = "prune", description = "Remove all unused volumes")
    public static final class Prune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;

        @Override
        public Integer call() {
            kpod().volumes().prune(kpod().containers()::volumeInUse).forEach(out()::println);
            return 0;
        }
    }

    /** {@code volume exists NAME}. */
    @Command(name = "exists", description = "Check whether a volume exists")
    public static final class Exists extends ExistsCommand {
        @Override
        protected void lookup(String ref) {
            kpod().volumes().inspect(ref);
        }
    }
}
