package io.kpod.engine.config;

import io.kpod.spec.KpodException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The OCI runtime kpod runs containers with, and where conmon is. An explicit choice
 * ({@code --runtime}, else containers.conf {@code [engine] runtime}) is a name looked up in
 * {@code [engine.runtimes]} or a path. Otherwise crun on a pure cgroup v2 host, runc
 * elsewhere (crun refuses hybrid hosts).
 *
 * @param name the runtime's name (runc, crun, or the file name of a path)
 * @param path the executable, as found (not symlink-resolved: Podman passes /usr/bin/runc too)
 */
public record RuntimeChoice(String name, Path path, CgroupMode cgroupMode) {

    /** Chooses for this host: its cgroup mode, real files and {@code PATH}. */
    public static RuntimeChoice choose(String requested, EngineConfig config) {
        return choose(requested, config, CgroupMode.detect(), RuntimeChoice::executable, pathDirs(System.getenv("PATH")));
    }

    /**
     * Chooses with everything given, for tests.
     *
     * @param requested  {@code --runtime}: a name, a path, or null
     * @param executable tells whether a file is an executable
     * @param pathDirs   the {@code PATH} directories searched after the configured paths
     */
    public static RuntimeChoice choose(String requested, EngineConfig config, CgroupMode mode,
                                       Predicate<Path> executable, List<Path> pathDirs) {
        String wanted = requested != null && !requested.isBlank() ? requested.trim() : config.runtime();
        if (!wanted.isEmpty()) {
            if (wanted.contains("/")) {
                Path p = Path.of(wanted);
                if (!executable.test(p)) {
                    throw KpodException.invalid("OCI runtime " + p + " does not exist or is not executable");
                }
                return new RuntimeChoice(p.getFileName().toString(), p, mode);
            }
            return find(wanted, config, executable, pathDirs)
                    .map(p -> new RuntimeChoice(wanted, p, mode))
                    .orElseThrow(() -> KpodException.invalid("OCI runtime \"" + wanted + "\" not found in "
                            + candidates(wanted, config, pathDirs) + ": install it or pick another with --runtime"));
        }
        List<String> order = switch (mode) {
            case UNIFIED -> List.of("crun", "runc");
            case LEGACY -> List.of("runc", "crun");
            case HYBRID -> List.of("runc");
        };
        for (String name : order) {
            var found = find(name, config, executable, pathDirs);
            if (found.isPresent()) {
                return new RuntimeChoice(name, found.get(), mode);
            }
        }
        throw KpodException.runtime("no OCI runtime found: install runc or crun");
    }

    /** Finds conmon in containers.conf's {@code conmon_path} list, then on {@code PATH}. */
    public static Path findConmon(EngineConfig config) {
        return findConmon(config, RuntimeChoice::executable, pathDirs(System.getenv("PATH")));
    }

    public static Path findConmon(EngineConfig config, Predicate<Path> executable, List<Path> pathDirs) {
        List<Path> candidates = new ArrayList<>(config.conmonPaths());
        pathDirs.forEach(d -> candidates.add(d.resolve("conmon")));
        return candidates.stream().filter(executable).findFirst()
                .orElseThrow(() -> KpodException.runtime("conmon not found in " + config.conmonPaths()
                        + " or PATH: install conmon or set conmon_path in containers.conf"));
    }

    private static java.util.Optional<Path> find(String name, EngineConfig config, Predicate<Path> executable, List<Path> pathDirs) {
        return candidates(name, config, pathDirs).stream().filter(executable).findFirst();
    }

    private static List<Path> candidates(String name, EngineConfig config, List<Path> pathDirs) {
        List<Path> out = new ArrayList<>(config.runtimePaths().getOrDefault(name, List.of()));
        pathDirs.forEach(d -> out.add(d.resolve(name)));
        return out;
    }

    static List<Path> pathDirs(String path) {
        List<Path> out = new ArrayList<>();
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (d.startsWith("/")) {
                    out.add(Path.of(d));
                }
            }
        }
        return out;
    }

    private static boolean executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
