package io.kpod.cli.commands;

import io.kpod.cli.ContainerFlags;
import io.kpod.cli.ExitException;
import io.kpod.engine.runtime.attach.AttachClient;
import io.kpod.engine.runtime.attach.ConmonControl;
import io.kpod.engine.runtime.attach.HostTerminal;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kpod run}: create and start a container. Detached, it prints the id; attached, it
 * connects to conmon's attach socket before the container starts (so no output is lost),
 * feeds stdin with {@code -i}, puts the terminal in raw mode with {@code -t}, and exits with
 * the container's exit code.
 */
@Command(name = "run", description = "Run a command in a new container")
public final class RunCommand extends BaseCommand {
    @Mixin
    ContainerFlags flags;

    @Option(names = {"-d", "--detach"}, description = "Run the container in the background and print its ID")
    boolean detach;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to run")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        flags.beforeCreate(kpod());
        ContainerRecord rec = kpod().containers().create(flags.toSpec(flags.ensureImage(kpod(), image), command,
                flags.podId(kpod())).withAnnotations(createCommand(1 + command.size())));
        flags.afterCreate(kpod(), rec.id());
        boolean tty = rec.spec().process().tty();
        AttachClient[] client = new AttachClient[1];
        Path[] bundle = new Path[1];
        try {
            kpod().containers().start(rec.id(), detach ? null : b -> {
                bundle[0] = b;
                client[0] = AttachClient.connect(AttachClient.socketPath(b));
                if (rec.spec().removeOnExit()) {
                    kpod().containers().markAttachedRemover(rec.id());
                }
            });
        } catch (KpodException e) {
            if (client[0] != null) {
                client[0].close();
            }
            if (rec.spec().removeOnExit()) {
                kpod().containers().remove(rec.id(), true, true, 0);
            }
            throw e;
        }
        try {
            kpod().notifier().started(rec.id());
        } catch (KpodException e) {
            if (detach && rec.spec().removeOnExit()) {
                try {
                    kpod().containers().remove(rec.id(), true, true, 0);
                } catch (KpodException gone) {
                    // its exit callback removed it already
                }
            }
            throw e;
        }
        if (detach) {
            out().println(rec.id());
            return 0;
        }
        out().flush();
        try (AttachClient c = client[0];
             HostTerminal term = tty ? HostTerminal.stdin(size -> ConmonControl.resize(bundle[0], size)) : null) {
            c.pump(rec.spec().process().interactive() ? System.in : null, System.out, tty ? null : System.err);
        }
        int code = kpod().containers().waitFor(rec.id(), 20);
        if (rec.spec().removeOnExit()) {
            // the exit callback removes it too; whoever comes second finds nothing to do
            try {
                kpod().containers().remove(rec.id(), true, true, 0);
            } catch (KpodException e) {
                if (e.kind() != ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        throw new ExitException(code);
    }
}
