package io.kpod.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A user namespace for a container or pod: which container UIDs and GIDs stand for which host
 * IDs, as Podman's {@code --uidmap}/{@code --gidmap} spell them ({@code container:host:size}).
 * {@code mode} is {@code private} for mappings the user gave and {@code auto} for ones kpod
 * picks from its pool; an {@code auto} request carries no mappings yet, only the size wanted
 * ({@code autoSize}, null to size it from the image), until the engine allocates them.
 */
public record IdMappings(String mode, List<IdMap> uids, List<IdMap> gids, Long autoSize) {

    /** One contiguous range: {@code size} IDs from {@code containerId} are host IDs from {@code hostId}. */
    public record IdMap(long containerId, long hostId, long size) {
        public IdMap {
            if (containerId < 0 || hostId < 0 || size < 1 || containerId + size > MAX_ID + 1 || hostId + size > MAX_ID + 1) {
                throw KpodException.invalid("invalid ID mapping " + containerId + ":" + hostId + ":" + size
                        + ": IDs are 0 to " + MAX_ID + " and the size at least 1");
            }
        }

        /** Parses {@code container:host:size}. */
        public static IdMap parse(String s) {
            if (s.startsWith("+") || s.startsWith("@")) {
                throw KpodException.invalid("invalid ID mapping \"" + s + "\": the + and @ forms are for "
                        + "rootless Podman; kpod runs as root and takes CONTAINER_ID:HOST_ID:SIZE");
            }
            String[] f = s.strip().split(":");
            if (f.length != 3 || !s.strip().matches("[0-9]+:[0-9]+:[0-9]+")) {
                throw KpodException.invalid("invalid ID mapping \"" + s + "\": expected CONTAINER_ID:HOST_ID:SIZE");
            }
            try {
                return new IdMap(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
            } catch (NumberFormatException e) {
                throw KpodException.invalid("invalid ID mapping \"" + s + "\": expected CONTAINER_ID:HOST_ID:SIZE");
            }
        }

        @Override
        public String toString() {
            return containerId + ":" + hostId + ":" + size;
        }
    }

    /** The largest ID a 32-bit uid_t can name that is not (uid_t) -1. */
    public static final long MAX_ID = 4294967294L;

    public IdMappings {
        mode = mode == null ? "private" : mode;
        if (!mode.equals("private") && !mode.equals("auto")) {
            throw KpodException.invalid("invalid user namespace mode \"" + mode + "\"");
        }
        uids = uids == null ? List.of() : List.copyOf(uids);
        gids = gids == null ? List.of() : List.copyOf(gids);
        if (mode.equals("private") && uids.isEmpty()) {
            throw KpodException.invalid("a private user namespace needs at least one UID mapping");
        }
        if (!uids.isEmpty() && gids.isEmpty()) {
            gids = uids;
        }
        check("UID", uids);
        check("GID", gids);
        if (autoSize != null && (autoSize < 1 || autoSize > MAX_ID)) {
            throw KpodException.invalid("invalid user namespace size " + autoSize);
        }
    }

    /** {@code --uidmap} and {@code --gidmap} values; the UID mappings serve for GIDs when none are given. */
    public static IdMappings of(List<String> uidMaps, List<String> gidMaps) {
        List<IdMap> u = new ArrayList<>();
        for (String s : uidMaps) {
            u.add(IdMap.parse(s));
        }
        List<IdMap> g = new ArrayList<>();
        for (String s : gidMaps) {
            g.add(IdMap.parse(s));
        }
        if (u.isEmpty() && !g.isEmpty()) {
            throw KpodException.invalid("--gidmap needs --uidmap as well");
        }
        return new IdMappings("private", u, g, null);
    }

    /** An {@code auto} request of {@code size} IDs (null: as many as the image needs). */
    public static IdMappings auto(Long size) {
        return new IdMappings("auto", List.of(), List.of(), size);
    }

    /** The same mode with these ranges allocated. */
    public IdMappings allocated(List<IdMap> uidRanges, List<IdMap> gidRanges) {
        return new IdMappings(mode, uidRanges, gidRanges, autoSize);
    }

    /** Whether the host ranges are known (always, except for an auto request not yet allocated). */
    public boolean resolved() {
        return !uids.isEmpty();
    }

    /** The host UID of container UID {@code id}, or -1 when it is not mapped. */
    public long hostUid(long id) {
        return toHost(uids, id);
    }

    /** The host GID of container GID {@code id}, or -1 when it is not mapped. */
    public long hostGid(long id) {
        return toHost(gids, id);
    }

    /** The container UID that host UID {@code id} is, or -1 when the namespace does not map it. */
    public long containerUid(long id) {
        return toContainer(uids, id);
    }

    /** The container GID that host GID {@code id} is, or -1 when the namespace does not map it. */
    public long containerGid(long id) {
        return toContainer(gids, id);
    }

    private static long toContainer(List<IdMap> maps, long id) {
        for (IdMap m : maps) {
            if (id >= m.hostId() && id < m.hostId() + m.size()) {
                return m.containerId() + (id - m.hostId());
            }
        }
        return -1;
    }

    /** The mappings seen from the other side: container IDs as host IDs, to undo a shift. */
    public IdMappings inverse() {
        return new IdMappings(mode, uids.stream().map(m -> new IdMap(m.hostId(), m.containerId(), m.size())).toList(),
                gids.stream().map(m -> new IdMap(m.hostId(), m.containerId(), m.size())).toList(), autoSize);
    }

    /** A short stable name for these mappings, to key what is prepared for them (mapped layers). */
    public String key() {
        StringBuilder b = new StringBuilder("u");
        uids.forEach(m -> b.append(m).append(','));
        b.append('g');
        gids.forEach(m -> b.append(m).append(','));
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long toHost(List<IdMap> maps, long id) {
        for (IdMap m : maps) {
            if (id >= m.containerId() && id < m.containerId() + m.size()) {
                return m.hostId() + (id - m.containerId());
            }
        }
        return -1;
    }

    private static void check(String what, List<IdMap> maps) {
        if (maps.size() > 340) {
            throw KpodException.invalid("at most 340 " + what + " mappings");
        }
        for (int i = 0; i < maps.size(); i++) {
            for (int j = i + 1; j < maps.size(); j++) {
                IdMap a = maps.get(i);
                IdMap b = maps.get(j);
                if (overlap(a.containerId(), a.size(), b.containerId(), b.size())) {
                    throw KpodException.invalid("the " + what + " mappings " + a + " and " + b
                            + " overlap in the container");
                }
                if (overlap(a.hostId(), a.size(), b.hostId(), b.size())) {
                    throw KpodException.invalid("the " + what + " mappings " + a + " and " + b + " overlap on the host");
                }
            }
        }
    }

    static boolean overlap(long a, long aSize, long b, long bSize) {
        return a < b + bSize && b < a + aSize;
    }
}
