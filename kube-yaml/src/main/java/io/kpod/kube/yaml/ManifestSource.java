package io.kpod.kube.yaml;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where manifest text comes from: a file, a stream (standard input, named {@code -}) or text
 * in memory. {@link #resolve} turns a command-line argument into sources.
 */
public sealed interface ManifestSource permits ManifestSource.FileSource, ManifestSource.StreamSource, ManifestSource.TextSource {

    /** The name used in messages: the path as given, {@code -} for standard input, or the text's label. */
    String name();

    /** Reads at most {@code limit} bytes plus one, so that a larger source is detected without reading it all. */
    byte[] read(int limit) throws IOException;

    static ManifestSource file(Path path) {
        return new FileSource(path);
    }

    /** A stream read once; {@code name} is {@code -} for standard input. The stream is not closed. */
    static ManifestSource stream(String name, InputStream in) {
        return new StreamSource(name, in);
    }

    /** Text in memory, readable any number of times; {@code name} labels it in messages. */
    static ManifestSource text(String name, String text) {
        return new TextSource(name, text);
    }

    /**
     * Sources for one command-line argument: {@code -} is {@code stdin}; a directory gives its
     * {@code *.yaml}, {@code *.yml} and {@code *.json} files (not subdirectories) sorted by name;
     * anything else is a file.
     *
     * @throws KpodException NOT_FOUND when the path does not exist, INVALID when a directory holds no manifest
     */
    static List<ManifestSource> resolve(String argument, InputStream stdin) {
        if ("-".equals(argument)) {
            return List.of(stream("-", stdin));
        }
        Path path = Path.of(argument);
        if (!Files.exists(path)) {
            throw KpodException.notFound("manifest " + argument + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            return List.of(file(path));
        }
        List<ManifestSource> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(path)) {
            entries.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
                    })
                    .sorted()
                    .forEach(p -> out.add(file(p)));
        } catch (IOException e) {
            throw KpodException.runtime("cannot list manifest directory " + argument + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw KpodException.invalid("directory " + argument + " holds no .yaml, .yml or .json file");
        }
        return List.copyOf(out);
    }

    /** A manifest file. */
    record FileSource(Path path) implements ManifestSource {
        @Override
        public String name() {
            return path.toString();
        }

        @Override
        public byte[] read(int limit) throws IOException {
            try (InputStream in = Files.newInputStream(path)) {
                return in.readNBytes(limit + 1);
            }
        }
    }

    /** A stream or in-memory text. */
    record StreamSource(String name, InputStream in) implements ManifestSource {
        @Override
        public byte[] read(int limit) throws IOException {
            return in.readNBytes(limit + 1);
        }
    }

    /** Text in memory. */
    record TextSource(String name, String text) implements ManifestSource {
        @Override
        public byte[] read(int limit) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return bytes.length > limit ? java.util.Arrays.copyOf(bytes, limit + 1) : bytes;
        }
    }
}
