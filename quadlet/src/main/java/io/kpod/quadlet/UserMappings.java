package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.List;

/** {@code User}/{@code Group} and the user-namespace keys (UserNS, UIDMap, GIDMap, SubUIDMap, SubGIDMap, Remap*). */
final class UserMappings {
    private UserMappings() {
    }

    /** {@code --user USER[:GROUP]}; a Group without a User is an error. */
    static void user(UnitFile unit, String section, KpodCommand cmd) {
        var user = unit.lookupNonEmpty(section, "User");
        var group = unit.lookupNonEmpty(section, "Group");
        if (user.isEmpty()) {
            if (group.isPresent()) {
                throw QuadletException.at(unit.lastEntry(section, "Group").orElseThrow(), "invalid Group set without User");
            }
            return;
        }
        cmd.add("--user", group.map(g -> user.get() + ":" + g).orElse(user.get()));
    }

    static void mappings(UnitFile unit, String section, KpodCommand cmd, boolean supportManual) {
        boolean defined = false;
        var userns = unit.lookupNonEmpty(section, "UserNS");
        if (userns.isPresent()) {
            cmd.add("--userns", userns.get());
            defined = true;
        }
        for (String map : unit.lookupAllStrv(section, "UIDMap")) {
            cmd.add("--uidmap", map);
            defined = true;
        }
        for (String map : unit.lookupAllStrv(section, "GIDMap")) {
            cmd.add("--gidmap", map);
            defined = true;
        }
        var subuid = unit.lookupNonEmpty(section, "SubUIDMap");
        if (subuid.isPresent()) {
            cmd.add("--subuidname", subuid.get());
            defined = true;
        }
        var subgid = unit.lookupNonEmpty(section, "SubGIDMap");
        if (subgid.isPresent()) {
            cmd.add("--subgidname", subgid.get());
            defined = true;
        }
        if (defined) {
            for (String key : List.of("RemapUid", "RemapGid", "RemapUsers")) {
                var e = unit.lastEntry(section, key);
                if (e.isPresent()) {
                    throw QuadletException.at(e.get(), "deprecated Remap keys are set along with explicit mapping keys");
                }
            }
            return;
        }
        remap(unit, section, cmd, supportManual);
    }

    /** The deprecated RemapUsers/RemapUid/RemapGid/RemapUidSize keys, still honoured as Podman does. */
    private static void remap(UnitFile unit, String section, KpodCommand cmd, boolean supportManual) {
        List<String> uidMaps = unit.lookupAllStrv(section, "RemapUid");
        List<String> gidMaps = unit.lookupAllStrv(section, "RemapGid");
        var modeEntry = unit.lastEntry(section, "RemapUsers");
        String mode = modeEntry.map(UnitEntry::value).orElse("");
        switch (mode) {
            case "" -> {
                if (!uidMaps.isEmpty() || !gidMaps.isEmpty()) {
                    String key = uidMaps.isEmpty() ? "RemapGid" : "RemapUid";
                    throw QuadletException.at(unit.lastEntry(section, key).orElseThrow(), key + " set without RemapUsers");
                }
            }
            case "manual" -> {
                if (!supportManual) {
                    throw QuadletException.at(modeEntry.orElseThrow(), "RemapUsers=manual is not supported");
                }
                uidMaps.forEach(m -> cmd.add("--uidmap", m));
                gidMaps.forEach(m -> cmd.add("--gidmap", m));
            }
            case "auto" -> {
                List<String> opts = new ArrayList<>();
                uidMaps.forEach(m -> opts.add("uidmapping=" + m));
                gidMaps.forEach(m -> opts.add("gidmapping=" + m));
                long size = uidSize(unit, section);
                if (size > 0) {
                    opts.add("size=" + size);
                }
                cmd.add("--userns", withOptions("auto", opts));
            }
            case "keep-id" -> {
                List<String> opts = new ArrayList<>();
                if (uidMaps.size() > 1 || gidMaps.size() > 1) {
                    throw QuadletException.at(modeEntry.orElseThrow(),
                            "RemapUsers=keep-id supports only a single value for UID and GID mapping");
                }
                uidMaps.forEach(m -> opts.add("uid=" + m));
                gidMaps.forEach(m -> opts.add("gid=" + m));
                cmd.add("--userns", withOptions("keep-id", opts));
            }
            default -> throw QuadletException.at(modeEntry.orElseThrow(), "unsupported RemapUsers option '" + mode + "'");
        }
    }

    private static long uidSize(UnitFile unit, String section) {
        var e = unit.lastEntry(section, "RemapUidSize");
        if (e.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(e.get().value().strip());
        } catch (NumberFormatException ex) {
            throw QuadletException.at(e.get(), "invalid RemapUidSize '" + e.get().value() + "'");
        }
    }

    private static String withOptions(String kind, List<String> opts) {
        return opts.isEmpty() ? kind : kind + ":" + String.join(",", opts);
    }
}
