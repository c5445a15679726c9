package io.kpod.network;

import java.io.IOException;
import java.util.List;

/** Runs a program to completion with the given stdin: the seam between argv builders and the OS. */
@FunctionalInterface
public interface ProcessLauncher {
    ProcessResult run(List<String> argv, byte[] stdin) throws IOException;

    /** The real launcher, draining stdout and stderr at the same time. */
    static ProcessLauncher system() {
        return new SystemProcessLauncher();
    }
}
