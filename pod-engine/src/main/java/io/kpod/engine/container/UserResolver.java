package io.kpod.engine.container;

import io.kpod.engine.oci.OciSpecBuilder;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code --user} (name, uid, name:group, uid:gid) against the container's own
 * /etc/passwd and /etc/group, as Podman does, including the user's supplementary groups.
 */
public final class UserResolver {
    private UserResolver() {
    }

    public static OciSpecBuilder.User resolve(Path rootfs, String user) {
        String spec = user == null || user.isEmpty() ? "0" : user;
        String userPart = spec;
        String groupPart = null;
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            userPart = spec.substring(0, colon);
            groupPart = spec.substring(colon + 1);
        }
        List<String[]> passwd = read(rootfs.resolve("etc/passwd"));
        List<String[]> groups = read(rootfs.resolve("etc/group"));
        int uid;
        int gid = 0;
        String userName = null;
        if (isNumber(userPart)) {
            uid = Integer.parseInt(userPart);
            for (String[] p : passwd) {
                if (p.length > 3 && p[2].equals(userPart)) {
                    gid = parseOr(p[3], 0);
                    userName = p[0];
                    break;
                }
            }
        } else {
            String[] entry = passwd.stream().filter(p -> p.length > 3 && p[0].equals(spec.split(":")[0]))
                    .findFirst().orElseThrow(() -> KpodException.invalid("unable to find user "
                            + spec.split(":")[0] + ": no matching entries in passwd file"));
            uid = parseOr(entry[2], 0);
            gid = parseOr(entry[3], 0);
            userName = entry[0];
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            if (isNumber(groupPart)) {
                gid = Integer.parseInt(groupPart);
            } else {
                String g = groupPart;
                String[] entry = groups.stream().filter(x -> x.length > 2 && x[0].equals(g)).findFirst()
                        .orElseThrow(() -> KpodException.invalid("unable to find group " + g
                                + ": no matching entries in group file"));
                gid = parseOr(entry[2], 0);
            }
        }
        List<Integer> extra = new ArrayList<>();
        if (userName != null) {
            for (String[] g : groups) {
                if (g.length > 3 && List.of(g[3].split(",")).contains(userName)) {
                    int id = parseOr(g[2], -1);
                    if (id >= 0 && id != gid && !extra.contains(id)) {
                        extra.add(id);
                    }
                }
            }
        }
        return new OciSpecBuilder.User(uid, gid, extra, 022);
    }

    /** {@code --group-add}: the user plus more supplementary groups, by number or by name in the image's /etc/group. */
    public static OciSpecBuilder.User withGroups(Path rootfs, OciSpecBuilder.User user, List<String> groupAdd) {
        if (groupAdd.isEmpty()) {
            return user;
        }
        List<String[]> groups = read(rootfs.resolve("etc/group"));
        List<Integer> extra = new ArrayList<>(user.additionalGids());
        for (String g : groupAdd) {
            int id;
            if (isNumber(g)) {
                id = Integer.parseInt(g);
            } else if (g.equals("keep-groups")) {
                throw KpodException.invalid("--group-add keep-groups is only for rootless containers");
            } else {
                String[] entry = groups.stream().filter(x -> x.length > 2 && x[0].equals(g)).findFirst()
                        .orElseThrow(() -> KpodException.invalid("unable to find group " + g
                                + ": no matching entries in group file"));
                id = parseOr(entry[2], 0);
            }
            if (id != user.gid() && !extra.contains(id)) {
                extra.add(id);
            }
        }
        return new OciSpecBuilder.User(user.uid(), user.gid(), extra, user.umask());
    }

    private static List<String[]> read(Path file) {
        List<String[]> out = new ArrayList<>();
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        out.add(line.split(":", -1));
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable passwd file means numeric users only, as in an image without one
        }
        return out;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static int parseOr(String s, int dflt) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
