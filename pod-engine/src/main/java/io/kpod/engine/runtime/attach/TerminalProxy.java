package io.kpod.engine.runtime.attach;

import io.kpod.engine.runtime.attach.PosixIo.WinSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Connects a pty master to our terminal or to plain streams: input → master and master →
 * output until the master reports EOF/EIO (every holder of the slave is gone) or the owner
 * says the process finished. On a real terminal it enters raw mode and forwards the window
 * size; with pipes it just copies, which is what tests and {@code echo x | kpod exec -t} use.
 */
public final class TerminalProxy {
    private static final int POLL_SLICE_MS = 100;

    private final InputStream in;
    private final OutputStream out;
    private final boolean hostTerminal;
    private final WinSize initialSize;

    private TerminalProxy(InputStream in, OutputStream out, boolean hostTerminal, WinSize initialSize) {
        this.in = in;
        this.out = out;
        this.hostTerminal = hostTerminal;
        this.initialSize = initialSize;
    }

    /**
     * Our own stdin/stdout: raw mode and size forwarding when stdin is a terminal.
     * {@code interactive} false means no input is sent (like {@code exec -t} without -i).
     */
    public static TerminalProxy console(boolean interactive) {
        return new TerminalProxy(interactive ? System.in : null, System.out, true, null);
    }

    /** Plain streams, no terminal handling; {@code in} may be null for no input. */
    public static TerminalProxy streams(InputStream in, OutputStream out, WinSize initialSizeOrNull) {
        return new TerminalProxy(in, out, false, initialSizeOrNull);
    }

    /**
     * The size the pty should have before its program starts: our terminal's when this proxy
     * serves a terminal, else the one given to {@link #streams}; null when unknown.
     */
    public WinSize initialSize() {
        if (hostTerminal) {
            WinSize size = PosixIo.windowSize(0);
            return size == null || size.rows() == 0 ? null : size;
        }
        return initialSize;
    }

    /** {@link #run(int, BooleanSupplier, Runnable)} with nothing to do after a resize. */
    public void run(int masterFd, BooleanSupplier finished) throws IOException {
        run(masterFd, finished, () -> { });
    }

    /**
     * Runs the session and takes ownership of {@code masterFd}: it is closed when this
     * returns. {@code finished} should turn true when the process (e.g. runc) has exited; the
     * output already buffered in the pty is still copied then. {@code afterResize} runs after
     * each size change is applied to the master (e.g. to signal a program that proxies it).
     * Input reaching EOF sends nothing: a pty has no half-close, a program sees EOF only on ^D.
     */
    public void run(int masterFd, BooleanSupplier finished, Runnable afterResize) throws IOException {
        Object masterLock = new Object();
        boolean[] closed = {false};
        Consumer<WinSize> resize = size -> {
            // SIGWINCH arrives on its own thread and must not touch the fd number once it is closed
            synchronized (masterLock) {
                if (closed[0]) {
                    return;
                }
                HostTerminal.resize(masterFd, size);
            }
            afterResize.run();
        };
        try (HostTerminal term = hostTerminal ? HostTerminal.stdin(resize) : HostTerminal.open(-1, null)) {
            if (!hostTerminal && initialSize != null) {
                resize.accept(initialSize);
            }
            InputPump pump = in == null ? null : InputPump.start(in, masterFd, fd -> { }, "kpod-tty-in");
            try {
                copyOut(masterFd, finished);
            } finally {
                if (pump != null) {
                    pump.stop();
                }
                synchronized (pump == null ? masterLock : pump.lock()) {
                    synchronized (masterLock) {
                        closed[0] = true;
                        PosixIo.close(masterFd);
                    }
                }
            }
        }
    }

    private void copyOut(int masterFd, BooleanSupplier finished) throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            int events = PosixIo.pollIn(masterFd, POLL_SLICE_MS);
            if (events == 0) {
                if (finished.getAsBoolean() && PosixIo.pollIn(masterFd, 0) == 0) {
                    // the process is gone but something else (a background child) holds the slave
                    return;
                }
                continue;
            }
            int n = PosixIo.read(masterFd, buf);
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
            out.flush();
        }
    }
}
