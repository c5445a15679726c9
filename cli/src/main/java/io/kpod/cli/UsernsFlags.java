package io.kpod.cli;

import io.kpod.engine.container.UserNamespaces;
import io.kpod.spec.IdMappings;
import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --userns}, {@code --uidmap}, {@code --gidmap}, {@code --subuidname} and
 * {@code --subgidname} as Podman spells them, for containers and pods. kpod runs as root, so
 * the rootless-only modes (keep-id, nomap) are refused with that reason.
 */
public final class UsernsFlags {
    @Option(names = "--userns", description = "User namespace: host (default), auto[:size=N], or private with --uidmap")
    public String userns;
    @Option(names = "--uidmap", description = "UID mapping CONTAINER_ID:HOST_ID:SIZE for a new user namespace")
    public List<String> uidMaps = new java.util.ArrayList<>();
    @Option(names = "--gidmap", description = "GID mapping CONTAINER_ID:HOST_ID:SIZE (default: as --uidmap)")
    public List<String> gidMaps = new java.util.ArrayList<>();
    @Option(names = "--subuidname", description = "Map UIDs from this user's ranges in /etc/subuid")
    public String subUidName;
    @Option(names = "--subgidname", description = "Map GIDs from this group's ranges in /etc/subgid")
    public String subGidName;

    /** The user namespace asked for, or null for the host's. */
    public IdMappings mappings() {
        return parse(userns, uidMaps, gidMaps, subUidName, subGidName);
    }

    /** Parses the flags' values; null means the host's user namespace. */
    public static IdMappings parse(String userns, List<String> uidMaps, List<String> gidMaps, String subUidName,
                                   String subGidName) {
        boolean maps = !uidMaps.isEmpty() || !gidMaps.isEmpty() || subUidName != null || subGidName != null;
        String mode = userns == null ? "" : userns.strip();
        if (mode.isEmpty() || mode.equals("host")) {
            if (mode.equals("host") && maps) {
                throw KpodException.invalid("--userns=host cannot be used with --uidmap, --gidmap, --subuidname or "
                        + "--subgidname");
            }
            return maps ? explicit(uidMaps, gidMaps, subUidName, subGidName) : null;
        }
        if (mode.equals("private") && maps) {
            return explicit(uidMaps, gidMaps, subUidName, subGidName);
        }
        if (maps) {
            throw KpodException.invalid("--userns=" + mode + " cannot be used with --uidmap, --gidmap, --subuidname or "
                    + "--subgidname");
        }
        return UserNamespaces.parseMode(mode);
    }

    private static IdMappings explicit(List<String> uidMaps, List<String> gidMaps, String subUidName,
                                       String subGidName) {
        if ((subUidName != null || subGidName != null) && (!uidMaps.isEmpty() || !gidMaps.isEmpty())) {
            throw KpodException.invalid("--subuidname and --subgidname cannot be used with --uidmap or --gidmap");
        }
        if (subUidName != null || subGidName != null) {
            String user = subUidName != null ? subUidName : subGidName;
            String group = subGidName != null ? subGidName : subUidName;
            return new IdMappings("private", UserNamespaces.subordinate(Path.of("/etc/subuid"), user),
                    UserNamespaces.subordinate(Path.of("/etc/subgid"), group), null);
        }
        return IdMappings.of(uidMaps, gidMaps);
    }
}
