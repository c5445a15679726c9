package io.kpod.engine.container;

import io.kpod.engine.oci.OciSpecBuilder;
import io.kpod.spec.KpodException;
import io.kpod.spec.ResourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Container rlimits, clamped to this process's own hard limits: runc cannot raise a limit
 * above the engine's (hard nofile 20000 on our hosts made 30000 fail).
 */
final class HostLimits {
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("core", "RLIMIT_CORE"), Map.entry("cpu", "RLIMIT_CPU"), Map.entry("data", "RLIMIT_DATA"),
            Map.entry("fsize", "RLIMIT_FSIZE"), Map.entry("locks", "RLIMIT_LOCKS"),
            Map.entry("memlock", "RLIMIT_MEMLOCK"), Map.entry("msgqueue", "RLIMIT_MSGQUEUE"),
            Map.entry("nice", "RLIMIT_NICE"), Map.entry("nofile", "RLIMIT_NOFILE"),
            Map.entry("nproc", "RLIMIT_NPROC"), Map.entry("rss", "RLIMIT_RSS"), Map.entry("rtprio", "RLIMIT_RTPRIO"),
            Map.entry("rttime", "RLIMIT_RTTIME"), Map.entry("sigpending", "RLIMIT_SIGPENDING"),
            Map.entry("stack", "RLIMIT_STACK"), Map.entry("as", "RLIMIT_AS"));
    private static final Map<String, String> PROC_ROWS = Map.of("RLIMIT_NOFILE", "Max open files",
            "RLIMIT_NPROC", "Max processes", "RLIMIT_CORE", "Max core file size", "RLIMIT_MEMLOCK",
            "Max locked memory", "RLIMIT_STACK", "Max stack size", "RLIMIT_SIGPENDING", "Max pending signals",
            "RLIMIT_MSGQUEUE", "Max msgqueue size", "RLIMIT_NICE", "Max nice priority", "RLIMIT_RTPRIO",
            "Max realtime priority");

    private HostLimits() {
    }

    /** The OCI rlimit type for a {@code --ulimit} name such as nofile. */
    static String ociName(String name) {
        String t = NAMES.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw KpodException.invalid("invalid ulimit type: " + name);
        }
        return t;
    }

    static List<OciSpecBuilder.Rlimit> rlimits(List<OciSpecBuilder.Rlimit> defaults, List<ResourceSpec.Ulimit> user) {
        Map<String, OciSpecBuilder.Rlimit> out = new LinkedHashMap<>();
        for (OciSpecBuilder.Rlimit r : defaults) {
            out.put(r.type(), clamp(r));
        }
        for (ResourceSpec.Ulimit u : user) {
            String type = ociName(u.name());
            long soft = u.soft() < 0 ? Long.MAX_VALUE : u.soft();
            long hard = u.hard() < 0 ? Long.MAX_VALUE : u.hard();
            out.put(type, clamp(new OciSpecBuilder.Rlimit(type, soft, hard)));
        }
        return List.copyOf(out.values());
    }

    private static OciSpecBuilder.Rlimit clamp(OciSpecBuilder.Rlimit r) {
        long max = hostHard(r.type());
        long hard = Math.min(r.hard(), max);
        long soft = Math.min(r.soft(), hard);
        return new OciSpecBuilder.Rlimit(r.type(), soft, hard);
    }

    /** This process's hard limit for a type; unlimited when /proc does not say. */
    static long hostHard(String type) {
        String row = PROC_ROWS.get(type);
        if (row == null) {
            return Long.MAX_VALUE;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(row)) {
                    String[] f = line.substring(row.length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
        return Long.MAX_VALUE;
    }
}
