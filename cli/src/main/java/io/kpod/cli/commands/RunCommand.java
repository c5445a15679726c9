package io.kpod.cli.commands;

import io.kpod.cli.ContainerFlags;
import io.kpod.cli.ExitException;
import io.kpod.engine.container.LogReader;
import io.kpod.engine.state.ContainerRecord;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.spec.KpodException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kpod run}: create and start a container. Detached, it prints the id; attached, it
 * streams the container's output and exits with the container's exit code.
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
    public Integer call() {
        ContainerRecord rec = kpod().containers().create(flags.toSpec(image, command, flags.podId(kpod())));
        try {
            kpod().containers().start(rec.id());
        } catch (KpodException e) {
            if (rec.spec().removeOnExit()) {
                kpod().containers().remove(rec.id(), true, true, 0);
            }
            throw e;
        }
        if (detach) {
            out().println(rec.id());
            return 0;
        }
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        LogReader.read(kpod().containers().logPath(rec), -1, null, null, true,
                () -> isRunning(rec.id()), e -> {
                    PrintStream s = e.stderr() ? stderr : stdout;
                    s.print(e.text());
                    if (!e.partial()) {
                        s.print('\n');
                    }
                    s.flush();
                });
        int code = kpod().containers().waitFor(rec.id(), 50);
        if (rec.spec().removeOnExit()) {
            // the exit callback removes it too; whoever comes second finds nothing to do
            try {
                kpod().containers().remove(rec.id(), true, true, 0);
            } catch (KpodException e) {
                if (e.kind() != io.kpod.spec.ErrorKind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        throw new ExitException(code);
    }

    private boolean isRunning(String id) {
        try {
            return kpod().containers().lookup(id).state().status() == ContainerStatus.RUNNING;
        } catch (KpodException e) {
            return false;
        }
    }
}
