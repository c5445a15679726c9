package io.kpod.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kpod healthcheck run CONTAINER}: prints nothing and exits 0 when healthy, prints unhealthy and exits 1 otherwise. */
@Command(name = "healthcheck", description = "Manage health checks", subcommands = HealthcheckCommand.Run.class)
public final class HealthcheckCommand extends GroupCommand {

    /** Runs the container's health check once. */
    @Command(name = "run", description = "Run a container's health check")
    public static final class Run extends BaseCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER") String container;
        @picocli.CommandLine.Option(names = "--readiness", hidden = true,
                description = "Run the container's readiness check instead (kube readinessProbe)") boolean readiness;

        @Override
        public Integer call() {
            String status = readiness ? kpod().health().runReadiness(container) : kpod().health().run(container);
            if (status.equals("healthy")) {
                return 0;
            }
            out().println(status);
            return 1;
        }
    }
}
