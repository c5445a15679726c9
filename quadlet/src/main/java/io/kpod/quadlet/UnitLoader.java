package io.kpod.quadlet;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the unit files of the search directories, the first directory holding a file name
 * winning, and merges their drop-ins ({@code NAME.container.d/*.conf}, {@code container.d/*.conf},
 * the template and dash-truncated forms) in name order.
 */
public final class UnitLoader {
    /** The units read, and the errors of the files that could not be read. */
    public record Loaded(List<UnitFile> units, List<String> errors) {
    }

    private UnitLoader() {
    }

    public static Loaded load(List<Path> dirs) {
        List<UnitFile> units = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Path dir : dirs) {
            for (Path file : list(dir)) {
                String name = file.getFileName().toString();
                if (seen.contains(name) || UnitType.of(name).isEmpty() || Files.isDirectory(file)) {
                    continue;
                }
                try {
                    units.add(UnitFile.read(file));
                    seen.add(name);
                } catch (IOException e) {
                    errors.add("error loading \"" + file + "\": " + describe(e));
                } catch (QuadletException e) {
                    errors.add("error loading \"" + file + "\": " + e.describe());
                }
            }
        }
        for (UnitFile unit : units) {
            mergeDropIns(unit, dirs, errors);
        }
        return new Loaded(units, errors);
    }

    private static void mergeDropIns(UnitFile unit, List<Path> dirs, List<String> errors) {
        TreeMap<String, Path> byName = new TreeMap<>();
        for (Path dir : dirs) {
            for (String dropInDir : UnitNames.dropInDirs(unit.fileName())) {
                for (Path conf : list(dir.resolve(dropInDir))) {
                    String name = conf.getFileName().toString();
                    if (name.endsWith(".conf")) {
                        byName.putIfAbsent(name, conf);
                    }
                }
            }
        }
        for (Path conf : byName.values()) {
            try {
                unit.merge(UnitFile.read(conf));
            } catch (IOException e) {
                errors.add("error loading \"" + conf + "\": " + describe(e));
            } catch (QuadletException e) {
                errors.add("error loading \"" + conf + "\": " + e.describe());
            }
        }
    }

    /** An I/O failure for a person: NIO's messages are often the bare path. */
    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file (a dangling symlink?)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
