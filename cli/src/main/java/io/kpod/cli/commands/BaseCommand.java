package io.kpod.cli.commands;

import io.kpod.cli.Kpod;
import io.kpod.cli.Main;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every kpod subcommand has: the engine wiring and the command's own output streams. */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected Kpod kpod() {
        return ((Main) spec.root().userObject()).kpod();
    }

    /** The command line as given, without the program name. */
    protected java.util.List<String> originalArgs() {
        var pr = spec.root().commandLine().getParseResult();
        return pr == null ? java.util.List.of() : pr.originalArgs();
    }

    /**
     * What {@code generate systemd --new} needs to recreate an object: the full command line
     * (Podman's CreateCommand) and how many trailing words are the image and its command.
     */
    protected java.util.Map<String, String> createCommand(int tailWords) {
        java.util.List<String> argv = new java.util.ArrayList<>();
        String self = System.getenv("KPOD_SELF");
        argv.add(self == null || self.isEmpty() ? "kpod" : self);
        argv.addAll(originalArgs());
        try {
            return java.util.Map.of(CREATE_COMMAND, io.kpod.engine.Json.MAPPER.writeValueAsString(argv),
                    CREATE_COMMAND_TAIL, Integer.toString(tailWords));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final String CREATE_COMMAND = "io.kpod.create-command";
    public static final String CREATE_COMMAND_TAIL = "io.kpod.create-command.tail";

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
