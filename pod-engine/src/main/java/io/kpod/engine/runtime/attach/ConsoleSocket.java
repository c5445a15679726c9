package io.kpod.engine.runtime.attach;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import jnr.ffi.Pointer;

/**
 * A listening AF_UNIX stream socket for runc's {@code --console-socket}: runc connects once
 * and sends the pty master as an SCM_RIGHTS message. Socket paths must fit sun_path (107
 * bytes), so by default it lives in a fresh private directory under /tmp.
 */
public final class ConsoleSocket implements AutoCloseable {
    private static final int POLL_SLICE_MS = 50;

    private final Path path;
    private final Path ownedDir;
    private int listenFd;

    private ConsoleSocket(Path path, Path ownedDir, int listenFd) {
        this.path = path;
        this.ownedDir = ownedDir;
        this.listenFd = listenFd;
    }

    /** Listens in a new private directory {@code /tmp/kpod-cs-*}, removed again by {@link #close()}. */
    public static ConsoleSocket open() {
        Path dir;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "kpod-cs-");
        } catch (IOException e) {
            throw KpodException.runtime("cannot create a directory for the console socket: " + e.getMessage(), e);
        }
        try {
            return listen(dir.resolve("console.sock"), dir);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** Listens at a fresh name inside {@code dir}, which must exist and be short enough. */
    public static ConsoleSocket open(Path dir) {
        String name = "cs-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".sock";
        return listen(dir.toAbsolutePath().resolve(name), null);
    }

    private static ConsoleSocket listen(Path path, Path ownedDir) {
        int len = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (len > PosixIo.SUN_PATH_MAX) {
            throw KpodException.invalid("console socket path " + path + " is " + len
                    + " bytes; a unix socket path must be at most " + PosixIo.SUN_PATH_MAX + ": use a shorter directory");
        }
        int fd = -1;
        try {
            fd = PosixIo.socket(PosixIo.SOCK_STREAM);
            if (PosixIo.libc().bind(fd, PosixIo.sockaddr(path.toString()), 110) != 0) {
                throw PosixIo.failure("bind " + path);
            }
            if (PosixIo.libc().listen(fd, 1) != 0) {
                throw PosixIo.failure("listen " + path);
            }
            return new ConsoleSocket(path, ownedDir, fd);
        } catch (IOException e) {
            PosixIo.close(fd);
            throw KpodException.runtime("cannot create console socket: " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /**
     * Waits for the runtime to connect and send the pty master. Returns the received fd
     * (close-on-exec, owned by the caller), or -1 when {@code giveUp} turned true first, e.g.
     * because runc exited without connecting. Throws a RUNTIME error on timeout.
     */
    public int receive(Duration timeout, BooleanSupplier giveUp) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (PosixIo.pollIn(listenFd, POLL_SLICE_MS) == 0) {
                if (giveUp.getAsBoolean()) {
                    // one last look: the runtime may have connected just before it exited
                    if (PosixIo.pollIn(listenFd, 0) == 0) {
                        return -1;
                    }
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw KpodException.runtime("the OCI runtime did not send a terminal within "
                            + timeout.toSeconds() + "s");
                }
            }
            int conn = PosixIo.libc().accept4(listenFd, null, null, PosixIo.SOCK_CLOEXEC);
            if (conn < 0) {
                throw PosixIo.failure("accept on " + path);
            }
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                if (PosixIo.pollIn(conn, (int) Math.min(left, Integer.MAX_VALUE)) == 0) {
                    throw KpodException.runtime("the OCI runtime connected to the console socket but sent nothing");
                }
                return receiveFd(conn);
            } finally {
                PosixIo.close(conn);
            }
        } catch (IOException e) {
            throw KpodException.runtime("cannot receive the terminal from the OCI runtime: " + e.getMessage(), e);
        }
    }

    /** One recvmsg with room for a few descriptors; keeps the first, closes any others. */
    private static int receiveFd(int conn) throws IOException {
        final int dataLen = 4096;
        final int controlLen = 64;
        Pointer data = PosixIo.allocate(dataLen);
        Pointer iov = PosixIo.allocate(16);
        iov.putAddress(0, data.address());
        iov.putLong(8, dataLen);
        Pointer control = PosixIo.allocate(controlLen);
        Pointer msg = PosixIo.allocate(56);
        msg.putAddress(16, iov.address());
        msg.putLong(24, 1);
        msg.putAddress(32, control.address());
        msg.putLong(40, controlLen);
        long n;
        do {
            n = PosixIo.libc().recvmsg(conn, msg, PosixIo.MSG_CMSG_CLOEXEC);
        } while (n < 0 && PosixIo.errno() == PosixIo.EINTR);
        if (n < 0) {
            throw PosixIo.failure("recvmsg");
        }
        long controlUsed = msg.getLong(40);
        int fd = -1;
        long off = 0;
        while (off + 16 <= controlUsed) {
            long cmsgLen = control.getLong(off);
            if (cmsgLen < 16) {
                break;
            }
            int level = control.getInt(off + 8);
            int type = control.getInt(off + 12);
            if (level == PosixIo.SOL_SOCKET && type == PosixIo.SCM_RIGHTS) {
                for (long p = off + 16; p + 4 <= off + cmsgLen; p += 4) {
                    int received = control.getInt(p);
                    if (fd < 0) {
                        fd = received;
                    } else {
                        PosixIo.close(received);
                    }
                }
            }
            off += (cmsgLen + 7) & ~7L;
        }
        if (fd < 0) {
            throw new IOException("the console socket message carried no file descriptor");
        }
        return fd;
    }

    /** Stops listening and removes the socket (and its directory when this class made it). */
    @Override
    public void close() {
        PosixIo.close(listenFd);
        listenFd = -1;
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover socket file in a private directory harms nothing
        }
        if (ownedDir != null) {
            deleteQuietly(ownedDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // best effort: the directory is private and empty
        }
    }
}
