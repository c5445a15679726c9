package io.kpod.engine.secret;

import io.kpod.engine.EngineContext;
import io.kpod.engine.container.NameGenerator;
import io.kpod.engine.sys.FileTrees;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.Names;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * Secrets with Podman's file driver: the value lives in a 0600 file under the graph root,
 * the row holds only metadata. Containers get the value as a file or an env var at start.
 */
public final class SecretService {
    private static final int MAX_SIZE = 512 * 1024;
    private final EngineContext ctx;

    public SecretService(EngineContext ctx) {
        this.ctx = ctx;
    }

    private Path dataFile(String id) {
        return ctx.paths().secretsDir().resolve("filedriver").resolve(id);
    }

    public SecretRecord create(String name, byte[] value, Map<String, String> labels, boolean replace) {
        Names.check("secret", name);
        if (value.length == 0) {
            throw KpodException.invalid("secret data must not be empty");
        }
        if (value.length > MAX_SIZE) {
            throw KpodException.invalid("secret data must be smaller than 512KiB");
        }
        if (replace) {
            ctx.store().listNamed("secrets", SecretRecord.class).stream()
                    .filter(s -> s.name().equals(name)).findFirst().ifPresent(s -> remove(s.name()));
        }
        String id = NameGenerator.newId().substring(0, 25);
        Path f = dataFile(id);
        try {
            Files.createDirectories(f.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            FileTrees.writeAtomically(f, value, "rw-------");
        } catch (IOException e) {
            throw KpodException.internal("cannot store secret " + name + ": " + e.getMessage(), e);
        }
        SecretRecord rec = new SecretRecord(id, name, "file", EngineContext.now(), labels);
        if (!ctx.store().insertNamed("secrets", id, name, rec)) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // the row was never written, the orphan file is harmless
            }
            throw new NameInUseException("secret", name, name);
        }
        return rec;
    }

    public List<SecretRecord> list() {
        return ctx.store().listNamed("secrets", SecretRecord.class);
    }

    /** By name, full id or unique id prefix. */
    public SecretRecord inspect(String ref) {
        List<SecretRecord> all = list();
        return all.stream().filter(s -> s.name().equals(ref)).findFirst()
                .or(() -> {
                    List<SecretRecord> m = all.stream().filter(s -> s.id().startsWith(ref)).toList();
                    return m.size() == 1 ? java.util.Optional.of(m.get(0)) : java.util.Optional.empty();
                })
                .orElseThrow(() -> new NoSuchObjectException("secret", ref, "no secret with name or id \"" + ref
                        + "\": no such secret"));
    }

    public byte[] value(SecretRecord s) {
        try {
            return Files.readAllBytes(dataFile(s.id()));
        } catch (IOException e) {
            throw KpodException.internal("cannot read secret " + s.name() + ": " + e.getMessage(), e);
        }
    }

    public void remove(String ref) {
        SecretRecord s = inspect(ref);
        try {
            Files.deleteIfExists(dataFile(s.id()));
        } catch (IOException e) {
            throw KpodException.internal("cannot remove secret " + s.name() + ": " + e.getMessage(), e);
        }
        ctx.store().deleteNamed("secrets", s.name());
    }
}
