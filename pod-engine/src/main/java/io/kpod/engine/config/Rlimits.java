package io.kpod.engine.config;

import io.kpod.spec.KpodException;
import io.kpod.spec.ResourceSpec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Container rlimits: {@code --ulimit} parsing, containers.conf {@code default_ulimits},
 * Podman's rootful defaults for nofile and nproc, all clamped to the engine's own hard
 * limits, because runc cannot give a container more than its parent has (hard nofile 20000
 * on our hosts made 30000 fail with "operation not permitted").
 */
public final class Rlimits {
    /** In limits and ulimits, -1 stands for RLIM_INFINITY. */
    public static final long UNLIMITED = -1;
    /** Podman's rootful default for nofile and nproc when nothing else sets them. */
    public static final long PODMAN_DEFAULT = 1048576;

    private static final Map<String, String> TYPES = new LinkedHashMap<>();
    /** Rows of /proc/self/limits by OCI type. */
    private static final Map<String, String> PROC_ROWS = new LinkedHashMap<>();
    private static final Pattern PROC_LINE = Pattern.compile("^(Max [a-z ]+?)\\s{2,}(\\S+)\\s+(\\S+)");

    static {
        String[][] table = {
            {"cpu", "Max cpu time"}, {"fsize", "Max file size"}, {"data", "Max data size"},
            {"stack", "Max stack size"}, {"core", "Max core file size"}, {"rss", "Max resident set"},
            {"nproc", "Max processes"}, {"nofile", "Max open files"}, {"memlock", "Max locked memory"},
            {"as", "Max address space"}, {"locks", "Max file locks"}, {"sigpending", "Max pending signals"},
            {"msgqueue", "Max msgqueue size"}, {"nice", "Max nice priority"}, {"rtprio", "Max realtime priority"},
            {"rttime", "Max realtime timeout"}};
        for (String[] row : table) {
            String type = "RLIMIT_" + row[0].toUpperCase(Locale.ROOT);
            TYPES.put(row[0], type);
            PROC_ROWS.put(row[1], type);
        }
    }

    /** One OCI {@code process.rlimits} entry; -1 is RLIM_INFINITY. */
    public record Rlimit(String type, long hard, long soft) {
        /** The value as the OCI JSON needs it (RLIM_INFINITY is 2^64-1). */
        public static BigInteger unsigned(long value) {
            return new BigInteger(Long.toUnsignedString(value));
        }
    }

    /** The engine's own hard limits by OCI type; -1 is unlimited, a missing type is not clamped. */
    public record HostLimits(Map<String, Long> hard) {
        public HostLimits {
            hard = Map.copyOf(hard);
        }

        /** Reads {@code /proc/self/limits}. */
        public static HostLimits ofThisProcess() {
            try {
                return parse(Files.readString(Path.of("/proc/self/limits")));
            } catch (IOException e) {
                throw KpodException.internal("cannot read /proc/self/limits: " + e.getMessage(), e);
            }
        }

        /** Parses the text of a {@code /proc/<pid>/limits} file. */
        public static HostLimits parse(String procLimits) {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String line : procLimits.split("\n")) {
                Matcher m = PROC_LINE.matcher(line);
                if (m.find() && PROC_ROWS.containsKey(m.group(1))) {
                    String h = m.group(3);
                    out.put(PROC_ROWS.get(m.group(1)), h.equals("unlimited") ? UNLIMITED : Long.parseLong(h));
                }
            }
            return new HostLimits(out);
        }
    }

    private Rlimits() {
    }

    /** The OCI type of a ulimit name: nofile is RLIMIT_NOFILE. */
    public static String ociType(String name) {
        String type = TYPES.get(name.trim().toLowerCase(Locale.ROOT));
        if (type == null) {
            throw KpodException.invalid("invalid ulimit type \"" + name + "\": use one of " + String.join(", ", TYPES.keySet()));
        }
        return type;
    }

    /** Parses {@code name=soft[:hard]}; a missing hard equals soft; -1 or unlimited is no limit. */
    public static ResourceSpec.Ulimit parse(String spec) {
        int eq = spec == null ? -1 : spec.indexOf('=');
        if (eq <= 0) {
            throw KpodException.invalid("invalid ulimit \"" + spec + "\": expected name=soft[:hard]");
        }
        String name = spec.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        ociType(name);
        String[] parts = spec.substring(eq + 1).split(":", -1);
        if (parts.length > 2) {
            throw KpodException.invalid("invalid ulimit \"" + spec + "\": too many colons");
        }
        long soft = value(parts[0], spec);
        long hard = parts.length == 2 ? value(parts[1], spec) : soft;
        if (hard != UNLIMITED && (soft == UNLIMITED || soft > hard)) {
            throw KpodException.invalid("invalid ulimit \"" + spec + "\": the soft limit must not exceed the hard limit");
        }
        return new ResourceSpec.Ulimit(name, soft, hard);
    }

    private static long value(String s, String spec) {
        String v = s.trim();
        if (v.equals("-1") || v.equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw KpodException.invalid("invalid ulimit \"" + spec + "\": \"" + v + "\" is not a number, -1 or unlimited");
        }
    }

    /**
     * The container's rlimits: containers.conf defaults, overridden per type by the user's
     * {@code --ulimit}s, nofile and nproc defaulting to Podman's 1048576, each clamped to
     * {@code host}.
     */
    public static List<Rlimit> resolve(List<ResourceSpec.Ulimit> defaults, List<ResourceSpec.Ulimit> user, HostLimits host) {
        Map<String, Rlimit> byType = new LinkedHashMap<>();
        for (List<ResourceSpec.Ulimit> group : List.of(defaults, user)) {
            for (ResourceSpec.Ulimit u : group) {
                String type = ociType(u.name());
                byType.put(type, new Rlimit(type, u.hard(), u.soft()));
            }
        }
        byType.putIfAbsent("RLIMIT_NOFILE", new Rlimit("RLIMIT_NOFILE", PODMAN_DEFAULT, PODMAN_DEFAULT));
        byType.putIfAbsent("RLIMIT_NPROC", new Rlimit("RLIMIT_NPROC", PODMAN_DEFAULT, PODMAN_DEFAULT));
        List<Rlimit> out = new ArrayList<>();
        for (Rlimit r : byType.values()) {
            out.add(clamp(r, host.hard().getOrDefault(r.type(), UNLIMITED)));
        }
        return List.copyOf(out);
    }

    /** Lowers both values to {@code max} where they exceed it. */
    static Rlimit clamp(Rlimit r, long max) {
        return new Rlimit(r.type(), min(r.hard(), max), min(r.soft(), max));
    }

    private static long min(long value, long max) {
        if (max == UNLIMITED) {
            return value;
        }
        return value == UNLIMITED || value > max ? max : value;
    }
}
