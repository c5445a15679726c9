package io.kpod.cli.commands;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod rm [-f] [-v] CONTAINER…}: exit 1 when a container does not exist, 2 when one is running. */
@Command(name = "rm", description = "Remove one or more containers")
public final class RmCommand extends MultiTargetCommand {
    @Parameters(arity = "0..*", paramLabel = "CONTAINER")
    List<String> targets = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Stop and remove running containers")
    boolean force;

    @Option(names = {"-v", "--volumes"}, description = "Remove the container's anonymous volumes")
    boolean volumes;

    @Option(names = {"-a", "--all"}, description = "Remove all containers")
    boolean all;

    @Option(names = {"-i", "--ignore"}, description = "Ignore errors when a container does not exist")
    boolean ignore;

    @Option(names = {"-t", "--time"}, description = "Seconds to wait for a running container to stop")
    Integer time;

    @Option(names = "--cidfile", description = "Read the container ID from a file")
    List<Path> cidfiles = new ArrayList<>();

    @Override
    protected boolean parallel() {
        return true;
    }

    @Override
    protected String act(String target) {
        try {
            return kpod().containers().remove(target, force, volumes, time).id();
        } catch (KpodException e) {
            if (ignore && notFound(e)) {
                return null;
            }
            throw e;
        }
    }

    @Override
    protected int codeFor(KpodException e) {
        if (e.kind() == ErrorKind.NOT_FOUND) {
            return 1;
        }
        return e.kind() == ErrorKind.CONFLICT ? 2 : 125;
    }

    @Override
    public Integer call() throws Exception {
        List<String> t = new ArrayList<>(targets);
        for (Path f : cidfiles) {
            if (Files.exists(f)) {
                t.add(Files.readString(f).trim());
            } else if (!ignore) {
                throw KpodException.notFound("cannot read container ID file " + f + ": no such file");
            }
        }
        if (all) {
            // containers that join another's network namespace go before the ones they depend on
            var rows = kpod().containers().list().stream().filter(r -> !r.record().infra()).toList();
            List<String> joining = rows.stream().filter(r -> r.record().spec().networkMode().startsWith("container:"))
                    .map(r -> r.record().id()).toList();
            List<String> rest = rows.stream().map(r -> r.record().id()).filter(id -> !joining.contains(id)).toList();
            int first = forEach(joining);
            int second = forEach(rest);
            return first == 0 ? second : second == 0 ? first : Math.max(first, second);
        }
        return forEach(t);
    }
}
