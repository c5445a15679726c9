package io.kpod.quadlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The directories searched for unit files, in precedence order (an earlier directory wins for
 * the same file name), each followed by its subdirectories, as Podman's generator searches them.
 */
public final class SearchPaths {
    private final Path runDir;
    private final Path adminDir;
    private final Path distroDir;

    /** Podman's locations: /run, /etc and /usr/share {@code containers/systemd}. */
    public SearchPaths() {
        this(Path.of("/run/containers/systemd"), Path.of("/etc/containers/systemd"),
                Path.of("/usr/share/containers/systemd"));
    }

    /** Other locations for the temporary, sysadmin and distribution directories (for tests). */
    public SearchPaths(Path runDir, Path adminDir, Path distroDir) {
        this.runDir = runDir;
        this.adminDir = adminDir;
        this.distroDir = distroDir;
    }

    /**
     * {@code QUADLET_UNIT_DIRS} (colon-separated absolute paths) when set; else for root the run,
     * admin (without its {@code users} tree) and distro dirs; for a user {@code $XDG_RUNTIME_DIR},
     * {@code $XDG_CONFIG_HOME} (or {@code ~/.config}), then {@code users/} and {@code users/$UID}.
     */
    public List<Path> unitDirs(boolean user, Map<String, String> env, long uid) {
        Walk walk = new Walk();
        String fromEnv = env.getOrDefault("QUADLET_UNIT_DIRS", "");
        if (!fromEnv.isEmpty()) {
            for (String dir : fromEnv.split(":")) {
                if (!dir.startsWith("/")) {
                    break;
                }
                walk.add(Path.of(dir), p -> true);
            }
            return walk.dirs;
        }
        Path users = resolve(adminDir.resolve("users"));
        if (!user) {
            Predicate<Path> noUsers = p -> !p.startsWith(users);
            walk.add(runDir, noUsers);
            walk.add(adminDir, noUsers);
            walk.add(distroDir, p -> true);
            return walk.dirs;
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty()) {
            walk.add(Path.of(runtime, "containers/systemd"), p -> true);
        }
        String config = env.getOrDefault("XDG_CONFIG_HOME", "");
        Path configDir = config.isEmpty() ? Path.of(env.getOrDefault("HOME", "/root"), ".config") : Path.of(config);
        walk.add(configDir.resolve("containers/systemd"), p -> true);
        // users/ applies to every user, but its numeric subdirectories only to that uid
        walk.add(users, p -> !p.startsWith(users) || p.equals(users)
                || !users.relativize(p).getName(0).toString().matches("[0-9]*"));
        walk.add(users.resolve(Long.toString(uid)), p -> true);
        return walk.dirs;
    }

    private static Path resolve(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    /** A depth-first walk that adds each directory once, skipping drop-in ({@code .d}) directories. */
    private static final class Walk {
        private final List<Path> dirs = new ArrayList<>();
        private final Set<Path> seen = new HashSet<>();

        void add(Path path, Predicate<Path> accept) {
            Path real;
            try {
                real = path.toRealPath();
            } catch (IOException e) {
                if (seen.add(path)) {
                    dirs.add(path); // kept so that a directory created later is still named in logs
                }
                return;
            }
            if (seen.contains(real) || real.getFileName() != null && real.getFileName().toString().endsWith(".d")
                    || !accept.test(real) || !Files.isDirectory(real)) {
                return;
            }
            seen.add(real);
            dirs.add(real);
            try (Stream<Path> children = Files.list(real)) {
                children.sorted().forEach(child -> add(child, accept));
            } catch (IOException e) {
                // an unreadable directory simply contributes no units
            }
        }
    }
}
