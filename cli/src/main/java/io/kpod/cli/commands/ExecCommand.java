package io.kpod.cli.commands;

import io.kpod.cli.ExitException;
import io.kpod.engine.container.ExecService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod exec [-i] [-t] [-e K=V] [-u USER] [-w DIR] CONTAINER COMMAND…}; exits with the command's code. */
@Command(name = "exec", description = "Run a process in a running container")
public final class ExecCommand extends BaseCommand {
    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-e", "--env"}, description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, description = "User name or UID[:GID]")
    String user;

    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    String workdir;

    @Option(names = "--privileged", description = "Accepted for compatibility")
    boolean privileged;

    @Option(names = {"-d", "--detach"}, description = "Accepted for compatibility; runs attached")
    boolean detach;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        Map<String, String> envMap = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq < 0) {
                String v = System.getenv(e);
                if (v != null) {
                    envMap.put(e, v);
                }
            } else {
                envMap.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        ExecService.ExecRequest req = new ExecService.ExecRequest(command, envMap, user, workdir, interactive, tty,
                privileged);
        out().flush();
        int code = kpod().exec().execAttached(container, req, System.in, System.out, System.err);
        throw new ExitException(code);
    }
}
