package io.kpod.network;

import java.nio.charset.StandardCharsets;

/** Exit code and output of a finished process. */
public record ProcessResult(int exitCode, byte[] stdout, byte[] stderr) {
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
