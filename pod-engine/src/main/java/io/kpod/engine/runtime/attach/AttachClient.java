package io.kpod.engine.runtime.attach;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * A client of conmon's attach socket (AF_UNIX SOCK_SEQPACKET). Each packet from conmon is one
 * stream byte ({@link #STDOUT} or {@link #STDERR}; a terminal's output is all STDOUT) and the
 * payload; our input goes the other way as raw packets and reaches the container's stdin only
 * when conmon ran with {@code -i}. End of input is {@code shutdown(SHUT_WR)}: conmon then
 * closes the container's stdin (unless {@code --leave-stdin-open}) while we keep reading
 * output. conmon closes the socket when the container has exited and its output is drained.
 * Output from before the connection is not replayed, so connect between create and start.
 */
public final class AttachClient implements AutoCloseable {
    public static final int STDOUT = 2;
    public static final int STDERR = 3;
    /** conmon reads 8192-byte payloads plus the stream byte. */
    private static final int PACKET = 8193;

    private final Object closeLock = new Object();
    private int fd;

    private AttachClient(int fd) {
        this.fd = fd;
    }

    /** Where conmon {@code --full-attach} puts the socket: {@code <bundle>/attach}. */
    public static Path socketPath(Path bundle) {
        return bundle.resolve("attach");
    }

    /** Connects now; paths longer than sun_path are reached through /proc/self/fd. */
    public static AttachClient connect(Path socket) {
        try {
            return new AttachClient(PosixIo.connectUnix(socket, PosixIo.SOCK_SEQPACKET));
        } catch (IOException e) {
            throw KpodException.runtime("cannot attach to " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Connects and copies until the container exits; see {@link #pump}. */
    public static void attach(Path socket, InputStream stdinOrNull, OutputStream out, OutputStream err) throws IOException {
        try (AttachClient c = connect(socket)) {
            c.pump(stdinOrNull, out, err);
        }
    }

    /**
     * Copies {@code stdinOrNull} to the container (then half-closes) and its output to
     * {@code out}/{@code err} until conmon closes the socket. A null {@code err} sends stderr to
     * {@code out}. A null {@code stdinOrNull} leaves the container's stdin open, as podman does
     * for {@code run -i} with nothing to send; pass an empty stream to close it at once.
     */
    public void pump(InputStream stdinOrNull, OutputStream out, OutputStream err) throws IOException {
        InputPump pump = stdinOrNull == null ? null
                : InputPump.start(stdinOrNull, fd, s -> PosixIo.shutdown(s, PosixIo.SHUT_WR), "kpod-attach-in");
        try {
            byte[] buf = new byte[PACKET];
            while (true) {
                int n = PosixIo.read(fd, buf);
                if (n < 0) {
                    return;
                }
                if (n < 2) {
                    continue;
                }
                OutputStream target = buf[0] == STDERR && err != null ? err : out;
                target.write(buf, 1, n - 1);
                target.flush();
            }
        } finally {
            if (pump != null) {
                pump.stop();
            }
        }
    }

    /** Ends our input early, e.g. after writing a fixed payload through {@link #write}. */
    public void closeInput() throws IOException {
        synchronized (closeLock) {
            PosixIo.shutdown(fd, PosixIo.SHUT_WR);
        }
    }

    /** Sends bytes to the container's stdin (one packet per call). */
    public void write(byte[] data) throws IOException {
        synchronized (closeLock) {
            PosixIo.writeFully(fd, data, data.length);
        }
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            PosixIo.close(fd);
            fd = -1;
        }
    }
}
