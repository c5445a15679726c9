package io.kpod.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.cli.Output;
import io.kpod.engine.Json;
import io.kpod.quadlet.InstalledUnits;
import io.kpod.quadlet.SearchPaths;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kpod quadlet install|list|print|rm}: Quadlet files in the directory the generator reads
 * ({@code /etc/containers/systemd} for root, or the first of {@code QUADLET_UNIT_DIRS}), with
 * {@code systemctl daemon-reload} afterwards when systemd runs the machine.
 */
@Command(name = "quadlet", description = "Install, list, print and remove Quadlet files",
        subcommands = {QuadletCommand.Install.class, QuadletCommand.Ls.class, QuadletCommand.Print.class,
            QuadletCommand.Rm.class})
public final class QuadletCommand extends GroupCommand {

    static boolean rootless() {
        return !"root".equals(System.getProperty("user.name"));
    }

    static InstalledUnits units() {
        Map<String, String> env = System.getenv();
        boolean user = rootless();
        long uid = user ? -1 : 0;
        return new InstalledUnits(InstalledUnits.installDir(user, env), new SearchPaths().unitDirs(user, env, uid));
    }

    /** systemd is PID 1 (as sd_booted(3) checks: {@code /run/systemd/system} exists). */
    static boolean systemdRunning() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    static String systemctl(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("systemctl");
        if (rootless()) {
            argv.add("--user");
        }
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw KpodException.runtime(String.join(" ", argv) + " did not finish in 60s");
            }
            if (p.exitValue() != 0) {
                throw KpodException.runtime(String.join(" ", argv) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw KpodException.runtime("cannot run systemctl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted while running systemctl");
        }
    }

    static void reload(boolean reloadSystemd) {
        if (reloadSystemd && systemdRunning()) {
            systemctl("daemon-reload");
        }
    }

    /** {@code active/running}, {@code inactive/dead}…, or {@code Not loaded} (always so without systemd). */
    static String status(String unitName) {
        if (!systemdRunning()) {
            return "Not loaded";
        }
        try {
            String load = "";
            String active = "";
            String sub = "";
            for (String line : systemctl("show", "--property=LoadState,ActiveState,SubState", unitName).split("\n")) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2) {
                    switch (kv[0]) {
                        case "LoadState" -> load = kv[1];
                        case "ActiveState" -> active = kv[1];
                        case "SubState" -> sub = kv[1];
                        default -> { }
                    }
                }
            }
            return "loaded".equals(load) ? active + "/" + sub : "Not loaded";
        } catch (KpodException e) {
            return "Not loaded";
        }
    }

    static <T> T wrap(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (InstalledUnits.NoSuchUnitException e) {
            throw KpodException.notFound(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw KpodException.invalid(e.getMessage());
        } catch (IllegalStateException e) {
            throw KpodException.conflict(e.getMessage());
        } catch (UncheckedIOException e) {
            throw KpodException.runtime(e.getMessage(), e);
        }
    }

    /** {@code quadlet install PATH [FILE…]}: prints each installed path. */
    @Command(name = "install", description = "Install a Quadlet file or a directory of them (an application)")
    public static final class Install extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "PATH|URL") List<String> paths;
        @Option(names = {"-r", "--replace"}, description = "Overwrite Quadlet files already installed") boolean replace;
        @Option(names = "--reload-systemd", arity = "0..1", fallbackValue = "true",
                description = "Run systemctl daemon-reload afterwards (default true)") boolean reloadSystemd = true;

        @Override
        public Integer call() throws IOException {
            Path downloads = null;
            List<Path> sources = new ArrayList<>();
            try {
                for (String p : paths) {
                    if (p.startsWith("http://") || p.startsWith("https://")) {
                        if (downloads == null) {
                            downloads = Files.createTempDirectory("kpod-quadlet");
                        }
                        sources.add(download(p, downloads));
                    } else {
                        sources.add(Path.of(p));
                    }
                }
                List<Path> written = wrap(() -> units().install(sources, replace));
                written.forEach(p -> out().println(p));
                out().flush();
            } finally {
                if (downloads != null) {
                    try (var s = Files.list(downloads)) {
                        for (Path f : s.toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(downloads);
                }
            }
            reload(reloadSystemd);
            return 0;
        }

        /** Fetches {@code url} into {@code dir} under the last element of its path. */
        private static Path download(String url, Path dir) {
            java.net.URI uri = java.net.URI.create(url);
            String path = uri.getPath() == null ? "" : uri.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.isEmpty() || name.startsWith(".")) {
                throw KpodException.invalid("cannot tell a file name from " + url);
            }
            try {
                return Files.write(dir.resolve(name), io.kpod.engine.Http.get(uri, java.time.Duration.ofSeconds(60)));
            } catch (IOException e) {
                throw KpodException.runtime("downloading " + url + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code quadlet list}: NAME, UNIT NAME, PATH ON DISK, STATUS, APPLICATION. */
    @Command(name = "list", aliases = "ls", description = "List installed Quadlet files")
    public static final class Ls extends BaseCommand {
        @Option(names = "--format") String format;
        @Option(names = {"-f", "--filter"}, description = "name=PATTERN (* and ? wildcards)") List<String> filters = new ArrayList<>();
        @Option(names = {"-n", "--noheading"}) boolean noHeading;

        @Override
        public Integer call() {
            List<String> patterns = new ArrayList<>();
            for (String f : filters) {
                String[] kv = f.split("=", 2);
                if (kv.length != 2 || !kv[0].equals("name")) {
                    throw KpodException.invalid("invalid filter \"" + f + "\": only name=PATTERN is supported");
                }
                patterns.add(kv[1]);
            }
            List<ObjectNode> items = new ArrayList<>();
            for (InstalledUnits.Installed i : units().list()) {
                if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> glob(p, i.name()))) {
                    continue;
                }
                ObjectNode o = Json.MAPPER.createObjectNode();
                o.put("Name", i.name());
                o.put("UnitName", i.unitName());
                o.put("Path", i.path().toString());
                o.put("Status", status(i.unitName()));
                o.put("App", i.app());
                items.add(o);
            }
            if ("json".equals(format)) {
                Output.json(out(), items);
                return 0;
            }
            String table = (noHeading ? "" : "table ") + "{{.Name}}\t{{.UnitName}}\t{{.Path}}\t{{.Status}}\t{{.App}}";
            Output.template(out(), format == null ? table : format, items, Map.of("Name", "NAME", "UnitName",
                    "UNIT NAME", "Path", "PATH ON DISK", "Status", "STATUS", "App", "APPLICATION"), format != null);
            return 0;
        }

        static boolean glob(String pattern, String name) {
            StringBuilder re = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                re.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
            }
            return name.matches(re.toString());
        }
    }

    /** {@code quadlet print NAME}: the file as installed. */
    @Command(name = "print", description = "Print the contents of an installed Quadlet file")
    public static final class Print extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            String text = wrap(() -> units().print(name));
            out().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
            out().flush();
            return 0;
        }
    }

    /** {@code quadlet rm NAME…}: removes files (a whole application for one of its files). */
    @Command(name = "rm", aliases = "remove", description = "Remove installed Quadlet files")
    public static final class Rm extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "NAME") List<String> names = new ArrayList<>();
        @Option(names = {"-a", "--all"}, description = "Remove every Quadlet file in the install directory") boolean all;
        @Option(names = {"-f", "--force"}, description = "Stop running services first") boolean force;
        @Option(names = {"-i", "--ignore"}, description = "No error for names that are not installed") boolean ignore;
        @Option(names = "--reload-systemd", arity = "0..1", fallbackValue = "true",
                description = "Run systemctl daemon-reload afterwards (default true)") boolean reloadSystemd = true;

        @Override
        public Integer call() {
            InstalledUnits units = units();
            if (all == !names.isEmpty()) {
                throw KpodException.invalid(all ? "--all and names cannot be combined" : "a Quadlet name or --all is required");
            }
            List<String> targets = names;
            if (all) {
                targets = units.list().stream().filter(i -> i.path().getParent().equals(units.installDir()))
                        .map(InstalledUnits.Installed::name).toList();
            }
            int code = 0;
            boolean removed = false;
            Set<String> done = new LinkedHashSet<>();
            for (String name : targets) {
                if (done.contains(name)) {
                    continue;
                }
                try {
                    var unit = units.find(name);
                    if (unit.isEmpty()) {
                        if (ignore) {
                            continue;
                        }
                        throw KpodException.notFound("no Quadlet file named " + name + " is installed");
                    }
                    List<Path> files = wrap(() -> units.filesOf(name));
                    stopIfRunning(units, files);
                    units.delete(files);
                    files.forEach(f -> done.add(f.getFileName().toString()));
                    out().println(name);
                    out().flush();
                    removed = true;
                } catch (KpodException | UncheckedIOException e) {
                    err().println("Error: " + e.getMessage());
                    err().flush();
                    code = 125;
                }
            }
            if (removed) {
                reload(reloadSystemd);
            }
            return code;
        }

        /** A running service blocks removal unless {@code --force}, which stops it. */
        private void stopIfRunning(InstalledUnits units, List<Path> files) {
            if (!systemdRunning()) {
                return;
            }
            for (InstalledUnits.Installed i : units.list()) {
                if (!files.contains(i.path())) {
                    continue;
                }
                String st = status(i.unitName());
                if (st.startsWith("active/") || st.startsWith("activating/") || st.startsWith("reloading/")) {
                    if (!force) {
                        throw KpodException.conflict(i.name() + " is running (" + i.unitName()
                                + "): stop it first or use --force");
                    }
                    systemctl("stop", i.unitName());
                }
            }
        }
    }
}
