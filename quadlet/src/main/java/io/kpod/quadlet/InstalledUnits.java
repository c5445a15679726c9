package io.kpod.quadlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Quadlet files a user installed ({@code quadlet install|list|print|rm}): copied into one
 * install directory, read back from every directory the generator searches. Files installed
 * together from a directory form an application, recorded in a hidden {@code .NAME.app} file
 * that lists them, so that removing one removes them all.
 */
public final class InstalledUnits {
    /** One installed Quadlet file and the service the generator makes of it. */
    public record Installed(String name, String unitName, Path path, String app) {
    }

    private final Path installDir;
    private final List<Path> searchDirs;

    /** Units go into {@code installDir}; listing reads {@code searchDirs} (first wins for a name). */
    public InstalledUnits(Path installDir, List<Path> searchDirs) {
        this.installDir = installDir;
        this.searchDirs = searchDirs;
    }

    /**
     * Where {@code quadlet install} writes: the first absolute entry of {@code QUADLET_UNIT_DIRS}
     * when set, else {@code /etc/containers/systemd} for root and
     * {@code $XDG_CONFIG_HOME/containers/systemd} (or {@code ~/.config/…}) for a user.
     */
    public static Path installDir(boolean user, Map<String, String> env) {
        for (String dir : env.getOrDefault("QUADLET_UNIT_DIRS", "").split(":")) {
            if (dir.startsWith("/")) {
                return Path.of(dir);
            }
        }
        if (!user) {
            return Path.of("/etc/containers/systemd");
        }
        String config = env.getOrDefault("XDG_CONFIG_HOME", "");
        Path base = config.isEmpty() ? Path.of(env.getOrDefault("HOME", "/root"), ".config") : Path.of(config);
        return base.resolve("containers/systemd");
    }

    public Path installDir() {
        return installDir;
    }

    /**
     * Copies {@code sources} into the install directory and returns the paths written. The first
     * source may be a directory: all its regular files are installed as one application named
     * after it. Other sources are files (Quadlet or not, e.g. a YAML a {@code .kube} plays); a
     * {@code NAME.quadlets} file holds several Quadlet files separated by {@code ---} lines, each
     * naming itself in a {@code # FileName=NAME} comment, installed as the application NAME. At
     * least one Quadlet file must be among them; an existing file is an error unless
     * {@code replace}. Nothing is written when a check fails.
     */
    public List<Path> install(List<Path> sources, boolean replace) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a Quadlet file or directory is required");
        }
        List<Path> files = new ArrayList<>();
        String app = "";
        for (int i = 0; i < sources.size(); i++) {
            Path src = sources.get(i);
            if (Files.isDirectory(src)) {
                if (i > 0) {
                    throw new IllegalArgumentException(src + " is a directory: only the first path may be an application directory");
                }
                app = src.toAbsolutePath().normalize().getFileName().toString();
                try (Stream<Path> s = Files.list(src)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + src, e);
                }
            } else if (Files.isRegularFile(src)) {
                files.add(src);
            } else {
                throw new IllegalArgumentException("cannot install " + src + ": no such file or directory");
            }
        }
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            try {
                if (name.endsWith(".quadlets")) {
                    if (app.isEmpty()) {
                        app = name.substring(0, name.length() - ".quadlets".length());
                    }
                    for (Map.Entry<String, String> part : splitQuadlets(f, Files.readString(f, StandardCharsets.UTF_8)).entrySet()) {
                        add(contents, part.getKey(), part.getValue().getBytes(StandardCharsets.UTF_8));
                    }
                } else {
                    add(contents, name, Files.readAllBytes(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        if (contents.keySet().stream().noneMatch(n -> UnitType.of(n).isPresent())) {
            throw new IllegalArgumentException("no Quadlet file (.container, .pod, .kube, .volume, .network, .image) in "
                    + sources);
        }
        if (app.isEmpty() && contents.size() > 1) {
            app = UnitNames.baseName(contents.keySet().iterator().next());
        }
        for (String name : contents.keySet()) {
            if (!replace && Files.exists(installDir.resolve(name))) {
                throw new IllegalStateException("a Quadlet file named " + name + " already exists in " + installDir
                        + ": use --replace to overwrite it");
            }
        }
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(installDir);
            for (Map.Entry<String, byte[]> c : contents.entrySet()) {
                Path target = installDir.resolve(c.getKey());
                Path tmp = installDir.resolve("." + c.getKey() + ".tmp");
                Files.write(tmp, c.getValue());
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(target);
            }
            if (!app.isEmpty()) {
                Files.writeString(appFile(app), String.join("\n", contents.keySet()) + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install into " + installDir + ": " + e.getMessage(), e);
        }
        return written;
    }

    private static void add(Map<String, byte[]> contents, String name, byte[] data) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/")) {
            throw new IllegalArgumentException("invalid file name \"" + name + "\"");
        }
        if (contents.put(name, data) != null) {
            throw new IllegalArgumentException("two files named " + name + " to install");
        }
    }

    /**
     * The parts of a {@code .quadlets} file: each {@code ---}-separated part named by its
     * {@code # FileName=} comment; a name without a Quadlet extension gets the one of its first
     * section ({@code [Container]} → {@code .container}).
     */
    static Map<String, String> splitQuadlets(Path file, String text) {
        Map<String, String> parts = new LinkedHashMap<>();
        List<String> current = new ArrayList<>();
        List<List<String>> all = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.strip().equals("---")) {
                all.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        all.add(current);
        int n = 0;
        for (List<String> part : all) {
            n++;
            if (part.stream().allMatch(String::isBlank)) {
                continue;
            }
            String name = null;
            String section = null;
            for (String line : part) {
                String t = line.strip();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^[#;]\\s*FileName\\s*=\\s*(\\S+)\\s*$").matcher(t);
                if (m.matches() && name == null) {
                    name = m.group(1);
                } else if (section == null && t.startsWith("[") && t.endsWith("]")) {
                    section = t.substring(1, t.length() - 1);
                }
            }
            if (name == null) {
                throw new IllegalArgumentException(file + ": part " + n + " has no \"# FileName=NAME\" comment");
            }
            if (UnitType.of(name).isEmpty()) {
                String sec = section;
                int index = n;
                UnitType type = java.util.Arrays.stream(UnitType.values()).filter(t -> t.section().equals(sec))
                        .findFirst().orElseThrow(() -> new IllegalArgumentException(file + ": cannot tell the type of "
                                + "part " + index + " from its first section [" + sec + "]"));
                name = name + type.extension();
            }
            String body = String.join("\n", part).strip() + "\n";
            if (parts.put(name, body) != null) {
                throw new IllegalArgumentException(file + ": two parts named " + name);
            }
        }
        return parts;
    }

    /** Every Quadlet file in the search directories, in name order, with its application if any. */
    public List<Installed> list() {
        Map<String, String> apps = apps();
        Map<String, Installed> byName = new java.util.TreeMap<>();
        for (Path dir : searchDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path f : s.sorted().toList()) {
                    String name = f.getFileName().toString();
                    Optional<UnitType> type = UnitType.of(name);
                    if (type.isEmpty() || byName.containsKey(name) || !Files.isRegularFile(f)) {
                        continue;
                    }
                    byName.put(name, new Installed(name, unitName(f, type.get()), f,
                            f.getParent().equals(installDir) ? apps.getOrDefault(name, "") : ""));
                }
            } catch (IOException e) {
                // an unreadable directory lists nothing, as the generator reads nothing from it
            }
        }
        return new ArrayList<>(byName.values());
    }

    /** The installed Quadlet file called {@code name} (its file name, e.g. {@code web.container}). */
    public Optional<Installed> find(String name) {
        return list().stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The text of the Quadlet file {@code name}. */
    public String print(String name) {
        Installed i = find(name).orElseThrow(() -> notFound(name));
        try {
            return Files.readString(i.path(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + i.path(), e);
        }
    }

    /**
     * The files that removing {@code name} removes: the Quadlet file, or every file of its
     * application; only files in the install directory can be removed.
     */
    public List<Path> filesOf(String name) {
        Installed i = find(name).orElseThrow(() -> notFound(name));
        if (!i.path().getParent().equals(installDir)) {
            throw new IllegalStateException(name + " is in " + i.path().getParent() + ", not in " + installDir
                    + ": remove it by hand");
        }
        List<Path> files = new ArrayList<>();
        if (i.app().isEmpty()) {
            files.add(i.path());
        } else {
            for (String member : readApp(i.app())) {
                files.add(installDir.resolve(member));
            }
            files.add(appFile(i.app()));
        }
        return files;
    }

    /** Deletes {@code files} (as returned by {@link #filesOf}); a file already gone is fine. */
    public void delete(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + f + ": " + e.getMessage(), e);
            }
        }
    }

    /** Thrown when no installed Quadlet file has the given name. */
    public static final class NoSuchUnitException extends RuntimeException {
        NoSuchUnitException(String message) {
            super(message);
        }
    }

    private static NoSuchUnitException notFound(String name) {
        return new NoSuchUnitException("no Quadlet file named " + name + " is installed");
    }

    private static String unitName(Path file, UnitType type) {
        String name = file.getFileName().toString();
        try {
            return UnitNames.serviceName(UnitFile.read(file), type) + ".service";
        } catch (IOException | RuntimeException e) {
            return UnitNames.serviceName(new UnitFile(name, file), type) + ".service";
        }
    }

    private Path appFile(String app) {
        return installDir.resolve("." + app + ".app");
    }

    private List<String> readApp(String app) {
        try {
            return Files.readAllLines(appFile(app), StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** File name → application, from the {@code .NAME.app} files of the install directory. */
    private Map<String, String> apps() {
        Map<String, String> apps = new LinkedHashMap<>();
        if (!Files.isDirectory(installDir)) {
            return apps;
        }
        try (Stream<Path> s = Files.list(installDir)) {
            for (Path f : s.sorted().toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".app") && n.length() > 5) {
                    String app = n.substring(1, n.length() - 4);
                    readApp(app).forEach(m -> apps.putIfAbsent(m, app));
                }
            }
        } catch (IOException e) {
            // no applications known
        }
        return apps;
    }
}
