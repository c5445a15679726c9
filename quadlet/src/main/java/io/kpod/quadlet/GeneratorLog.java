package io.kpod.quadlet;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Messages as {@code quadlet-generator[pid]: ...}: to /dev/kmsg (the only log a generator has
 * at early boot) unless disabled or unavailable, else to stderr.
 */
final class GeneratorLog implements AutoCloseable {
    private final PrintStream err;
    private final boolean debug;
    private OutputStream kmsg;
    private boolean kmsgDisabled;

    GeneratorLog(PrintStream err, boolean noKmsg, boolean debug) {
        this.err = err;
        this.kmsgDisabled = noKmsg;
        this.debug = debug;
    }

    void log(String message) {
        String line = "quadlet-generator[" + ProcessHandle.current().pid() + "]: " + message;
        if (!toKmsg(line)) {
            err.println(line);
            err.flush();
        }
    }

    void debug(String message) {
        if (debug) {
            log(message);
        }
    }

    private boolean toKmsg(String line) {
        if (kmsgDisabled) {
            return false;
        }
        try {
            if (kmsg == null) {
                kmsg = new FileOutputStream("/dev/kmsg");
            }
            kmsg.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException | SecurityException e) {
            kmsgDisabled = true;
            return false;
        }
    }

    @Override
    public void close() {
        if (kmsg != null) {
            try {
                kmsg.close();
            } catch (IOException e) {
                // nothing left to report it to
            }
        }
    }
}
