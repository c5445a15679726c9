package io.kpod.cli.commands;

import io.kpod.engine.runtime.attach.PosixIo;
import io.kpod.spec.KpodException;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kpod load [-i FILE]}: images from a docker-archive or oci-archive (plain, gzip, zstd), or from stdin. */
@Command(name = "load", description = "Load image(s) from a tar archive")
public final class LoadCommand extends BaseCommand {
    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from this archive file (default: stdin)")
    Path input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the output (kpod prints no progress)")
    boolean quiet;

    @Override
    public Integer call() {
        List<String> loaded;
        if (input != null) {
            if (!Files.isRegularFile(input)) {
                throw KpodException.notFound("cannot load " + input + ": no such file");
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 65536)) {
                loaded = kpod().images().load(in);
            } catch (IOException e) {
                throw KpodException.invalid("cannot read " + input + ": " + e.getMessage());
            }
        } else {
            if (PosixIo.isatty(0)) {
                throw KpodException.invalid("cannot read from terminal, use command-line redirection or the --input flag");
            }
            loaded = kpod().images().load(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 65536));
        }
        for (String name : loaded) {
            out().println("Loaded image: " + name);
        }
        return 0;
    }
}
