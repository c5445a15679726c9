package io.kpod.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod wait CONTAINER…}: blocks until each stops and prints its exit code. */
@Command(name = "wait", description = "Block until one or more containers stop and print their exit codes")
public final class WaitCommand extends MultiTargetCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> targets;

    @Option(names = {"-i", "--interval"}, description = "Polling interval in milliseconds")
    long interval = 100;

    @Option(names = "--condition", description = "Accepted: stopped, exited")
    List<String> condition;

    @Override
    protected String act(String target) {
        return Integer.toString(kpod().containers().waitFor(target, interval));
    }

    @Override
    public Integer call() {
        return forEach(targets);
    }
}
