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

    @Option(names = "--cidfile", description = "Read the container ID from a file")
    List<java.nio.file.Path> cidfiles = new java.util.ArrayList<>();

    @Override
    protected boolean parallel() {
        return true;
    }

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
    public Integer call() throws java.io.IOException {
        List<String> t = new java.util.ArrayList<>(targets);
        for (java.nio.file.Path f : cidfiles) {
            if (java.nio.file.Files.exists(f)) {
                t.add(java.nio.file.Files.readString(f).trim());
            } else if (!ignore) {
                throw io.kpod.spec.KpodException.notFound("cannot read container ID file " + f + ": no such file");
            }
        }
        if (all) {
            t = kpod().containers().list().stream()
                    .filter(r -> r.state().status().isActive()).map(r -> r.record().id()).toList();
        }
        return forEach(t);
    }
}
