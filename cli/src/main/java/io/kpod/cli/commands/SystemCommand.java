package io.kpod.cli.commands;

import io.kpod.engine.state.StateStore.ContainerRow;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kpod system reset|prune}. */
@Command(name = "system", description = "Manage kpod",
        subcommands = {SystemCommand.Reset.class, SystemCommand.Prune.class, InfoCommand.class})
public final class SystemCommand extends GroupCommand {

    /** Removes every container, image, volume and secret kpod made, and its state. */
    @Command(name = "reset", description = "Remove all containers, images, volumes, secrets and state")
    public static final class Reset extends BaseCommand {
        @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
        boolean force;

        @Override
        public Integer call() {
            kpod().reset();
            return 0;
        }
    }

    /** Removes stopped containers, unused volumes (with --volumes) and dangling images. */
    @Command(name = "prune", description = "Remove unused data")
    public static final class Prune extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = "--volumes") boolean volumes;
        @Option(names = {"-a", "--all"}) boolean all;

        @Override
        public Integer call() {
            List<ContainerRow> rows = kpod().containers().list();
            for (ContainerRow r : rows) {
                if (!r.state().status().isActive()) {
                    kpod().containers().remove(r.record().id(), false, false, null);
                    out().println(r.record().id());
                }
            }
            if (volumes) {
                kpod().volumes().prune(kpod().containers()::volumeInUse).forEach(out()::println);
            }
            kpod().pruneImages(all).forEach(out()::println);
            return 0;
        }
    }
}
