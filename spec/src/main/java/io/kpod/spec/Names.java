package io.kpod.spec;

import java.util.regex.Pattern;

/** Name rules for kpod objects, as Podman checks them. */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private Names() {
    }

    /** Containers, pods, volumes, secrets and networks share Podman's name syntax. */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static void checkContainerName(String name) {
        check("container", name);
    }

    public static void check(String what, String name) {
        if (!valid(name)) {
            throw KpodException.invalid("invalid " + what + " name \"" + name
                    + "\": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
    }
}
