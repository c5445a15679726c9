package io.kpod.cli.commands;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kpod tag IMAGE NAME…}. */
@Command(name = "tag", description = "Add names to an image")
public final class TagCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "IMAGE") String image;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME") List<String> names;

    @Override
    public Integer call() {
        for (String n : names) {
            kpod().images().tag(image, n);
        }
        return 0;
    }
}
