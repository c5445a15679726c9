package io.kpod.engine.systemd;

import io.kpod.spec.KpodException;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * sd_notify(3) without libsystemd: one datagram of {@code KEY=VALUE} lines to the unix socket
 * {@code NOTIFY_SOCKET} names (a path, or {@code @name} for the abstract namespace). Java 17 has
 * no AF_UNIX datagram sockets, so this goes through libc.
 */
public final class SdNotify {
    /** The libc calls, bound once. */
    public interface Native {
        int socket(int domain, int type, int protocol);
        @SaveError @ssize_t long sendto(int fd, byte[] buf, @size_t long len, int flags, byte[] addr, int addrlen);
        int close(int fd);
        String strerror(int errnum);
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_MAX = 108;

    private static final class Holder {
        static final Native LIBC = LibraryLoader.create(Native.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private SdNotify() {
    }

    /** The {@code struct sockaddr_un} for a socket path (pure, for tests). */
    static byte[] address(String socket) {
        boolean abstractName = socket.startsWith("@");
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        if (path.length >= SUN_PATH_MAX) {
            throw KpodException.invalid("NOTIFY_SOCKET " + socket + " is too long for a unix socket address");
        }
        int len = 2 + path.length + (abstractName ? 0 : 1);
        byte[] addr = new byte[len];
        addr[0] = (byte) AF_UNIX;
        addr[1] = 0;
        System.arraycopy(path, 0, addr, 2, path.length);
        if (abstractName) {
            addr[2] = 0;
        }
        return addr;
    }

    /** Sends {@code message} (e.g. {@code "MAINPID=42\nREADY=1\n"}) to the socket. */
    public static void send(String socket, String message) {
        byte[] addr = address(socket);
        byte[] buf = message.getBytes(StandardCharsets.UTF_8);
        Native libc = Holder.LIBC;
        int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw KpodException.runtime("cannot create a socket for sd_notify: "
                    + libc.strerror(LastError.getLastError(Holder.RUNTIME)));
        }
        try {
            long n = libc.sendto(fd, buf, buf.length, MSG_NOSIGNAL, addr, addr.length);
            if (n < 0) {
                throw KpodException.runtime("cannot notify systemd at " + socket + ": "
                        + libc.strerror(LastError.getLastError(Holder.RUNTIME)));
            }
        } finally {
            libc.close(fd);
        }
    }
}
