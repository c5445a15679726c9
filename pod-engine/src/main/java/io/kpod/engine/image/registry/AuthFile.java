package io.kpod.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials in Podman's auth.json format ({@code {"auths":{"host":{"auth":"base64"}}}}).
 * {@code kpod login} writes {@link #defaultPath}: {@code REGISTRY_AUTH_FILE}, else
 * {@code $XDG_RUNTIME_DIR/containers/auth.json}, for root without it {@code /run/containers/0/auth.json}.
 * Lookups read that file, then {@code ~/.config/containers/auth.json} and Docker's
 * {@code config.json}; a file given with {@code --authfile} is the only one read.
 */
public final class AuthFile {
    private final Map<String, String> env;

    public AuthFile(Map<String, String> env) {
        this.env = env;
    }

    public static AuthFile system() {
        return new AuthFile(System.getenv());
    }

    /** Where login writes when no {@code --authfile} is given. */
    public Path defaultPath() {
        String explicit = env.get("REGISTRY_AUTH_FILE");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "containers", "auth.json");
        }
        return Path.of("/run/containers", uid(), "auth.json");
    }

    private static String uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid.toString();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "0";
        }
    }

    /** Every file a lookup reads, in order. */
    public List<Path> searchPath(Optional<Path> authFile) {
        if (authFile.isPresent()) {
            return List.of(authFile.get());
        }
        List<Path> out = new ArrayList<>();
        out.add(defaultPath());
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        String xdgConfig = env.get("XDG_CONFIG_HOME");
        Path config = xdgConfig != null && !xdgConfig.isEmpty() ? Path.of(xdgConfig) : Path.of(home, ".config");
        out.add(config.resolve("containers/auth.json"));
        String docker = env.get("DOCKER_CONFIG");
        out.add(docker != null && !docker.isEmpty() ? Path.of(docker, "config.json") : Path.of(home, ".docker", "config.json"));
        return out;
    }

    /**
     * Credentials for {@code host/repository}: the most specific key wins ({@code host/ns/repo},
     * then {@code host/ns}, then {@code host}); Docker's {@code https://host/v1/} keys count as {@code host}.
     */
    public Optional<Credentials> lookup(String host, String repository, Optional<Path> authFile) {
        for (Path f : searchPath(authFile)) {
            JsonNode auths = read(f).path("auths");
            String key = host + "/" + repository;
            while (true) {
                Optional<Credentials> c = entry(auths, key);
                if (c.isPresent()) {
                    return c;
                }
                int slash = key.lastIndexOf('/');
                if (slash < 0) {
                    break;
                }
                key = key.substring(0, slash);
            }
            for (var it = auths.fields(); it.hasNext(); ) {
                var e = it.next();
                if (normalizeKey(e.getKey()).equals(host)) {
                    Optional<Credentials> c = entry(auths, e.getKey());
                    if (c.isPresent()) {
                        return c;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Credentials> entry(JsonNode auths, String key) {
        JsonNode e = auths.get(key);
        if (e == null) {
            return Optional.empty();
        }
        String auth = e.path("auth").asText("");
        if (!auth.isEmpty()) {
            return Optional.ofNullable(Credentials.decode(auth));
        }
        if (e.hasNonNull("username")) {
            return Optional.of(new Credentials(e.path("username").asText(), e.path("password").asText("")));
        }
        return Optional.empty();
    }

    /** {@code https://index.docker.io/v1/} → {@code index.docker.io}: Docker's legacy keys. */
    static String normalizeKey(String key) {
        String k = key;
        for (String p : List.of("https://", "http://")) {
            if (k.startsWith(p)) {
                k = k.substring(p.length());
                int slash = k.indexOf('/');
                k = slash < 0 ? k : k.substring(0, slash);
            }
        }
        return k.equals("index.docker.io") || k.equals("registry-1.docker.io") ? "docker.io" : k;
    }

    /** Stores credentials for {@code key} (a registry or {@code registry/namespace}). */
    public void store(Path file, String key, Credentials c) {
        ObjectNode root = read(file);
        JsonNode auths = root.path("auths");
        ObjectNode a = auths instanceof ObjectNode o ? o : root.putObject("auths");
        a.putObject(key).put("auth", c.encoded());
        write(file, root);
    }

    /** Removes {@code key}; false when it was not there. */
    public boolean remove(Path file, String key) {
        ObjectNode root = read(file);
        if (!(root.path("auths") instanceof ObjectNode a) || a.remove(key) == null) {
            return false;
        }
        write(file, root);
        return true;
    }

    /** Removes every entry of the file. */
    public void removeAll(Path file) {
        ObjectNode root = read(file);
        root.putObject("auths");
        write(file, root);
    }

    static ObjectNode read(Path file) {
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(file));
            return n instanceof ObjectNode o ? o : Json.MAPPER.createObjectNode();
        } catch (NoSuchFileException e) {
            return Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            throw KpodException.invalid("cannot read credentials file " + file + ": " + e.getMessage());
        }
    }

    private static void write(Path file, ObjectNode root) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".auth", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw KpodException.invalid("cannot write credentials file " + file + ": " + e.getMessage());
        }
    }
}
