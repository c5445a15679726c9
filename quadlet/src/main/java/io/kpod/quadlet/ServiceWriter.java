package io.kpod.quadlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a generated service into the generator's output directory and creates its [Install] symlinks. */
final class ServiceWriter {
    private ServiceWriter() {
    }

    static void write(Path outDir, Generator.GeneratedService service, GeneratorLog log) throws IOException {
        Files.createDirectories(outDir);
        Path file = outDir.resolve(service.fileName());
        log.debug("writing " + file);
        Files.writeString(file, service.text(), StandardCharsets.UTF_8);
        for (InstallLinks.Link link : service.links()) {
            Path path = outDir.resolve(link.path());
            try {
                Files.createDirectories(path.getParent());
                Files.deleteIfExists(path);
                Files.createSymbolicLink(path, Path.of(link.target()));
            } catch (IOException e) {
                // one bad alias must not keep the service itself from being generated
                log.log("Failed creating symlink " + path + ": " + e.getMessage());
            }
        }
    }
}
