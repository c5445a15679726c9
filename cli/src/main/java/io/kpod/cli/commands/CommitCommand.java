package io.kpod.cli.commands;

import io.kpod.engine.container.ContainerCommitter;
import io.kpod.engine.image.ImageRecord;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod commit CONTAINER [IMAGE]}: the container's changes as a new image; prints its id. */
@Command(name = "commit", description = "Create new image based on the changed container")
public final class CommitCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER") String container;
    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE") String image;

    @Option(names = {"-c", "--change"}, description = "Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, …")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, description = "Commit message stored in the image")
    String message;

    @Option(names = {"-a", "--author"}, description = "Author stored in the image")
    String author;

    @Option(names = {"-p", "--pause"}, description = "Pause the container while committing")
    boolean pause;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the output (kpod prints no progress)")
    boolean quiet;

    @Option(names = "--iidfile", paramLabel = "FILE", description = "Also write the image id to this file, as printed")
    Path iidFile;

    @Override
    public Integer call() {
        ImageRecord rec = kpod().committer().commit(new ContainerCommitter.Request(container,
                Optional.ofNullable(image), changes, author, message, pause));
        if (iidFile != null) {
            try {
                Files.writeString(iidFile, rec.id());
            } catch (IOException e) {
                throw KpodException.invalid("cannot write the image id to " + iidFile + ": " + e.getMessage());
            }
        }
        out().println(rec.id());
        return 0;
    }
}
