package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.cli.Output;
import io.kpod.cli.views.ContainerViews;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod inspect [--type container|image|volume] [-f FORMAT] NAME…}. */
@Command(name = "inspect", description = "Display the configuration of containers, images or volumes")
public final class InspectCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Option(names = {"-f", "--format"}, description = "json (default) or a Go template")
    String format;

    @Option(names = {"-t", "--type"}, description = "container, image, volume or all")
    String type = "all";

    @Option(names = {"-s", "--size"}, description = "Accepted for compatibility")
    boolean size;

    @Override
    public Integer call() {
        List<JsonNode> docs = new ArrayList<>();
        int code = 0;
        for (String n : names) {
            try {
                docs.add(find(n));
            } catch (KpodException e) {
                err().println("Error: " + e.getMessage());
                code = 125;
            }
        }
        Output.document(out(), format, docs);
        return code;
    }

    private JsonNode find(String name) {
        if (type.equals("container") || type.equals("all")) {
            try {
                return ContainerViews.inspect(kpod().containers().lookup(name), kpod().paths(), kpod().runtimeName());
            } catch (KpodException e) {
                if (e.kind() != ErrorKind.NOT_FOUND || !type.equals("all")) {
                    throw e;
                }
            }
        }
        if (type.equals("image") || type.equals("all")) {
            try {
                return kpod().imageInspect(name);
            } catch (KpodException e) {
                if (e.kind() != ErrorKind.NOT_FOUND || !type.equals("all")) {
                    throw e;
                }
            }
        }
        if (type.equals("volume") || type.equals("all")) {
            try {
                return io.kpod.engine.Json.MAPPER.valueToTree(kpod().volumes().inspect(name));
            } catch (KpodException e) {
                if (e.kind() != ErrorKind.NOT_FOUND || !type.equals("all")) {
                    throw e;
                }
            }
        }
        throw KpodException.notFound("no such object: \"" + name + "\"");
    }
}
