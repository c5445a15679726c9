package io.kpod.cli.commands;

import picocli.CommandLine.Command;

/** {@code kpod generate kube}: Podman's older spelling of {@code kube generate}. */
@Command(name = "generate", description = "Generate structured data from pods and containers",
        subcommands = {GenerateCommand.Kube.class})
public final class GenerateCommand extends GroupCommand {
    /** {@code generate kube NAME…}. */
    @Command(name = "kube", description = "Generate Kubernetes YAML from pods, containers and volumes")
    public static final class Kube extends KubeCommand.Generate {
    }
}
