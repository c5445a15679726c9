package io.kpod.cli.commands;

import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod logout REGISTRY | -a}: remove stored registry credentials. */
@Command(name = "logout", description = "Log out of a container registry")
public final class LogoutCommand extends BaseCommand {
    @Option(names = {"-a", "--all"}, description = "Remove the credentials of every registry") boolean all;
    @Option(names = "--authfile", description = "Path of the authentication file (auth.json)") Path authFile;

    @Parameters(index = "0", arity = "0..1", paramLabel = "REGISTRY") String registry;

    @Override
    public Integer call() {
        if (all == (registry != null)) {
            throw KpodException.invalid(all ? "--all takes no registry" : "a registry is required (or --all)");
        }
        kpod().registries().logout(all ? null : registry, Optional.ofNullable(authFile));
        out().println(all ? "Removed login credentials for all registries" : "Removed login credentials for " + registry);
        return 0;
    }
}
