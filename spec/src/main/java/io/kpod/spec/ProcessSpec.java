package io.kpod.spec;

import java.util.List;
import java.util.Map;

/**
 * What runs in a container: the user's overrides of the image's entrypoint and command, its
 * environment, working directory and user. Null entrypoint/command mean "the image's".
 *
 * @param groupAdd {@code --group-add}: more supplementary groups, by name (from the image's /etc/group) or number
 */
public record ProcessSpec(
        List<String> entrypoint,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        String user,
        boolean interactive,
        boolean tty,
        List<String> groupAdd) {

    /** A process with no supplementary groups beyond the user's own. */
    public ProcessSpec(List<String> entrypoint, List<String> command, Map<String, String> env, String workingDir,
                       String user, boolean interactive, boolean tty) {
        this(entrypoint, command, env, workingDir, user, interactive, tty, null);
    }

    public ProcessSpec {
        groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : Util.orderedCopy(env);
    }

    public static ProcessSpec defaults() {
        return new ProcessSpec(null, null, Map.of(), null, null, false, false);
    }
}
