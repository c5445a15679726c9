package io.kpod.engine.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --device HOST[:CONTAINER[:PERMISSIONS]]}: the host's device node is recreated in the
 * container (runc mknods it from {@code linux.devices}) and the devices cgroup lets the container
 * use it with the given permissions (rwm by default).
 */
final class Devices {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /** One device as the OCI config wants it. */
    record Device(String path, String type, long major, long minor, int fileMode, String access) {
    }

    private Devices() {
    }

    static void apply(ObjectNode config, List<String> specs) {
        if (specs.isEmpty()) {
            return;
        }
        ObjectNode linux = config.with("linux");
        ArrayNode devices = linux.withArray("devices");
        ArrayNode allow = linux.with("resources").withArray("devices");
        for (String spec : specs) {
            Device d = resolve(spec);
            ObjectNode o = devices.addObject();
            o.put("path", d.path());
            o.put("type", d.type());
            o.put("major", d.major());
            o.put("minor", d.minor());
            o.put("fileMode", d.fileMode());
            o.put("uid", 0);
            o.put("gid", 0);
            ObjectNode a = allow.addObject();
            a.put("allow", true);
            a.put("type", d.type());
            a.put("major", d.major());
            a.put("minor", d.minor());
            a.put("access", d.access());
        }
    }

    static Device resolve(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 3 || parts[0].isEmpty()) {
            throw KpodException.invalid("invalid --device \"" + spec + "\": expected HOST[:CONTAINER[:PERMISSIONS]]");
        }
        String host = parts[0];
        String dest = host;
        String access = "rwm";
        if (parts.length == 2) {
            if (isAccess(parts[1])) {
                access = parts[1];
            } else {
                dest = parts[1];
            }
        } else if (parts.length == 3) {
            dest = parts[1];
            access = parts[2];
        }
        if (!isAccess(access) || !dest.startsWith("/")) {
            throw KpodException.invalid("invalid --device \"" + spec + "\": expected HOST[:CONTAINER[:PERMISSIONS]]");
        }
        try {
            Path real = Path.of(host).toRealPath();
            int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long rdev = (Long) Files.getAttribute(real, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            String type = switch (mode & S_IFMT) {
                case S_IFCHR -> "c";
                case S_IFBLK -> "b";
                default -> throw KpodException.invalid("--device " + host + " is not a device node");
            };
            long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
            return new Device(dest, type, major, minor, mode & 07777, access);
        } catch (IOException e) {
            throw KpodException.invalid("cannot use --device " + host + ": " + e.getMessage());
        }
    }

    private static boolean isAccess(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm');
    }
}
