package io.kpod.cli;

import io.kpod.engine.EnginePaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Podman's global flags. They are inherited by every subcommand, and repeated in the exit
 * command conmon calls back, so that the callback sees the same roots as the caller.
 */
public final class GlobalOptions {
    @Option(names = "--root", scope = ScopeType.INHERIT, description = "Path to the graph root (default /var/lib/kpod)")
    public Path root;

    @Option(names = "--runroot", scope = ScopeType.INHERIT, description = "Path to the run root (default /run/kpod)")
    public Path runRoot;

    @Option(names = "--network-config-dir", scope = ScopeType.INHERIT,
            description = "Path to the network definitions (default /etc/kpod/networks)")
    public Path networkConfigDir;

    @Option(names = "--runtime", scope = ScopeType.INHERIT, description = "OCI runtime: a name (runc, crun) or a path")
    public String runtime;

    @Option(names = "--conmon", scope = ScopeType.INHERIT, description = "Path of the conmon binary")
    public String conmon;

    @Option(names = "--log-level", scope = ScopeType.INHERIT, description = "debug, info, warn, error")
    public String logLevel = "warn";

    @Option(names = "--cgroup-manager", scope = ScopeType.INHERIT, hidden = true,
            description = "Accepted for Podman compatibility: kpod manages cgroupfs paths itself")
    public String cgroupManager;

    @Option(names = "--module", scope = ScopeType.INHERIT,
            description = "Load this containers.conf module (a path, or a name in the containers.conf.modules dirs) last")
    public List<String> modules = new ArrayList<>();

    public EnginePaths paths() {
        EnginePaths d = EnginePaths.defaults();
        return new EnginePaths(root != null ? root : d.graphRoot(), runRoot != null ? runRoot : d.runRoot(),
                networkConfigDir != null ? networkConfigDir : d.networkConfigDir());
    }

    /** The global flags as they must be repeated for a callback into kpod. */
    public List<String> asArgs() {
        EnginePaths p = paths();
        List<String> a = new ArrayList<>(List.of("--root", p.graphRoot().toString(), "--runroot", p.runRoot().toString(),
                "--network-config-dir", p.networkConfigDir().toString()));
        if (runtime != null) {
            a.add("--runtime");
            a.add(runtime);
        }
        if (conmon != null) {
            a.add("--conmon");
            a.add(conmon);
        }
        for (String m : modules) {
            a.add("--module");
            a.add(m);
        }
        return a;
    }
}
