package io.kpod.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod stop [-t SECONDS] CONTAINER…}: the stop signal, then SIGKILL after the timeout. */
@Command(name = "stop", description = "Stop one or more containers")
public final class StopCommand extends MultiTargetCommand {
    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> targets = new java.util.ArrayList<>();

    @Option(names = {"-t", "--time"}, description = "Seconds to wait before killing the container")
    Integer time;

    @Option(names = {"-a", "--all"}, description = "Stop all running containers")
    boolean all;

    @Option(names = {"-i", "--ignore"}, description = "Ignore errors when a container does not exist")
    boolean ignore;

    @Override
    protected String act(String target) {
        try {
            kpod().containers().stop(target, time);
        } catch (io.kpod.spec.KpodException e) {
            if (ignore && notFound(e)) {
                return null;
            }
            throw e;
        }
        return target;
    }

    @Override
    public Integer call() {
        List<String> t = all ? kpod().containers().list().stream()
                .filter(r -> r.state().status().isActive()).map(r -> r.record().id()).toList() : targets;
        return forEach(t);
    }
}
