package io.kpod.engine.image.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * registries.conf in its v2 TOML form, as containers/image reads it: the search list for short
 * names, {@code [[registry]]} entries (prefix, location, insecure, blocked, mirrors),
 * {@code short-name-mode} and {@code [aliases]}. The file is {@code /etc/containers/registries.conf}
 * plus its {@code registries.conf.d/*.conf} drop-ins, or only {@code CONTAINERS_REGISTRIES_CONF}.
 */
public record RegistriesConf(List<String> searchRegistries, List<Registry> registries, String shortNameMode,
                             Map<String, String> aliases) {
    public static final Path DEFAULT = Path.of("/etc/containers/registries.conf");
    public static final RegistriesConf EMPTY = new RegistriesConf(List.of(), List.of(), "enforcing", Map.of());
    private static final TomlMapper TOML = new TomlMapper();

    /** A pull-only mirror of a registry. */
    public record Mirror(String location, boolean insecure) {
    }

    /** One {@code [[registry]]} table; {@code prefix} defaults to {@code location}. */
    public record Registry(String prefix, String location, boolean insecure, boolean blocked, List<Mirror> mirrors) {
        public Registry {
            mirrors = List.copyOf(mirrors);
        }

        /** Whether this entry applies to {@code name} ({@code host[:port]/repo…}); wildcard prefixes match sub-domains. */
        boolean matches(String name) {
            if (prefix.startsWith("*.")) {
                String host = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
                return host.endsWith(prefix.substring(1));
            }
            return name.equals(prefix) || name.startsWith(prefix + "/") || name.startsWith(prefix + ":")
                    || name.startsWith(prefix + "@");
        }

        /** {@code name} with this entry's prefix replaced by {@code newLocation}. */
        String rewrite(String name, String newLocation) {
            if (prefix.startsWith("*.") || newLocation.isEmpty()) {
                return name;
            }
            return newLocation + name.substring(prefix.length());
        }
    }

    public RegistriesConf {
        searchRegistries = List.copyOf(searchRegistries);
        registries = List.copyOf(registries);
        aliases = Map.copyOf(aliases);
    }

    /** What {@link #loadInBackground} started, if it was called. */
    private static volatile java.util.concurrent.CompletableFuture<RegistriesConf> early;

    /**
     * Starts {@link #load} on a daemon thread; {@link #loadOnce} then takes its result. A pull
     * calls this first thing, so the TOML parser's set-up (~70 ms) overlaps the JVM's start-up.
     */
    public static void loadInBackground() {
        early = java.util.concurrent.CompletableFuture.supplyAsync(RegistriesConf::load, r -> {
            Thread t = new Thread(r, "kpod-registries-conf");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The result of {@link #loadInBackground} when it was started, else {@link #load}. */
    public static RegistriesConf loadOnce() {
        java.util.concurrent.CompletableFuture<RegistriesConf> f = early;
        if (f == null) {
            return load();
        }
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    /** The configuration the environment selects. */
    public static RegistriesConf load() {
        String only = System.getenv("CONTAINERS_REGISTRIES_CONF");
        if (only != null && !only.isEmpty()) {
            return loadFiles(List.of(Path.of(only)));
        }
        List<Path> files = new ArrayList<>();
        files.add(DEFAULT);
        Path dropIns = DEFAULT.resolveSibling("registries.conf.d");
        if (Files.isDirectory(dropIns)) {
            try (Stream<Path> s = Files.list(dropIns)) {
                s.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw KpodException.invalid("cannot list " + dropIns + ": " + e.getMessage());
            }
        }
        return loadFiles(files);
    }

    /** Later files override the search list and mode, and add or replace registries by prefix and aliases. */
    static RegistriesConf loadFiles(List<Path> files) {
        RegistriesConf conf = EMPTY;
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                throw KpodException.invalid("cannot read " + f + ": " + e.getMessage());
            }
            conf = conf.overlay(parse(text, f.toString()));
        }
        return conf;
    }

    private RegistriesConf overlay(RegistriesConf later) {
        Map<String, Registry> byPrefix = new LinkedHashMap<>();
        registries.forEach(r -> byPrefix.put(r.prefix(), r));
        later.registries.forEach(r -> byPrefix.put(r.prefix(), r));
        Map<String, String> al = new LinkedHashMap<>(aliases);
        al.putAll(later.aliases);
        return new RegistriesConf(later.searchRegistries.isEmpty() ? searchRegistries : later.searchRegistries,
                List.copyOf(byPrefix.values()), later.shortNameMode.isEmpty() ? shortNameMode : later.shortNameMode, al);
    }

    /** Parses one file; {@code source} names it in errors. A v1 file ({@code [registries.search]}) is refused. */
    public static RegistriesConf parse(String text, String source) {
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() != null ? " at line " + e.getLocation().getLineNr() : "";
            throw KpodException.invalid(source + ": invalid TOML" + where + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode()) {
            return new RegistriesConf(List.of(), List.of(), "", Map.of());
        }
        if (root.has("registries")) {
            throw KpodException.invalid(source + ": the v1 format ([registries.search]) is not supported; "
                    + "use unqualified-search-registries and [[registry]] tables");
        }
        List<String> search = new ArrayList<>();
        root.path("unqualified-search-registries").forEach(n -> search.add(n.asText()));
        List<Registry> regs = new ArrayList<>();
        for (JsonNode r : root.path("registry")) {
            String location = r.path("location").asText("");
            String prefix = r.path("prefix").asText(location);
            if (prefix.isEmpty()) {
                throw KpodException.invalid(source + ": a [[registry]] needs a location or a prefix");
            }
            if (location.isEmpty() && !prefix.startsWith("*.")) {
                location = prefix;
            }
            List<Mirror> mirrors = new ArrayList<>();
            for (JsonNode m : r.path("mirror")) {
                mirrors.add(new Mirror(m.path("location").asText(), m.path("insecure").asBoolean(false)));
            }
            regs.add(new Registry(strip(prefix), strip(location), r.path("insecure").asBoolean(false),
                    r.path("blocked").asBoolean(false), mirrors));
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        root.path("aliases").fields().forEachRemaining(e -> aliases.put(e.getKey(), e.getValue().asText()));
        return new RegistriesConf(search, regs, root.path("short-name-mode").asText("").toLowerCase(Locale.ROOT), aliases);
    }

    private static String strip(String s) {
        return s.startsWith("docker://") ? s.substring("docker://".length()) : s;
    }

    /** The entry with the longest prefix that matches {@code name} ({@code host/repo:tag}). */
    public Optional<Registry> find(String name) {
        Registry best = null;
        for (Registry r : registries) {
            if (r.matches(name) && (best == null || r.prefix().length() > best.prefix().length())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Where to pull {@code name} (a fully qualified {@code host/repo}, no tag) from, in order:
     * the mirrors, then the registry itself. Throws when the registry is blocked.
     */
    public List<Endpoint> pullEndpoints(String name) {
        Optional<Registry> r = find(name);
        if (r.isEmpty()) {
            return List.of(Endpoint.of(name, false));
        }
        Registry reg = r.get();
        if (reg.blocked()) {
            throw KpodException.invalid("registry " + hostOf(name) + " is blocked in registries.conf");
        }
        List<Endpoint> out = new ArrayList<>();
        for (Mirror m : reg.mirrors()) {
            out.add(Endpoint.of(reg.rewrite(name, m.location()), m.insecure()));
        }
        out.add(Endpoint.of(reg.rewrite(name, reg.location()), reg.insecure()));
        return out;
    }

    /** Where to push {@code name}: the registry itself (never a mirror). */
    public Endpoint pushEndpoint(String name) {
        Optional<Registry> r = find(name);
        if (r.isEmpty()) {
            return Endpoint.of(name, false);
        }
        if (r.get().blocked()) {
            throw KpodException.invalid("registry " + hostOf(name) + " is blocked in registries.conf");
        }
        return Endpoint.of(r.get().rewrite(name, r.get().location()), r.get().insecure());
    }

    /** Whether a registry host is marked insecure. */
    public boolean insecure(String host) {
        return find(host).map(Registry::insecure).orElse(false);
    }

    static String hostOf(String name) {
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }

    /** One place to pull from: the registry host and the repository path there. */
    public record Endpoint(String host, String repository, boolean insecure) {
        static Endpoint of(String name, boolean insecure) {
            int slash = name.indexOf('/');
            if (slash < 0) {
                throw KpodException.invalid("\"" + name + "\" names no repository");
            }
            return new Endpoint(name.substring(0, slash), name.substring(slash + 1), insecure);
        }

        @Override
        public String toString() {
            return host + "/" + repository;
        }
    }
}
