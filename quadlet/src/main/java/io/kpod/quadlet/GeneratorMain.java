package io.kpod.quadlet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The systemd generator entry point, with the arguments of Podman's quadlet binary:
 * {@code [-dryrun] [-user] [-no-kmsg-log] [-v] [-version] normal-dir [early-dir] [late-dir]}.
 * Only I/O happens here; the conversion itself is {@link Generator}.
 */
public final class GeneratorMain {
    /** The version printed by {@code -version}. */
    public static final String VERSION = "0.1.0";

    private GeneratorMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err, new SearchPaths()));
    }

    /** Runs the generator and returns its exit status: 0, or 1 when any unit or argument failed. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                          SearchPaths searchPaths) {
        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("quadlet-generator: " + e.getMessage());
            return 1;
        }
        if (opts.version) {
            out.println(VERSION);
            return 0;
        }
        GeneratorLog log = new GeneratorLog(err, opts.noKmsg || opts.dryRun, opts.verbose || opts.dryRun);
        try {
            return generate(opts, env, out, log, searchPaths);
        } finally {
            log.close();
        }
    }

    private static int generate(Options opts, Map<String, String> env, PrintStream out, GeneratorLog log,
                                SearchPaths searchPaths) {
        if (!opts.dryRun && opts.dirs.isEmpty()) {
            log.log("missing output directory argument");
            return 1;
        }
        List<Path> dirs = searchPaths.unitDirs(opts.user, env, currentUid());
        UnitLoader.Loaded loaded = UnitLoader.load(dirs);
        List<String> errors = new ArrayList<>(loaded.errors());
        if (loaded.units().isEmpty()) {
            log.debug("No files parsed from " + dirs);
            errors.forEach(log::log);
            return errors.isEmpty() ? 0 : 1;
        }
        String kpod = env.getOrDefault("PODMAN", "");
        Generator.Result result = new Generator(kpod.isEmpty() ? defaultKpod(env) : kpod, opts.user,
                opts.user ? "kpod-user-generator" : "kpod-system-generator").generate(loaded.units());
        result.warnings().forEach(log::log);
        errors.addAll(result.errors());
        Path outDir = opts.dryRun ? null : Path.of(opts.dirs.get(0));
        for (Generator.GeneratedService service : result.services()) {
            if (outDir == null) {
                out.print("---" + service.fileName() + "---\n" + service.text() + "\n");
                continue;
            }
            try {
                ServiceWriter.write(outDir, service, log);
            } catch (IOException e) {
                errors.add("generating service file " + outDir.resolve(service.fileName()) + ": " + e.getMessage());
            }
        }
        out.flush();
        errors.forEach(log::log);
        return errors.isEmpty() ? 0 : 1;
    }

    /** {@code kpod} on PATH, else /usr/bin/kpod; the bin scripts normally pass PODMAN instead. */
    private static String defaultKpod(Map<String, String> env) {
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kpod"))) {
                return Path.of(dir, "kpod").toString();
            }
        }
        return "/usr/bin/kpod";
    }

    private static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    /** The parsed command line; flags take one or two dashes, as Go's flag package allows. */
    private static final class Options {
        boolean dryRun;
        boolean user;
        boolean noKmsg;
        boolean verbose;
        boolean version;
        final List<String> dirs = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            boolean flags = true;
            for (String arg : args) {
                if (flags && arg.equals("--")) {
                    flags = false;
                    continue;
                }
                if (!flags || !arg.startsWith("-") || arg.equals("-")) {
                    o.dirs.add(arg);
                    flags = false;
                    continue;
                }
                switch (arg.replaceFirst("^--?", "")) {
                    case "dryrun" -> o.dryRun = true;
                    case "user" -> o.user = true;
                    case "no-kmsg-log" -> o.noKmsg = true;
                    case "v" -> o.verbose = true;
                    case "version" -> o.version = true;
                    default -> throw new IllegalArgumentException("flag provided but not defined: " + arg);
                }
            }
            return o;
        }
    }
}
