package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Output;
import io.kpod.engine.Json;
import io.kpod.engine.secret.SecretRecord;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod secret create|ls|inspect|rm|exists} with the file driver. */
@Command(name = "secret", description = "Manage secrets",
        subcommands = {SecretCommand.Create.class, SecretCommand.Ls.class, SecretCommand.Inspect.class,
            SecretCommand.Rm.class, SecretCommand.Exists.class})
public final class SecretCommand extends GroupCommand {

    static ObjectNode view(SecretRecord s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("ID", s.id());
        o.put("CreatedAt", s.createdAt());
        o.put("UpdatedAt", s.createdAt());
        ObjectNode spec = o.putObject("Spec");
        spec.put("Name", s.name());
        ObjectNode d = spec.putObject("Driver");
        d.put("Name", s.driver());
        d.putObject("Options");
        ObjectNode l = spec.putObject("Labels");
        s.labels().forEach(l::put);
        return o;
    }

    /** {@code secret create NAME FILE|-} (or {@code --env} to read an environment variable). */
    @Command(name = "create", description = "Create a secret from a file, stdin (-) or an env variable")
    public static final class Create extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "FILE") String file;
        @Option(names = "--env", description = "Read the secret from the environment variable FILE") boolean env;
        @Option(names = {"-l", "--label"}) List<String> labels = new ArrayList<>();
        @Option(names = {"-d", "--driver"}) String driver = "file";
        @Option(names = "--replace") boolean replace;

        @Override
        public Integer call() throws IOException {
            if (!driver.equals("file")) {
                throw KpodException.invalid("secret driver \"" + driver + "\" is not supported: use file");
            }
            byte[] data;
            if (env) {
                String v = System.getenv(file);
                if (v == null) {
                    throw KpodException.invalid("environment variable " + file + " is not set");
                }
                data = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else if (file.equals("-")) {
                data = System.in.readAllBytes();
            } else {
                Path p = Path.of(file);
                if (!Files.isRegularFile(p)) {
                    throw KpodException.invalid("cannot read secret data from " + file + ": no such file");
                }
                data = Files.readAllBytes(p);
            }
            out().println(kpod().secrets().create(name, data, VolumeCommand.kv(labels), replace).id());
            return 0;
        }
    }

    /** {@code secret ls}. */
    @Command(name = "ls", aliases = "list", description = "List secrets")
    public static final class Ls extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format;

        @Override
        public Integer call() {
            List<SecretRecord> all = kpod().secrets().list();
            if (quiet) {
                all.forEach(s -> out().println(s.id()));
                return 0;
            }
            List<ObjectNode> items = new ArrayList<>();
            for (SecretRecord s : all) {
                ObjectNode o = view(s);
                o.put("Name", s.name());
                o.put("Driver", s.driver());
                items.add(o);
            }
            if ("json".equals(format)) {
                Output.json(out(), items);
                return 0;
            }
            Output.template(out(), format == null ? "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}" : format,
                    items, Map.of("ID", "ID", "Name", "NAME", "Driver", "DRIVER", "CreatedAt", "CREATED"), format != null);
            return 0;
        }
    }

    /** {@code secret inspect NAME…}: metadata only, never the value. */
    @Command(name = "inspect", description = "Display secret metadata")
    public static final class Inspect extends BaseCommand {
        @Parameters(arity = "1..*") List<String> names;
        @Option(names = {"-f", "--format"}) String format;

        @Override
        public Integer call() {
            List<JsonNode> docs = new ArrayList<>();
            for (String n : names) {
                docs.add(view(kpod().secrets().inspect(n)));
            }
            Output.document(out(), format, docs);
            return 0;
        }
    }

    /** {@code secret rm NAME…}. */
    @Command(name = "rm", description = "Remove secrets")
    public static final class Rm extends MultiTargetCommand {
        @Parameters(arity = "0..*") List<String> names = new ArrayList<>();
        @Option(names = {"-a", "--all"}) boolean all;

        @Override
        protected String act(String name) {
            String id = kpod().secrets().inspect(name).id();
            kpod().secrets().remove(name);
            return id;
        }

        @Override
        public Integer call() {
            return forEach(all ? kpod().secrets().list().stream().map(SecretRecord::name).toList() : names);
        }
    }

    /** {@code secret exists NAME}. */
    @Command(name = "exists", description = "Check whether a secret exists")
    public static final class Exists extends ExistsCommand {
        @Override
        protected void lookup(String ref) {
            kpod().secrets().inspect(ref);
        }
    }
}
