package io.kpod.cli.commands;

import io.kpod.engine.state.StateStore.ContainerRow;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kpod system reset|prune}. */
@Command(name = "system", description = "Manage kpod",
        subcommands = {SystemCommand.Reset.class, SystemCommand.Prune.class, SystemCommand.Check.class, InfoCommand.class})
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

    /** {@code system check [--repair] [--force]}: what a crash left behind, and with --repair its removal. */
    @picocli.CommandLine.Command(name = "check", description = "Find (and with --repair remove) what crashes left behind")
    public static final class Check extends BaseCommand {
        @picocli.CommandLine.Option(names = {"-r", "--repair"}, description = "Remove what is found") boolean repair;
        @picocli.CommandLine.Option(names = {"-f", "--force"},
                description = "Also leftovers younger than a minute (no other kpod command may be running)")
        boolean force;
        @picocli.CommandLine.Option(names = {"-q", "--quick"}, description = "Accepted; every check is quick")
        boolean quick;

        @Override
        public Integer call() {
            var findings = new io.kpod.engine.check.SystemCheck(kpod().ctxForCheck(), kpod().containers(),
                    kpod().networks()).run(repair, force);
            long repaired = findings.stream().filter(f -> f.repaired()).count();
            for (var f : findings) {
                out().println(f.kind() + " " + f.object() + ": " + f.problem() + (f.repaired() ? " (repaired)" : ""));
            }
            out().println(findings.isEmpty() ? "No problems found"
                    : findings.size() + " problem(s) found, " + repaired + " repaired");
            out().flush();
            return findings.size() == repaired ? 0 : 1;
        }
    }
}
