package io.kpod.cli.commands;

import io.kpod.cli.ContainerFlags;
import io.kpod.engine.state.ContainerRecord;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kpod create IMAGE [COMMAND [ARG…]]}: create a container without starting it; prints its id. */
@Command(name = "create", description = "Create but do not start a container")
public final class CreateCommand extends BaseCommand {
    @Mixin
    ContainerFlags flags;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image to create the container from")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "Command and arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        flags.beforeCreate(kpod());
        ContainerRecord rec = kpod().containers().create(flags.toSpec(flags.ensureImage(kpod(), image), command,
                flags.podId(kpod())).withAnnotations(createCommand(1 + command.size())));
        flags.afterCreate(kpod(), rec.id());
        out().println(rec.id());
        return 0;
    }
}
