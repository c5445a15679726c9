package io.kpod.spec;

import java.util.List;
import java.util.Map;

/**
 * What runs in a container: the user's overrides of the image's entrypoint and command, its
 * environment, working directory and user. Null entrypoint/command mean "the image's".
 */
public record ProcessSpec(
        List<String> entrypoint,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        String user,
        boolean interactive,
        boolean tty) {

    public ProcessSpec {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        command = command == null ? null : List.copyOf(command);
        env = env == null ? Map.of() : Util.orderedCopy(env);
    }

    public static ProcessSpec defaults() {
        return new ProcessSpec(null, null, Map.of(), null, null, false, false);
    }
}
