package io.kpod.cli.commands;

import io.kpod.cli.PullFlags;
import io.kpod.engine.image.ImageRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod pull IMAGE}: fetch an image from its registry and print its id. */
@Command(name = "pull", description = "Pull an image from a registry")
public final class PullCommand extends BaseCommand {
    @Mixin
    PullFlags flags;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image ID") boolean quiet;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "[docker://]REGISTRY/REPOSITORY[:TAG|@DIGEST], or a short name")
    String image;

    @Override
    public Integer call() {
        ImageRecord rec = kpod().puller().pull(image, flags.options(quiet));
        out().println(rec.id());
        return 0;
    }
}
