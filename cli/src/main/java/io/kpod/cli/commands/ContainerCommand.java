package io.kpod.cli.commands;

import io.kpod.engine.state.StateStore.ContainerRow;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod container …}: the container commands under their long names, plus cleanup, exists and prune. */
@Command(name = "container", description = "Manage containers",
        subcommands = {CreateCommand.class, RunCommand.class, StartCommand.class, StopCommand.class,
            KillCommand.class, RestartCommand.class, RmCommand.class, PsCommand.class, LogsCommand.class,
            ExecCommand.class, ContainerCommand.Inspect.class, WaitCommand.class, PortCommand.class, ContainerCommand.Cleanup.class,
            ContainerCommand.Exists.class, ContainerCommand.Prune.class, CommitCommand.class})
public final class ContainerCommand extends GroupCommand {

    /** Called by conmon when a container exits: records the exit, cleans up, applies --rm and the restart policy. */
    @Command(name = "cleanup", hidden = true, description = "Clean up a container's runtime resources after it exited")
    public static final class Cleanup extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> targets;

        @Option(names = "--rm", description = "Remove the container after cleanup")
        boolean rm;

        @Override
        public Integer call() {
            if (!java.nio.file.Files.exists(kpod().paths().database())) {
                // the state is gone (system reset ran while the container exited): nothing to
                // clean, and opening the database would only recreate the graph root
                return 0;
            }
            for (String t : targets) {
                kpod().containers().cleanup(t);
            }
            return 0;
        }
    }

    /** {@code kpod container inspect}: containers only. */
    @Command(name = "inspect", description = "Display the configuration of containers")
    public static final class Inspect extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER")
        List<String> names;

        @Option(names = {"-f", "--format"}, description = "json (default) or a Go template")
        String format;

        @Override
        public Integer call() {
            InspectCommand c = new InspectCommand();
            c.spec = spec;
            c.names = names;
            c.format = format;
            c.type = "container";
            return c.call();
        }
    }

    /** {@code kpod container exists NAME}: exit 0 if it exists, 1 if not. */
    @Command(name = "exists", description = "Check whether a container exists")
    public static final class Exists extends ExistsCommand {
        @Override
        protected void lookup(String ref) {
            kpod().containers().lookup(ref);
        }
    }

    /** {@code kpod container prune}: removes every stopped container. */
    @Command(name = "prune", description = "Remove all stopped containers")
    public static final class Prune extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Do not ask for confirmation")
        boolean force;

        @Override
        public Integer call() {
            for (ContainerRow r : kpod().containers().list()) {
                if (!r.state().status().isActive()) {
                    kpod().containers().remove(r.record().id(), false, false, null);
                    out().println(r.record().id());
                }
            }
            return 0;
        }
    }
}
