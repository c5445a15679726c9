package io.kpod.cli.commands;

import picocli.CommandLine.Command;

/** {@code kpod play kube}: Podman's older spelling of {@code kube play}. */
@Command(name = "play", description = "Play Kubernetes YAML (same as kube play)",
        subcommands = {PlayCommand.Kube.class})
public final class PlayCommand extends GroupCommand {
    /** {@code play kube FILE…}. */
    @Command(name = "kube", description = "Create pods, volumes and secrets from Kubernetes YAML")
    public static final class Kube extends KubeCommand.Play {
    }
}
