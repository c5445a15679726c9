package io.kpod.cli;

import io.kpod.cli.commands.CommitCommand;
import io.kpod.cli.commands.ContainerCommand;
import io.kpod.cli.commands.CreateCommand;
import io.kpod.cli.commands.ExecCommand;
import io.kpod.cli.commands.HealthcheckCommand;
import io.kpod.cli.commands.ImageCommand;
import io.kpod.cli.commands.ImagesCommand;
import io.kpod.cli.commands.ImportCommand;
import io.kpod.cli.commands.InfoCommand;
import io.kpod.cli.commands.InspectCommand;
import io.kpod.cli.commands.KillCommand;
import io.kpod.cli.commands.GenerateCommand;
import io.kpod.cli.commands.KubeCommand;
import io.kpod.cli.commands.PlayCommand;
import io.kpod.cli.commands.LoadCommand;
import io.kpod.cli.commands.LoginCommand;
import io.kpod.cli.commands.LogoutCommand;
import io.kpod.cli.commands.LogsCommand;
import io.kpod.cli.commands.NetworkCommand;
import io.kpod.cli.commands.PodCommand;
import io.kpod.cli.commands.PsCommand;
import io.kpod.cli.commands.PullCommand;
import io.kpod.cli.commands.PushCommand;
import io.kpod.cli.commands.QuadletCommand;
import io.kpod.cli.commands.RestartCommand;
import io.kpod.cli.commands.RmCommand;
import io.kpod.cli.commands.RmiCommand;
import io.kpod.cli.commands.RunCommand;
import io.kpod.cli.commands.SaveCommand;
import io.kpod.cli.commands.SecretCommand;
import io.kpod.cli.commands.StartCommand;
import io.kpod.cli.commands.StopCommand;
import io.kpod.cli.commands.SystemCommand;
import io.kpod.cli.commands.TagCommand;
import io.kpod.cli.commands.VersionCommand;
import io.kpod.cli.commands.VolumeCommand;
import io.kpod.cli.commands.PortCommand;
import io.kpod.cli.commands.WaitCommand;
import io.kpod.spec.KpodException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code kpod} command: global flags, subcommands, and the one place errors become exit codes. */
@Command(name = "kpod", mixinStandardHelpOptions = false, versionProvider = VersionCommand.Provider.class,
        description = "Run Kubernetes YAML and containers on one host, without a daemon.")
public final class Main implements Runnable {
    /** Every subcommand, by the name (or alias) that selects it. */
    private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();
    /** Global flags that take a value in the next word. */
    private static final Set<String> VALUED = Set.of("--root", "--runroot", "--network-config-dir", "--runtime",
            "--conmon", "--log-level", "--cgroup-manager");

    static {
        for (Class<?> c : List.of(CreateCommand.class, RunCommand.class, StartCommand.class, StopCommand.class,
                KillCommand.class, RestartCommand.class, RmCommand.class, PsCommand.class, LogsCommand.class,
                ExecCommand.class, InspectCommand.class, WaitCommand.class, PortCommand.class, ContainerCommand.class,
                ImagesCommand.class, ImportCommand.class, LoadCommand.class, SaveCommand.class, CommitCommand.class,
                RmiCommand.class, TagCommand.class, ImageCommand.class, PullCommand.class, PushCommand.class,
                LoginCommand.class, LogoutCommand.class,
                VolumeCommand.class, NetworkCommand.class, SecretCommand.class, InfoCommand.class, SystemCommand.class,
                HealthcheckCommand.class, PodCommand.class, KubeCommand.class, PlayCommand.class, GenerateCommand.class,
                QuadletCommand.class, VersionCommand.class)) {
            Command a = c.getAnnotation(Command.class);
            COMMANDS.put(a.name(), c);
            for (String alias : a.aliases()) {
                COMMANDS.putIfAbsent(alias, c);
            }
        }
    }
    @Mixin
    GlobalOptions global;

    @CommandLine.Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version")
    boolean version;

    @CommandLine.Option(names = "--help", usageHelp = true, description = "Show help", scope = CommandLine.ScopeType.INHERIT)
    boolean help;

    private Kpod kpod;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The engine wiring for this process, built on first use. */
    public synchronized Kpod kpod() {
        if (kpod == null) {
            kpod = new Kpod(global);
        }
        return kpod;
    }

    /**
     * The command line for {@code args}. Building picocli's model of every command costs
     * more start-up than most commands' work, so only the selected command is registered;
     * without one (help, a typo) all of them are, for the usage text and the error.
     */
    public static CommandLine commandLine(Main main, String... args) {
        CommandLine cl = new CommandLine(main);
        Class<?> selected = COMMANDS.get(commandWord(args));
        // `kpod --version` needs no subcommand; `kpod`, `kpod --help` list them all
        boolean versionOnly = selected == null && commandWord(args) == null
                && java.util.Arrays.stream(args).anyMatch(a -> a.equals("--version") || a.equals("-v"));
        for (Class<?> c : selected != null ? List.<Class<?>>of(selected)
                : versionOnly ? List.<Class<?>>of() : new LinkedHashSet<>(COMMANDS.values())) {
            cl.addSubcommand(c);
        }
        stopAtCommand(cl);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof KpodException ke) {
                err.println("Error: " + ke.getMessage());
                err.flush();
                return ExitCodes.of(ke);
            }
            if (ex instanceof ExitException ee) {
                return ee.code();
            }
            err.println("Error: " + ex);
            if ("debug".equals(main.global.logLevel)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.ENGINE;
        });
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("Error: " + ex.getMessage());
            err.flush();
            return ExitCodes.ENGINE;
        });
        return cl;
    }

    /** After the image (run, create) or the container (exec), every word belongs to the container's command. */
    private static void stopAtCommand(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            String n = sub.getCommandName();
            if (n.equals("run") || n.equals("create") || n.equals("exec")) {
                sub.setStopAtPositional(true);
            }
            stopAtCommand(sub);
        }
    }

    /**
     * For {@code make cds} only: runs several commands in this one JVM, so that the class-data
     * sharing archive written at exit holds the classes of all of them (the engine's, the YAML
     * stack's, the formatters'). Each argument is one command line, words separated by spaces;
     * {@code {registry}} in it names a registry in this JVM serving the image {@code kpod/cds:1}.
     * Output goes nowhere; failures are expected (the training manifest names a missing image).
     */
    static int train(String[] commandLines) {
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.OutputStream.nullOutputStream());
        try (CdsTrainingRegistry registry = new CdsTrainingRegistry()) {
            for (String line : commandLines) {
                trainOne(line.replace("{registry}", registry.address()).trim().split(" +"), sink);
            }
        } catch (java.io.IOException e) {
            System.err.println("kpod: no training registry: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static void trainOne(String[] args, java.io.PrintWriter sink) {
        Main main = new Main();
        try {
            CommandLine cl = commandLine(main, args);
            cl.setOut(sink);
            cl.setErr(sink);
            cl.execute(args);
        } catch (RuntimeException e) {
            // training only loads classes
        } finally {
            if (main.kpod != null) {
                main.kpod.close();
            }
        }
    }

    /** The first word that is neither a global flag nor its value. */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-")) {
                return a;
            }
            if (VALUED.contains(a)) {
                i++;
            }
        }
        return null;
    }

    /**
     * Points sqlite-jdbc at the native library the build unpacked next to the jars
     * ({@code native/org/sqlite/native/Linux/ARCH}); without it, sqlite-jdbc copies the library
     * to /tmp, compares the copy and runs {@code uname} on every start.
     */
    static void useUnpackedSqlite() {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        try {
            java.security.CodeSource cs = Main.class.getProtectionDomain().getCodeSource();
            if (arch == null || cs == null || !cs.getLocation().getProtocol().equals("file")) {
                return;
            }
            java.nio.file.Path dir = java.nio.file.Path.of(cs.getLocation().toURI()).getParent()
                    .resolve("native/org/sqlite/native/Linux/" + arch);
            if (java.nio.file.Files.isRegularFile(dir.resolve("libsqlitejdbc.so"))) {
                System.setProperty("org.sqlite.lib.path", dir.toString());
                System.setProperty("org.sqlite.lib.name", "libsqlitejdbc.so");
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // sqlite-jdbc then unpacks its own copy
        }
    }

    public static void main(String[] args) {
        useUnpackedSqlite();
        if (args.length > 0 && args[0].equals("__cds-training")) {
            System.exit(train(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        String word = commandWord(args);
        if ("pull".equals(word)) {
            io.kpod.engine.image.registry.RegistriesConf.loadInBackground();
        }
        if ("pull".equals(word) || "load".equals(word)) {
            io.kpod.engine.image.Digests.warmUpInBackground();
        }
        Main main = new Main();
        int code;
        try {
            code = commandLine(main, args).execute(args);
        } finally {
            if (main.kpod != null) {
                main.kpod.close();
            }
        }
        System.out.flush();
        System.exit(code);
    }
}
