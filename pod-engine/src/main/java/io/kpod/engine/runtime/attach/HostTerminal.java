package io.kpod.engine.runtime.attach;

import io.kpod.engine.runtime.attach.PosixIo.WinSize;
import java.io.IOException;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * Our own terminal during an interactive session: raw mode (restored on close and by a
 * shutdown hook if the JVM is killed by SIGINT/SIGTERM) and size forwarding, once at start
 * and on every SIGWINCH. When the descriptor is not a terminal (pipes, tests) it does nothing.
 */
public final class HostTerminal implements AutoCloseable {
    private final int fd;
    private final Pointer saved;
    private final Thread restoreHook;
    private final Object previousWinch;
    private boolean closed;

    private HostTerminal(int fd, Pointer saved, Thread restoreHook, Object previousWinch) {
        this.fd = fd;
        this.saved = saved;
        this.restoreHook = restoreHook;
        this.previousWinch = previousWinch;
    }

    /** A terminal session on our stdin (fd 0). */
    public static HostTerminal stdin(Consumer<WinSize> onResize) {
        return open(0, onResize);
    }

    /**
     * Puts {@code fd} in raw mode when it is a terminal and reports its size to
     * {@code onResize} now and after each SIGWINCH. {@code onResize} may be null.
     */
    public static HostTerminal open(int fd, Consumer<WinSize> onResize) {
        if (!PosixIo.isatty(fd)) {
            return new HostTerminal(fd, null, null, null);
        }
        Pointer saved = PosixIo.allocate(PosixIo.TERMIOS_BYTES);
        if (PosixIo.libc().tcgetattr(fd, saved) != 0) {
            return new HostTerminal(fd, null, null, null);
        }
        Pointer raw = PosixIo.allocate(PosixIo.TERMIOS_BYTES);
        raw.transferFrom(0, saved, 0, PosixIo.TERMIOS_BYTES);
        PosixIo.libc().cfmakeraw(raw);
        Thread hook = new Thread(() -> PosixIo.libc().tcsetattr(fd, PosixIo.TCSANOW, saved), "kpod-tty-restore");
        Runtime.getRuntime().addShutdownHook(hook);
        PosixIo.libc().tcsetattr(fd, PosixIo.TCSANOW, raw);
        Object previous = null;
        if (onResize != null) {
            forward(fd, onResize);
            previous = WinchSignal.install(() -> forward(fd, onResize));
        }
        return new HostTerminal(fd, saved, hook, previous);
    }

    private static void forward(int fd, Consumer<WinSize> onResize) {
        WinSize size = PosixIo.windowSize(fd);
        if (size != null && size.rows() > 0 && size.cols() > 0) {
            onResize.accept(size);
        }
    }

    /** True when raw mode was entered, i.e. the descriptor is a terminal. */
    public boolean isTerminal() {
        return saved != null;
    }

    /** Restores the saved terminal mode and the previous SIGWINCH handler. */
    @Override
    public synchronized void close() {
        if (closed || saved == null) {
            closed = true;
            return;
        }
        closed = true;
        PosixIo.libc().tcsetattr(fd, PosixIo.TCSANOW, saved);
        if (previousWinch != null) {
            WinchSignal.restore(previousWinch);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs anyway and restores the same settings
        }
    }

    /** Sets the pty behind {@code fd} to {@code size}, ignoring a pty that is already gone. */
    public static void resize(int fd, WinSize size) {
        try {
            PosixIo.setWindowSize(fd, size);
        } catch (IOException ignored) {
            // the process exited while the window changed; nothing to resize
        }
    }
}
