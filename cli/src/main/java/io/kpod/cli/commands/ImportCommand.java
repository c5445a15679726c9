package io.kpod.cli.commands;

import io.kpod.engine.image.ImageRecord;
import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod import TARBALL [NAME]}: a rootfs tarball (plain, gzip, zstd) becomes a one-layer image. */
@Command(name = "import", description = "Import a tarball as a filesystem image")
public final class ImportCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "TARBALL") Path tarball;
    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME") String name;

    @Option(names = {"-c", "--change"}, description = "Apply a Dockerfile instruction: CMD, ENTRYPOINT, ENV, WORKDIR, …")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, description = "Accepted for compatibility")
    String message;

    @Option(names = {"-q", "--quiet"}, description = "Accepted: kpod prints no progress")
    boolean quiet;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(tarball)) {
            throw KpodException.invalid("cannot import " + tarball + ": no such file");
        }
        ImageRecord rec = kpod().images().importRootfs(tarball, Optional.ofNullable(name), changes);
        out().println("sha256:" + rec.id());
        return 0;
    }
}
