package io.kpod.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod start CONTAINER…}. */
@Command(name = "start", description = "Start one or more containers")
public final class StartCommand extends MultiTargetCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> targets;

    @Option(names = {"-a", "--attach"}, description = "Attach to the container's output")
    boolean attach;

    @Override
    protected String act(String target) {
        String id = kpod().containers().start(target).id();
        kpod().notifier().started(id);
        return target;
    }

    /** Containers start side by side; a pod member still waits for its infra, and output keeps the given order. */
    @Override
    protected boolean parallel() {
        return true;
    }

    @Override
    public Integer call() {
        return forEach(targets);
    }
}
