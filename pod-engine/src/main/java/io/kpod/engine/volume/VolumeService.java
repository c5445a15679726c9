package io.kpod.engine.volume;

import io.kpod.engine.EngineContext;
import io.kpod.engine.container.NameGenerator;
import io.kpod.engine.state.StateStore;
import io.kpod.engine.sys.Libc;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import io.kpod.spec.Names;
import io.kpod.spec.NoSuchObjectException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Named volumes with Podman's local driver: a directory, or a filesystem mounted from {@code -o type=… o=… device=…}. */
public final class VolumeService {
    private static final Set<String> OPTION_KEYS = Set.of("type", "o", "device", "copy", "nocopy");
    private final EngineContext ctx;

    public VolumeService(EngineContext ctx) {
        this.ctx = ctx;
    }

    private StateStore store() {
        return ctx.store();
    }

    /** Creates a volume; with {@code ignoreExisting} an existing one is returned instead of an error. */
    public VolumeRecord create(String name, Map<String, String> labels, Map<String, String> options,
                               boolean anonymous, boolean ignoreExisting) {
        String n = name == null || name.isEmpty() ? NameGenerator.newId() : name;
        Names.check("volume", n);
        for (String k : options.keySet()) {
            if (!OPTION_KEYS.contains(k)) {
                throw KpodException.invalid("invalid mount option \"" + k + "\" for the local volume driver: "
                        + "only type, o, device, copy and nocopy are supported");
            }
        }
        int[] owner = {-1, -1};
        if (!options.containsKey("type") && !options.containsKey("device") && options.containsKey("o")) {
            // no filesystem to mount: o= can only say who owns the volume's directory, as Podman's local driver does
            for (String o : options.get("o").split(",")) {
                if (o.startsWith("uid=") || o.startsWith("gid=")) {
                    try {
                        owner[o.startsWith("uid=") ? 0 : 1] = Integer.parseInt(o.substring(4));
                        continue;
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                }
                if (!o.isEmpty()) {
                    throw KpodException.invalid("invalid volume option o=" + o + ": without type and device only "
                            + "uid=N and gid=N are supported");
                }
            }
        }
        if (options.containsKey("type") && !options.get("type").equals("tmpfs") && !options.containsKey("device")) {
            throw KpodException.invalid("volume option type=" + options.get("type") + " needs a device");
        }
        Path data = ctx.paths().volumesDir().resolve(n).resolve("_data");
        VolumeRecord rec = new VolumeRecord(n, "local", data.toString(), io.kpod.engine.EngineContext.now(),
                labels, options, anonymous);
        try {
            Files.createDirectories(data);
            if (owner[0] >= 0) {
                Files.setAttribute(data, "unix:uid", owner[0]);
            }
            if (owner[1] >= 0) {
                Files.setAttribute(data, "unix:gid", owner[1]);
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot create volume directory " + data + ": " + e.getMessage(), e);
        }
        if (!store().insertNamed("volumes", n, n, rec)) {
            if (ignoreExisting) {
                return inspect(n);
            }
            throw new NameInUseException("volume", n, n);
        }
        return rec;
    }

    public List<VolumeRecord> list() {
        return store().listNamed("volumes", VolumeRecord.class);
    }

    public Optional<VolumeRecord> find(String name) {
        return list().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public VolumeRecord inspect(String name) {
        return find(name).orElseThrow(() -> new NoSuchObjectException("volume", name,
                "no volume with name \"" + name + "\" found: no such volume"));
    }

    /** Mounts a driver-option volume if it is not mounted yet; plain directory volumes need nothing. */
    public void ensureMounted(VolumeRecord v) {
        if (!v.needsMount()) {
            return;
        }
        Path mp = Path.of(v.mountpoint());
        try {
            if (isMountPoint(mp)) {
                return;
            }
            String type = v.options().getOrDefault("type", "none");
            String device = v.options().getOrDefault("device", type);
            String data = v.options().getOrDefault("o", "");
            long flags = 0;
            List<String> rest = new ArrayList<>();
            for (String o : data.split(",")) {
                switch (o) {
                    case "" -> { }
                    case "bind" -> flags |= Libc.MS_BIND;
                    case "rbind" -> flags |= Libc.MS_BIND | Libc.MS_REC;
                    case "ro" -> flags |= Libc.MS_RDONLY;
                    case "nosuid" -> flags |= Libc.MS_NOSUID;
                    case "nodev" -> flags |= Libc.MS_NODEV;
                    case "noexec" -> flags |= Libc.MS_NOEXEC;
                    default -> rest.add(o);
                }
            }
            Libc.mount(device, mp, type, flags, String.join(",", rest));
        } catch (IOException e) {
            throw KpodException.runtime("cannot mount volume " + v.name() + ": " + e.getMessage(), e);
        }
    }

    public static boolean isMountPoint(Path p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && f[4].equals(p.toAbsolutePath().toString())) {
                return true;
            }
        }
        return false;
    }

    /** Removes a volume; one used by a container needs {@code force} (the caller removes those containers first). */
    public void remove(String name, Predicate<String> inUse, boolean force) {
        VolumeRecord v = inspect(name);
        if (inUse.test(name) && !force) {
            throw KpodException.conflict("volume " + name + " is being used by a container: "
                    + "remove the container first or use --force");
        }
        destroy(v);
    }

    /** Unmounts, deletes the data and the row. */
    public void destroy(VolumeRecord v) {
        Path dir = Path.of(v.mountpoint()).getParent();
        try {
            if (v.needsMount()) {
                Libc.unmount(Path.of(v.mountpoint()), true);
            }
            io.kpod.engine.sys.FileTrees.delete(dir);
        } catch (IOException e) {
            throw KpodException.internal("cannot remove volume " + v.name() + ": " + e.getMessage(), e);
        }
        store().deleteNamed("volumes", v.name());
    }

    /** Removes every volume no container uses; returns their names. */
    public List<String> prune(Predicate<String> inUse) {
        List<String> removed = new ArrayList<>();
        for (VolumeRecord v : list()) {
            if (!inUse.test(v.name())) {
                destroy(v);
                removed.add(v.name());
            }
        }
        return removed;
    }

}
