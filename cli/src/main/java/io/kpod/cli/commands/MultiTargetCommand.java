package io.kpod.cli.commands;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.util.List;

/**
 * Commands that act on several containers (start, stop, kill, rm…): each target is tried,
 * errors are printed as they come, and the exit code says whether all went well.
 */
abstract class MultiTargetCommand extends BaseCommand {
    /** Acts on one target and returns what to print for it, or null for nothing. */
    protected abstract String act(String target);

    /** Podman's rm returns 1 when a target does not exist and 2 when one is running. */
    protected int codeFor(KpodException e) {
        return 125;
    }

    protected int forEach(List<String> targets) {
        int code = 0;
        for (String t : targets) {
            try {
                String line = act(t);
                if (line != null) {
                    out().println(line);
                    out().flush();
                }
            } catch (KpodException e) {
                err().println("Error: " + e.getMessage());
                err().flush();
                int c = codeFor(e);
                code = code == 0 ? c : Math.max(code, c);
            }
        }
        return code;
    }

    static boolean notFound(KpodException e) {
        return e.kind() == ErrorKind.NOT_FOUND;
    }
}
