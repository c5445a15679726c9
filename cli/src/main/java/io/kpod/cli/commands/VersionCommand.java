package io.kpod.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kpod version} and {@code kpod --version}. */
@Command(name = "version", description = "Show the kpod version")
public final class VersionCommand extends BaseCommand {
    public static final String VERSION = "0.1.0";

    /** Supplies {@code --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kpod version " + VERSION};
        }
    }

    @Override
    public Integer call() {
        out().println("Version:      " + VERSION);
        out().println("Java Version: " + System.getProperty("java.version"));
        out().println("OS/Arch:      linux/" + arch());
        return 0;
    }

    static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("x86_64") || a.equals("amd64") ? "amd64" : a.equals("aarch64") ? "arm64" : a;
    }
}
