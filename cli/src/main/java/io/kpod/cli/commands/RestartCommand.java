package io.kpod.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod restart [-t SECONDS] CONTAINER…}. */
@Command(name = "restart", description = "Restart one or more containers")
public final class RestartCommand extends MultiTargetCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> targets;

    @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container")
    Integer time;

    @Override
    protected String act(String target) {
        return kpod().containers().restart(target, time).id();
    }

    @Override
    public Integer call() {
        return forEach(targets);
    }
}
