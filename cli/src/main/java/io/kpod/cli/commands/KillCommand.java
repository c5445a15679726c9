package io.kpod.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod kill [-s SIGNAL] CONTAINER…}. */
@Command(name = "kill", description = "Kill one or more running containers with a signal")
public final class KillCommand extends MultiTargetCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> targets;

    @Option(names = {"-s", "--signal"}, description = "Signal to send (default KILL)")
    String signal = "KILL";

    @Override
    protected boolean parallel() {
        return true;
    }

    @Override
    protected String act(String target) {
        kpod().containers().kill(target, signal);
        return target;
    }

    @Override
    public Integer call() {
        return forEach(targets);
    }
}
