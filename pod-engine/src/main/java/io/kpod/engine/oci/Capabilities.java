package io.kpod.engine.oci;

import io.kpod.spec.KpodException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Capability sets: Podman's default list, {@code --cap-add}/{@code --cap-drop} with ALL, names normalized. */
public final class Capabilities {
    /** Podman's default_capabilities from containers.conf. */
    public static final List<String> DEFAULT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
            "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
            "CAP_SETUID", "CAP_SYS_CHROOT");

    /** Every capability the kernel knows, listed by number (CAP_CHOWN is 0). */
    public static final List<String> ALL = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private Capabilities() {
    }

    /**
     * What ALL and {@code --privileged} grant: every capability this process may still hand
     * down (its bounding set), as Podman does; runc refuses a capability the engine lacks.
     */
    public static List<String> allAvailable() {
        long bounding = boundingSet();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ALL.size(); i++) {
            if ((bounding & (1L << i)) != 0) {
                out.add(ALL.get(i));
            }
        }
        return out;
    }

    private static long boundingSet() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // unreadable status: assume every capability, runc will say if one is missing
        }
        return -1L;
    }

    /** {@code net_raw}, {@code NET_RAW} and {@code CAP_NET_RAW} all mean CAP_NET_RAW; ALL stays ALL. */
    public static String normalize(String cap) {
        String c = cap.trim().toUpperCase(Locale.ROOT);
        if (c.equals("ALL")) {
            return c;
        }
        if (!c.startsWith("CAP_")) {
            c = "CAP_" + c;
        }
        if (!ALL.contains(c)) {
            throw KpodException.invalid("unknown capability \"" + cap + "\"");
        }
        return c;
    }

    /** The effective set: defaults, minus drops, plus adds; privileged means everything. */
    public static List<String> effective(List<String> defaults, List<String> add, List<String> drop, boolean privileged) {
        if (privileged) {
            return allAvailable();
        }
        Set<String> caps = new LinkedHashSet<>(defaults);
        List<String> drops = drop.stream().map(Capabilities::normalize).toList();
        List<String> adds = add.stream().map(Capabilities::normalize).toList();
        if (drops.contains("ALL")) {
            caps.clear();
        } else {
            drops.forEach(caps::remove);
        }
        if (adds.contains("ALL")) {
            caps.addAll(allAvailable());
        } else {
            caps.addAll(adds);
        }
        return new ArrayList<>(caps);
    }
}
