package io.kpod.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads what the host says about a container's processes: conmon liveness and the exit file. */
final class RuntimeProbe {
    private RuntimeProbe() {
    }

    /**
     * conmon is alive only if its pid exists, is not a zombie (orphans linger as zombies here)
     * and still runs conmon, which guards against pid reuse.
     */
    static boolean processAlive(int pid, String expectedCommand) {
        if (pid <= 0) {
            return false;
        }
        Path proc = Path.of("/proc", Integer.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (close < 0 || close + 2 >= stat.length()) {
                return false;
            }
            char state = stat.charAt(close + 2);
            if (state == 'Z' || state == 'X') {
                return false;
            }
            if (expectedCommand == null) {
                return true;
            }
            byte[] cmd = Files.readAllBytes(proc.resolve("cmdline"));
            return new String(cmd, StandardCharsets.UTF_8).contains(expectedCommand);
        } catch (IOException e) {
            return false;
        }
    }

    /** The exit code conmon wrote, if it did. */
    static Optional<Integer> exitCode(Path exitFile) {
        try {
            String s = Files.readString(exitFile).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static int readPid(Path pidFile) {
        try {
            return Integer.parseInt(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
