package io.kpod.cli.commands;

import io.kpod.engine.image.ArchiveFormat;
import io.kpod.engine.runtime.attach.PosixIo;
import io.kpod.spec.KpodException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kpod save [-o FILE] [--format docker-archive|oci-archive] [-m] IMAGE…}: to a file, or
 * to stdout when that is not a terminal. Without {@code -m}, words after the image are extra
 * names for it, as in Podman.
 */
@Command(name = "save", description = "Save image(s) to an archive")
public final class SaveCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "IMAGE") List<String> images;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to this file (default: stdout, which must be redirected)")
    Path output;

    @Option(names = "--format", defaultValue = "docker-archive", description = "docker-archive (default) or oci-archive")
    String format;

    @Option(names = {"-m", "--multi-image-archive"}, description = "Every argument is an image (docker-archive only)")
    boolean multi;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the output (kpod prints no progress)")
    boolean quiet;

    @Override
    public Integer call() {
        ArchiveFormat fmt = ArchiveFormat.parse(format);
        if (output == null) {
            if (PosixIo.isatty(1)) {
                throw KpodException.invalid("refusing to save to terminal. Use -o flag or redirect");
            }
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 65536);
            kpod().images().save(images, fmt, multi, out);
            return 0;
        }
        if (Files.isDirectory(output)) {
            throw KpodException.invalid("cannot save to " + output + ": it is a directory");
        }
        // written next to the target and renamed into place: a failed save never clobbers an old file
        Path abs = output.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), 65536)) {
                kpod().images().save(images, fmt, multi, out);
            }
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.NoSuchFileException e) {
            throw KpodException.invalid("cannot write " + output + ": no such directory " + abs.getParent());
        } catch (IOException e) {
            throw KpodException.invalid("cannot write " + output + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do; the error above says what went wrong
            }
        }
        return 0;
    }
}
