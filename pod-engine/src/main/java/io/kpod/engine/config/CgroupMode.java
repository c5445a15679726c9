package io.kpod.engine.config;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the host mounts cgroups, which decides between crun and runc. */
public enum CgroupMode {
    /** Pure cgroup v2: {@code /sys/fs/cgroup} is cgroup2. */
    UNIFIED,
    /** v1 controllers plus a cgroup2 tree at {@code /sys/fs/cgroup/unified}; crun refuses it. */
    HYBRID,
    /** cgroup v1 only. */
    LEGACY;

    /** Reads this process's {@code /proc/self/mountinfo}. */
    public static CgroupMode detect() {
        try {
            return fromMountinfo(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw KpodException.internal("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
        }
    }

    /**
     * Decides from mountinfo text: the last mount on {@code /sys/fs/cgroup} wins (mounts
     * stack), and a cgroup2 mount at {@code /sys/fs/cgroup/unified} makes a v1 host hybrid.
     */
    public static CgroupMode fromMountinfo(String mountinfo) {
        String top = null;
        boolean unified = false;
        for (String line : mountinfo.split("\n")) {
            // fields: id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            String[] f = line.trim().split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            String mountPoint = f[4];
            String fsType = f[dash + 1];
            if (mountPoint.equals("/sys/fs/cgroup")) {
                top = fsType;
            } else if (mountPoint.equals("/sys/fs/cgroup/unified") && fsType.equals("cgroup2")) {
                unified = true;
            }
        }
        if ("cgroup2".equals(top)) {
            return UNIFIED;
        }
        return unified ? HYBRID : LEGACY;
    }
}
