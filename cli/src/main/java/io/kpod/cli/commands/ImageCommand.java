package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.cli.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod image …}: the image commands under their long names. */
@Command(name = "image", description = "Manage images",
        subcommands = {ImagesCommand.class, ImportCommand.class, LoadCommand.class, SaveCommand.class,
            PullCommand.class, PushCommand.class, RmiCommand.class, TagCommand.class,
            ImageCommand.Inspect.class, ImageCommand.Untag.class, ImageCommand.Prune.class, ImageCommand.Exists.class})
public final class ImageCommand extends GroupCommand {

    /** {@code image inspect IMAGE…}. */
    @Command(name = "inspect", description = "Display the configuration of images")
    public static final class Inspect extends BaseCommand {
        @Parameters(arity = "1..*") List<String> names;
        @Option(names = {"-f", "--format"}) String format;

        @Override
        public Integer call() {
            List<JsonNode> docs = new ArrayList<>();
            for (String n : names) {
                docs.add(kpod().imageInspect(n));
            }
            Output.document(out(), format, docs);
            return 0;
        }
    }

    /** {@code image untag IMAGE [NAME…]}: without names, all of them. */
    @Command(name = "untag", description = "Remove names from an image")
    public static final class Untag extends BaseCommand {
        @Parameters(index = "0") String image;
        @Parameters(index = "1..*") List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            kpod().images().untag(image, names);
            return 0;
        }
    }

    /** {@code image prune [-a]}: dangling (or all unused) images. */
    @Command(name = "prune", description = "Remove unused images")
    public static final class Prune extends BaseCommand {
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = {"-f", "--force"}) boolean force;

        @Override
        public Integer call() {
            kpod().pruneImages(all).forEach(out()::println);
            return 0;
        }
    }

    /** {@code image exists IMAGE}: exit 0 or 1. */
    @Command(name = "exists", description = "Check whether an image exists")
    public static final class Exists extends ExistsCommand {
        @Override
        protected void lookup(String ref) {
            kpod().images().resolve(ref);
        }
    }
}
