package io.kpod.engine.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The cgroup this process runs in, as systemd sees it: the unified hierarchy's path on a pure
 * cgroup v2 host, the {@code name=systemd} hierarchy's path on a v1 or hybrid host. Under a
 * service this is {@code /system.slice/NAME.service}; {@code --cgroups=split} puts the
 * container below it.
 */
public final class OwnCgroup {
    private OwnCgroup() {
    }

    public static String path() {
        try {
            boolean pureV2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
            return parse(Files.readAllLines(Path.of("/proc/self/cgroup")), pureV2);
        } catch (IOException e) {
            return "/";
        }
    }

    /** Picks the path from {@code /proc/self/cgroup} lines (pure, for tests). */
    static String parse(List<String> lines, boolean pureV2) {
        String unified = null;
        String systemd = null;
        for (String l : lines) {
            String[] f = l.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                unified = f[2];
            } else if (f[1].equals("name=systemd")) {
                systemd = f[2];
            }
        }
        String p = pureV2 ? unified : systemd != null ? systemd : unified;
        return p == null || p.isEmpty() ? "/" : p;
    }
}
