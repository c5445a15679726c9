package io.kpod.engine.runtime.attach;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies our input into a descriptor on a daemon thread. {@link System#in} is read straight
 * from fd 0 with short polls, so the thread notices {@link #stop()} and never swallows a
 * keystroke after the session ends; any other stream is read as a stream. Writes and the
 * owner's close of the target fd are serialized on {@link #lock()}, so a late write can never
 * hit a reused descriptor number.
 */
final class InputPump {
    /** What happens at the end of input (not called after stop). */
    interface EndOfInput {
        void reached(int fd) throws IOException;
    }

    private static final int POLL_SLICE_MS = 100;

    private final Object lock = new Object();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final int targetFd;
    private final Thread thread;

    private InputPump(InputStream in, int targetFd, EndOfInput end, String name) {
        this.targetFd = targetFd;
        this.thread = new Thread(() -> loop(in, end), name);
        thread.setDaemon(true);
    }

    static InputPump start(InputStream in, int targetFd, EndOfInput end, String name) {
        InputPump p = new InputPump(in, targetFd, end, name);
        p.thread.start();
        return p;
    }

    Object lock() {
        return lock;
    }

    /** After this returns no further write reaches the target fd. */
    void stop() {
        synchronized (lock) {
            stopped.set(true);
        }
    }

    private void loop(InputStream in, EndOfInput end) {
        byte[] buf = new byte[8192];
        boolean fromFd0 = in == System.in;
        try {
            while (!stopped.get()) {
                int n;
                if (fromFd0) {
                    if (PosixIo.pollIn(0, POLL_SLICE_MS) == 0) {
                        continue;
                    }
                    n = PosixIo.read(0, buf);
                } else {
                    n = in.read(buf);
                }
                synchronized (lock) {
                    if (stopped.get()) {
                        return;
                    }
                    if (n < 0) {
                        end.reached(targetFd);
                        return;
                    }
                    if (n > 0) {
                        PosixIo.writeFully(targetFd, buf, n);
                    }
                }
            }
        } catch (IOException e) {
            // the far side went away (EPIPE, closed socket); output handling notices and ends the session
        }
    }
}
