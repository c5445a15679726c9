package io.kpod.cli;

import io.kpod.spec.KpodException;
import io.kpod.spec.SecretMount;
import io.kpod.spec.VolumeMount;
import java.util.ArrayList;
import java.util.List;

/** Podman's mount syntaxes: {@code -v}, {@code --mount}, {@code --tmpfs} and {@code --secret}. */
public final class MountParser {
    private MountParser() {
    }

    /** {@code -v [SOURCE:]DEST[:OPTIONS]}: a source starting with / or . is a host path, else a volume name. */
    public static VolumeMount volume(String v) {
        String[] parts = v.split(":", -1);
        if (parts.length == 0 || parts.length > 3 || v.isEmpty()) {
            throw KpodException.invalid("invalid volume specification \"" + v + "\"");
        }
        if (parts.length == 1) {
            return new VolumeMount(VolumeMount.Type.VOLUME, null, parts[0], List.of());
        }
        String src = parts[0];
        String dest = parts[1];
        List<String> opts = new ArrayList<>();
        if (parts.length == 3) {
            for (String o : parts[2].split(",")) {
                switch (o) {
                    case "ro", "rw", "z", "Z", "nosuid", "suid", "nodev", "dev", "noexec", "exec",
                         "rbind", "bind", "private", "rprivate", "shared", "rshared", "slave", "rslave", "U", "O" ->
                            opts.add(o);
                    default -> throw KpodException.invalid("invalid volume option \"" + o + "\" in \"" + v + "\"");
                }
            }
        }
        if (opts.contains("ro") && opts.contains("rw")) {
            throw KpodException.invalid("invalid volume \"" + v + "\": ro and rw cannot both be set");
        }
        if (src.isEmpty()) {
            throw KpodException.invalid("invalid volume \"" + v + "\": the source is empty");
        }
        boolean hostPath = src.startsWith("/") || src.startsWith(".");
        if (hostPath) {
            src = java.nio.file.Path.of(src).toAbsolutePath().normalize().toString();
        }
        return new VolumeMount(hostPath ? VolumeMount.Type.BIND : VolumeMount.Type.VOLUME, src, dest, opts);
    }

    /** {@code --mount type=bind|volume|tmpfs|image,source=…,target=…,readonly,…}. */
    public static VolumeMount mount(String m) {
        String type = null;
        String src = null;
        String dst = null;
        List<String> opts = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String field : m.split(",")) {
            int eq = field.indexOf('=');
            String k = eq < 0 ? field : field.substring(0, eq);
            String val = eq < 0 ? "" : field.substring(eq + 1);
            if (!IMAGE_KEYS.contains(k)) {
                others.add(field);
            }
            switch (k) {
                case "type" -> type = val;
                case "source", "src" -> src = val;
                case "target", "destination", "dst" -> dst = val;
                case "readonly", "ro" -> {
                    if (val.isEmpty() || val.equals("true")) {
                        opts.add("ro");
                    }
                }
                case "rw", "readwrite" -> opts.add(bool(val, field, m) ? "rw" : "ro");
                case "tmpfs-size" -> opts.add("size=" + val);
                case "tmpfs-mode" -> opts.add("mode=" + val);
                case "bind-propagation" -> opts.add(val);
                case "relabel", "U", "z", "Z", "consistency", "bind-nonrecursive", "chown", "idmap" -> { }
                default -> {
                    if (k.equals("nosuid") || k.equals("nodev") || k.equals("noexec")) {
                        opts.add(k);
                    } else {
                        throw KpodException.invalid("invalid --mount option \"" + field + "\"");
                    }
                }
            }
        }
        if (type == null) {
            throw KpodException.invalid("invalid --mount \"" + m + "\": type is required (bind, volume, tmpfs or image)");
        }
        if (dst == null) {
            throw KpodException.invalid("invalid --mount \"" + m + "\": target is required");
        }
        return switch (type) {
            case "bind" -> {
                if (src == null) {
                    throw KpodException.invalid("invalid --mount \"" + m + "\": a bind mount needs a source");
                }
                yield new VolumeMount(VolumeMount.Type.BIND,
                        java.nio.file.Path.of(src).toAbsolutePath().normalize().toString(), dst, opts);
            }
            case "volume" -> new VolumeMount(VolumeMount.Type.VOLUME, src, dst, opts);
            case "tmpfs" -> new VolumeMount(VolumeMount.Type.TMPFS, null, dst, opts);
            case "image" -> {
                if (src == null || src.isEmpty()) {
                    throw KpodException.invalid("invalid --mount \"" + m + "\": an image mount needs a source (the image)");
                }
                if (!others.isEmpty()) {
                    throw KpodException.invalid("invalid --mount option \"" + others.get(0)
                            + "\" for type=image: use source, destination and rw");
                }
                // read-only unless the last rw= says otherwise, as in Podman
                boolean rw = !opts.isEmpty() && opts.get(opts.size() - 1).equals("rw");
                yield new VolumeMount(VolumeMount.Type.IMAGE, src, dst, List.of(rw ? "rw" : "ro"));
            }
            default -> throw KpodException.invalid("invalid --mount type \"" + type
                    + "\": use bind, volume, tmpfs or image");
        };
    }

    /** The keys an image mount takes; anything else given with type=image is refused. */
    private static final java.util.Set<String> IMAGE_KEYS = java.util.Set.of("type", "source", "src", "target",
            "destination", "dst", "rw", "readwrite");

    /** A boolean mount option: the key alone means true. */
    private static boolean bool(String val, String field, String m) {
        return switch (val) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw KpodException.invalid("invalid --mount option \"" + field + "\" in \"" + m
                    + "\": use true or false");
        };
    }

    /** {@code --tmpfs DEST[:size=64m,mode=1777,…]}. */
    public static VolumeMount tmpfs(String t) {
        int colon = t.indexOf(':');
        String dest = colon < 0 ? t : t.substring(0, colon);
        List<String> opts = colon < 0 ? List.of() : List.of(t.substring(colon + 1).split(","));
        return new VolumeMount(VolumeMount.Type.TMPFS, null, dest, opts);
    }

    /** {@code --secret NAME[,type=mount|env,target=…,mode=…,uid=…,gid=…]}. */
    public static SecretMount secret(String s) {
        String[] f = s.split(",");
        String name = f[0];
        SecretMount.Type type = SecretMount.Type.MOUNT;
        String target = null;
        int mode = 0444;
        int uid = 0;
        int gid = 0;
        for (int i = 1; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            String k = eq < 0 ? f[i] : f[i].substring(0, eq);
            String v = eq < 0 ? "" : f[i].substring(eq + 1);
            try {
                switch (k) {
                    case "type" -> type = switch (v) {
                        case "mount" -> SecretMount.Type.MOUNT;
                        case "env" -> SecretMount.Type.ENV;
                        default -> throw KpodException.invalid("invalid secret type \"" + v + "\": use mount or env");
                    };
                    case "target" -> target = v;
                    case "mode" -> mode = Integer.parseInt(v, 8);
                    case "uid" -> uid = Integer.parseInt(v);
                    case "gid" -> gid = Integer.parseInt(v);
                    default -> throw KpodException.invalid("invalid secret option \"" + f[i] + "\"");
                }
            } catch (NumberFormatException e) {
                throw KpodException.invalid("invalid secret option \"" + f[i] + "\": not a number");
            }
        }
        if (type == SecretMount.Type.ENV && (mode != 0444 || uid != 0 || gid != 0)) {
            throw KpodException.invalid("secret \"" + name + "\": mode, uid and gid apply only to type=mount");
        }
        return new SecretMount(name, type, target, mode, uid, gid);
    }
}
