package io.kpod.cli.commands;

/** A command that only groups subcommands ({@code kpod pod}, {@code kpod volume}…): alone, it prints its usage. */
public abstract class GroupCommand extends BaseCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return 0;
    }
}
