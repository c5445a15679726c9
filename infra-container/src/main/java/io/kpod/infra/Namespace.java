package io.kpod.infra;

import io.kpod.spec.KpodException;
import java.util.Locale;

/** A Linux namespace kind as the pod sandbox deals with it: its /proc name and its OCI type. */
public enum Namespace {
    NET("net", "network"),
    IPC("ipc", "ipc"),
    UTS("uts", "uts"),
    PID("pid", "pid"),
    MOUNT("mnt", "mount"),
    /** Shared only by a pod with a user namespace of its own ({@code pod create --userns}), never by --share. */
    USER("user", "user");

    private final String procName;
    private final String ociType;

    Namespace(String procName, String ociType) {
        this.procName = procName;
        this.ociType = ociType;
    }

    /** The file name under {@code /proc/<pid>/ns/}. */
    public String procName() {
        return procName;
    }

    /** The {@code linux.namespaces[].type} value of the OCI runtime spec. */
    public String ociType() {
        return ociType;
    }

    /** Whether a pod may share this namespace among its containers (Podman's {@code --share}). */
    public boolean shareable() {
        return this != MOUNT;
    }

    /** Parses a name as Podman's {@code --share} spells it: net, ipc, uts, pid. */
    public static Namespace parseShareable(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "net":
            case "network":
                return NET;
            case "ipc":
                return IPC;
            case "uts":
                return UTS;
            case "pid":
                return PID;
            case "cgroup":
            case "user":
                throw KpodException.invalid("sharing the " + n + " namespace in a pod is not supported: use net, ipc, uts or pid");
            default:
                throw KpodException.invalid("unknown namespace \"" + name + "\" in --share: use net, ipc, uts or pid");
        }
    }
}
