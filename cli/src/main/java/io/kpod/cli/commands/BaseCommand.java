package io.kpod.cli.commands;

import io.kpod.cli.Kpod;
import io.kpod.cli.Main;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every kpod subcommand has: the engine wiring and the command's own output streams. */
public abstract class BaseCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    protected Kpod kpod() {
        return ((Main) spec.root().userObject()).kpod();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
