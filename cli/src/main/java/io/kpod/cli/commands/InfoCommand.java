package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Output;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kpod info}: runtime, conmon, cgroup version, storage paths and versions. */
@Command(name = "info", description = "Display kpod and host information")
public final class InfoCommand extends BaseCommand {
    @Option(names = {"-f", "--format"}, description = "json (default is YAML-like text) or a Go template")
    String format;

    @Override
    public Integer call() {
        ObjectNode info = kpod().info();
        if (format == null) {
            print(info, "");
        } else if (io.kpod.cli.format.ReportFormatter.isJson(format)) {
            out().println(io.kpod.cli.format.JsonOutput.marshalIndent(info, "    "));
            out().flush();
        } else {
            Output.document(out(), format, List.of(info));
        }
        return 0;
    }

    private void print(ObjectNode node, String indent) {
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                out().println(indent + e.getKey() + ":");
                print((ObjectNode) e.getValue(), indent + "  ");
            } else {
                out().println(indent + e.getKey() + ": " + e.getValue().asText());
            }
        });
        out().flush();
    }
}
