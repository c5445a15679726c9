package io.kpod.engine.runtime.attach;

import io.kpod.engine.runtime.attach.PosixIo.WinSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * conmon's control FIFO {@code <bundle>/ctl}: one line {@code "<type> <rows> <cols>\n"} per
 * event, type 1 resizing the container's pty (conmon {@code -t}) and type 2 reopening the
 * log files. conmon accepts sizes up to 1000x1000.
 */
public final class ConmonControl {
    static final int WIN_RESIZE = 1;
    static final int REOPEN_LOGS = 2;

    private ConmonControl() {
    }

    public static Path fifo(Path bundle) {
        return bundle.resolve("ctl");
    }

    /** Asks conmon to resize the container's terminal; false when conmon is not running. */
    public static boolean resize(Path bundle, WinSize size) {
        int rows = Math.min(size.rows(), 1000);
        int cols = Math.min(size.cols(), 1000);
        return send(bundle, WIN_RESIZE + " " + rows + " " + cols + "\n");
    }

    /** Asks conmon to reopen its log files (after rotation); false when conmon is not running. */
    public static boolean reopenLogs(Path bundle) {
        return send(bundle, REOPEN_LOGS + " 0 0\n");
    }

    private static boolean send(Path bundle, String line) {
        int fd;
        try {
            // non-blocking so a dead conmon (no reader) fails with ENXIO instead of hanging
            fd = PosixIo.open(fifo(bundle), PosixIo.O_WRONLY | PosixIo.O_NONBLOCK);
        } catch (IOException e) {
            return false;
        }
        try {
            byte[] b = line.getBytes(StandardCharsets.US_ASCII);
            PosixIo.writeFully(fd, b, b.length);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            PosixIo.close(fd);
        }
    }
}
