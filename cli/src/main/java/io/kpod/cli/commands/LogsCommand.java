package io.kpod.cli.commands;

import io.kpod.engine.container.LogReader;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.KpodException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod logs [-f] [--tail N] [--since T] [--until T] [-t] CONTAINER…}. */
@Command(name = "logs", description = "Fetch the logs of one or more containers")
public final class LogsCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> targets;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = "--tail", description = "Output the last N lines (-1 for all)")
    int tail = -1;

    @Option(names = "--since", description = "Show logs since a timestamp (RFC 3339) or a duration ago (10m)")
    String since;

    @Option(names = "--until", description = "Show logs until a timestamp or a duration ago")
    String until;

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = {"-n", "--names"}, description = "Prefix each line with the container's name")
    boolean names;

    @Override
    public Integer call() {
        Instant sinceT = time(since);
        Instant untilT = time(until);
        for (String t : targets) {
            ContainerRow row = kpod().containers().lookup(t);
            String prefix = names || targets.size() > 1 ? row.record().name() + " " : "";
            PrintStream out = System.out;
            PrintStream errS = System.err;
            LogReader.read(kpod().containers().logPath(row.record()), tail, sinceT, untilT, follow,
                    () -> running(row.record().id()), e -> {
                        PrintStream s = e.stderr() ? errS : out;
                        s.print(prefix);
                        if (timestamps) {
                            s.print(e.rawTime() + " ");
                        }
                        s.print(e.text());
                        if (!e.partial()) {
                            s.print('\n');
                        }
                        s.flush();
                    });
        }
        return 0;
    }

    private boolean running(String id) {
        try {
            return kpod().containers().lookup(id).state().status() == ContainerStatus.RUNNING;
        } catch (KpodException e) {
            return false;
        }
    }

    static Instant time(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (RuntimeException e) {
            try {
                return Instant.now().minus(io.kpod.cli.Units.duration(value));
            } catch (KpodException e2) {
                throw KpodException.invalid("invalid time \"" + value + "\": use RFC 3339 or a duration such as 10m");
            }
        }
    }
}
