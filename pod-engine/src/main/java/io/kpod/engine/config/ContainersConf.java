package io.kpod.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.kpod.spec.KpodException;
import io.kpod.spec.ResourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads containers.conf the way Podman does: the packaged file, then the admin's, each
 * followed by its {@code containers.conf.d/*.conf} drop-ins in name order, then kpod's own
 * {@code /etc/kpod/containers.conf}; a later file overrides the keys it sets. The
 * {@code CONTAINERS_CONF} variable replaces that list with one file and
 * {@code CONTAINERS_CONF_OVERRIDE} adds one at the end, as in Podman.
 */
public final class ContainersConf {
    public static final Path PACKAGED = Path.of("/usr/share/containers/containers.conf");
    public static final Path ADMIN = Path.of("/etc/containers/containers.conf");
    public static final Path KPOD = Path.of("/etc/kpod/containers.conf");

    private static final TomlMapper TOML = new TomlMapper();

    private ContainersConf() {
    }

    /** Where {@code --module NAME} is looked up when NAME is not an absolute path, in order. */
    public static final List<Path> MODULE_DIRS = List.of(Path.of("/etc/kpod/containers.conf.modules"),
            Path.of("/etc/containers/containers.conf.modules"), Path.of("/usr/share/containers/containers.conf.modules"));

    /**
     * The file of a {@code --module}: an absolute path, or a name (may contain a sub directory) in
     * the first of {@link #MODULE_DIRS} that has it. Modules are read after every other file.
     */
    public static Path module(String name) {
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            return mustExist(p, "--module");
        }
        for (Path dir : MODULE_DIRS) {
            Path f = dir.resolve(p).normalize();
            if (f.startsWith(dir) && Files.isRegularFile(f)) {
                return f;
            }
        }
        throw io.kpod.spec.KpodException.invalid("could not resolve module \"" + name + "\": not found in "
                + MODULE_DIRS);
    }

    /** Loads the configuration for this process's environment. */
    public static EngineConfig load() {
        return load(System.getenv());
    }

    /** Loads the configuration the given environment selects. */
    public static EngineConfig load(Map<String, String> env) {
        return load(files(env));
    }

    /** The files to read, in order; only existing ones, except that named variables must exist. */
    public static List<Path> files(Map<String, String> env) {
        List<Path> out = new ArrayList<>();
        String only = env.get("CONTAINERS_CONF");
        if (only != null && !only.isEmpty()) {
            out.add(mustExist(Path.of(only), "CONTAINERS_CONF"));
        } else {
            for (Path main : List.of(PACKAGED, ADMIN, KPOD)) {
                if (Files.isRegularFile(main)) {
                    out.add(main);
                }
                out.addAll(dropIns(main.resolveSibling("containers.conf.d")));
            }
        }
        String extra = env.get("CONTAINERS_CONF_OVERRIDE");
        if (extra != null && !extra.isEmpty()) {
            out.add(mustExist(Path.of(extra), "CONTAINERS_CONF_OVERRIDE"));
        }
        return out;
    }

    /** Reads {@code files} in order over Podman's defaults. */
    public static EngineConfig load(List<Path> files) {
        ObjectNode merged = TOML.createObjectNode();
        List<Path> read = new ArrayList<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw KpodException.internal("cannot read " + f + ": " + e.getMessage(), e);
            }
            ObjectNode tree = parseToml(text, f.toString());
            // typed once alone, so a wrong value is reported with the file that holds it
            ConfValues.toConfig(tree, List.of(), f.toString());
            merge(merged, tree);
            read.add(f);
        }
        return ConfValues.toConfig(merged, read, "containers.conf");
    }

    /** Parses one file's text; {@code source} names it in errors. */
    public static EngineConfig parse(String toml, String source) {
        return ConfValues.toConfig(parseToml(toml, source), List.of(), source);
    }

    private static ObjectNode parseToml(String text, String source) {
        try {
            JsonNode tree = TOML.readTree(text);
            return tree instanceof ObjectNode o ? o : TOML.createObjectNode();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc != null && loc.getLineNr() > 0 ? " at line " + loc.getLineNr() : "";
            throw KpodException.invalid(source + ": invalid TOML" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw KpodException.invalid(source + ": invalid TOML: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }

    /** Later tables merge key by key into earlier ones; any other value replaces. */
    static void merge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode no) {
                merge(eo, no);
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static List<Path> dropIns(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw KpodException.internal("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path mustExist(Path p, String variable) {
        if (!Files.isRegularFile(p)) {
            throw KpodException.invalid(variable + " names " + p + ", which does not exist");
        }
        return p;
    }

    /** Typed access to the merged tree, with Podman's defaults for absent keys. */
    private static final class ConfValues {
        private final JsonNode root;
        private final String source;

        private ConfValues(JsonNode root, String source) {
            this.root = root;
            this.source = source;
        }

        static EngineConfig toConfig(JsonNode root, List<Path> sources, String source) {
            ConfValues v = new ConfValues(root, source);
            EngineConfig d = EngineConfig.defaults();
            Map<String, List<Path>> runtimes = new LinkedHashMap<>(d.runtimePaths());
            JsonNode table = root.path("engine").path("runtimes");
            if (!table.isMissingNode() && !table.isObject()) {
                throw v.wrong("[engine.runtimes]", "a table of name = [paths]");
            }
            table.fields().forEachRemaining(e -> runtimes.put(e.getKey(), v.paths("engine.runtimes", e.getKey(), e.getValue())));
            List<ResourceSpec.Ulimit> ulimits = new ArrayList<>();
            for (String u : v.strings("containers", "default_ulimits", List.of())) {
                ulimits.add(Rlimits.parse(u));
            }
            Map<String, String> sysctls = new LinkedHashMap<>();
            for (String s : v.strings("containers", "default_sysctls", null)) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw v.wrong("[containers] default_sysctls", "entries of the form name=value, not \"" + s + "\"");
                }
                sysctls.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
            if (root.path("containers").path("default_sysctls").isMissingNode()) {
                sysctls.putAll(d.defaultSysctls());
            }
            JsonNode conmon = root.path("engine").path("conmon_path");
            String shm = v.string("containers", "shm_size", null);
            return new EngineConfig(
                    v.string("engine", "runtime", d.runtime()),
                    runtimes,
                    conmon.isMissingNode() ? d.conmonPaths() : v.paths("engine", "conmon_path", conmon),
                    (int) v.integer("engine", "stop_timeout", d.stopTimeoutSeconds()),
                    ulimits,
                    v.strings("containers", "default_capabilities", d.defaultCapabilities()).stream()
                            .map(SeccompProfiles::normalizeCap).toList(),
                    v.string("containers", "log_driver", d.logDriver()),
                    v.integer("containers", "pids_limit", d.pidsLimit()),
                    sysctls,
                    v.strings("containers", "env", d.env()),
                    Path.of(v.string("containers", "init_path", d.initPath().toString())),
                    shm == null ? d.shmSizeBytes() : v.size("[containers] shm_size", shm),
                    v.string("containers", "seccomp_profile", d.seccompProfile()),
                    v.strings("containers", "dns_servers", d.dnsServers()),
                    v.strings("containers", "dns_searches", d.dnsSearches()),
                    v.strings("containers", "dns_options", d.dnsOptions()),
                    Path.of(v.string("network", "network_config_dir", d.networkConfigDir().toString())),
                    v.string("network", "default_network", d.defaultNetwork()),
                    v.string("network", "default_subnet", d.defaultSubnet()),
                    sources);
        }

        private KpodException wrong(String key, String expected) {
            return KpodException.invalid(source + ": " + key + " must be " + expected);
        }

        private String string(String table, String key, String dflt) {
            JsonNode n = root.path(table).path(key);
            if (n.isMissingNode()) {
                return dflt;
            }
            if (!n.isTextual()) {
                throw wrong("[" + table + "] " + key, "a string");
            }
            return n.asText();
        }

        private long integer(String table, String key, long dflt) {
            JsonNode n = root.path(table).path(key);
            if (n.isMissingNode()) {
                return dflt;
            }
            if (!n.isIntegralNumber() || !n.canConvertToLong()) {
                throw wrong("[" + table + "] " + key, "an integer");
            }
            return n.asLong();
        }

        private List<String> strings(String table, String key, List<String> dflt) {
            JsonNode n = root.path(table).path(key);
            if (n.isMissingNode()) {
                return dflt == null ? List.of() : dflt;
            }
            if (!n.isArray()) {
                throw wrong("[" + table + "] " + key, "an array of strings");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode item : n) {
                if (!item.isTextual()) {
                    throw wrong("[" + table + "] " + key, "an array of strings");
                }
                out.add(item.asText());
            }
            return out;
        }

        private List<Path> paths(String table, String key, JsonNode n) {
            if (!n.isArray()) {
                throw wrong("[" + table + "] " + key, "an array of paths");
            }
            List<Path> out = new ArrayList<>();
            for (JsonNode item : n) {
                if (!item.isTextual() || !item.asText().startsWith("/")) {
                    throw wrong("[" + table + "] " + key, "an array of absolute paths");
                }
                out.add(Path.of(item.asText()));
            }
            return out;
        }

        /** Podman's sizes: a number with an optional b, k, m or g suffix, in powers of 1024. */
        private long size(String key, String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("b")) {
                v = v.substring(0, v.length() - 1);
            }
            long unit = 1;
            if (!v.isEmpty()) {
                switch (v.charAt(v.length() - 1)) {
                    case 'k': unit = 1L << 10; break;
                    case 'm': unit = 1L << 20; break;
                    case 'g': unit = 1L << 30; break;
                    case 't': unit = 1L << 40; break;
                    default: break;
                }
            }
            String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
            try {
                long n = Long.parseLong(digits);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return Math.multiplyExact(n, unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw wrong(key, "a size such as 65536k or 64m, not \"" + value + "\"");
            }
        }
    }
}
