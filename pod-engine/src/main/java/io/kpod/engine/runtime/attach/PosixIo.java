package io.kpod.engine.runtime.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The fd-level system calls behind terminals and attach: AF_UNIX sockets,
 * read/write/poll on raw descriptors, and termios/window-size ioctls. Struct layouts are the
 * LP64 Linux ones (x86_64, aarch64); anything else is refused when the class loads.
 */
public final class PosixIo {
    /** The raw C functions, bound once through jnr-ffi. */
    public interface Native {
        @SaveError int socket(int domain, int type, int protocol);
        @SaveError int connect(int fd, Pointer addr, int len);
        @SaveError @ssize_t long read(int fd, @Out byte[] buf, @size_t long count);
        @SaveError @ssize_t long write(int fd, @In byte[] buf, @size_t long count);
        @SaveError int poll(Pointer fds, long nfds, int timeout);
        @SaveError int shutdown(int fd, int how);
        @SaveError int close(int fd);
        @SaveError int ioctl(int fd, long request, Pointer arg);
        @SaveError int tcgetattr(int fd, Pointer termios);
        @SaveError int tcsetattr(int fd, int action, Pointer termios);
        void cfmakeraw(Pointer termios);
        int isatty(int fd);
        @SaveError int open(String path, int flags);
        String strerror(int errnum);
        @SaveError int posix_openpt(int flags);
        @SaveError int grantpt(int fd);
        @SaveError int unlockpt(int fd);
        @SaveError int ptsname_r(int fd, @Out byte[] buf, @size_t long len);
    }

    /** A terminal's size in character cells. */
    public record WinSize(int rows, int cols) {
    }

    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ECONNRESET = 104;
    public static final int EAGAIN = 11;
    public static final int ENXIO = 6;
    public static final int O_WRONLY = 1;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;
    public static final int O_RDWR = 2;
    public static final int O_NOCTTY = 0x100;
    static final long TIOCGWINSZ = 0x5413;
    static final long TIOCSWINSZ = 0x5414;
    static final int TCSANOW = 0;
    /** sizeof(struct termios) is 60 with glibc; leave room so a libc change cannot overrun. */
    static final int TERMIOS_BYTES = 256;
    /** sun_path holds 108 bytes including the terminating NUL. */
    public static final int SUN_PATH_MAX = 107;

    private static final class Holder {
        static final Native LIBC = LibraryLoader.create(Native.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

        static {
            if (RUNTIME.addressSize() != 8) {
                throw new IllegalStateException("attach system calls support only 64-bit Linux");
            }
        }
    }

    private PosixIo() {
    }

    static Native libc() {
        return Holder.LIBC;
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    public static int errno() {
        return LastError.getLastError(Holder.RUNTIME);
    }

    /** An {@link IOException} that keeps the errno of the failed call. */
    public static final class ErrnoException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int errno;

        ErrnoException(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    static ErrnoException failure(String what) {
        int err = errno();
        return new ErrnoException(what + ": " + libc().strerror(err), err);
    }

    static Pointer allocate(int bytes) {
        return Memory.allocateDirect(Holder.RUNTIME, bytes, true);
    }

    /** A sockaddr_un for {@code path}, which must already be short enough. */
    static Pointer sockaddr(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length > SUN_PATH_MAX) {
            throw new IllegalArgumentException("socket path longer than " + SUN_PATH_MAX + " bytes: " + path);
        }
        Pointer addr = allocate(110);
        addr.putShort(0, (short) AF_UNIX);
        addr.put(2, p, 0, p.length);
        return addr;
    }

    public static int socket(int type) throws IOException {
        int fd = libc().socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket");
        }
        return fd;
    }

    /**
     * Connects a new AF_UNIX socket of {@code type} to {@code path}. A path too long for
     * sun_path is reached through {@code /proc/self/fd/<dir fd>/<name>}, as conmon binds it.
     */
    public static int connectUnix(Path path, int type) throws IOException {
        String target = path.toString();
        int dirFd = -1;
        if (target.getBytes(StandardCharsets.UTF_8).length > SUN_PATH_MAX) {
            dirFd = libc().open(path.getParent().toString(), O_PATH | O_CLOEXEC);
            if (dirFd < 0) {
                throw failure("open " + path.getParent());
            }
            target = "/proc/self/fd/" + dirFd + "/" + path.getFileName();
        }
        int fd = socket(type);
        try {
            while (libc().connect(fd, sockaddr(target), 110) != 0) {
                if (errno() != EINTR) {
                    throw failure("connect " + path);
                }
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            close(fd);
            throw e;
        } finally {
            if (dirFd >= 0) {
                close(dirFd);
            }
        }
    }

    /** Reads up to {@code buf.length} bytes; -1 on EOF, and EIO (a pty whose slave closed) counts as EOF. */
    public static int read(int fd, byte[] buf) throws IOException {
        while (true) {
            long n = libc().read(fd, buf, buf.length);
            if (n > 0) {
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            int err = errno();
            // EIO: a pty whose other side closed; ECONNRESET: conmon closed the attach socket
            // while input we sent was still unread (the container had no stdin): both end the session
            if (err == EIO || err == ECONNRESET) {
                return -1;
            }
            if (err != EINTR && err != EAGAIN) {
                throw new ErrnoException("read: " + libc().strerror(err), err);
            }
        }
    }

    /** Writes all of {@code buf[0..len)}. */
    public static void writeFully(int fd, byte[] buf, int len) throws IOException {
        byte[] rest = buf;
        int left = len;
        while (left > 0) {
            long n = libc().write(fd, rest, left);
            if (n < 0) {
                if (errno() == EINTR) {
                    continue;
                }
                throw failure("write");
            }
            left -= (int) n;
            if (left > 0) {
                byte[] tail = new byte[left];
                System.arraycopy(rest, (int) n, tail, 0, left);
                rest = tail;
            }
        }
    }

    /**
     * Waits until {@code fd} is readable or hung up; returns the revents bits, or 0 on
     * timeout or when a signal interrupted the wait.
     */
    public static int pollIn(int fd, int timeoutMillis) throws IOException {
        Pointer p = allocate(8);
        p.putInt(0, fd);
        p.putShort(4, POLLIN);
        int r = libc().poll(p, 1, timeoutMillis);
        if (r < 0) {
            if (errno() == EINTR) {
                return 0;
            }
            throw failure("poll");
        }
        return r == 0 ? 0 : p.getShort(6) & 0xffff;
    }

    public static void shutdown(int fd, int how) throws IOException {
        if (libc().shutdown(fd, how) != 0) {
            throw failure("shutdown");
        }
    }

    /** Closes {@code fd}, ignoring errors: there is nothing useful to do about them. */
    public static void close(int fd) {
        if (fd >= 0) {
            libc().close(fd);
        }
    }

    public static boolean isatty(int fd) {
        return libc().isatty(fd) == 1;
    }

    /** The terminal size of {@code fd}, or null when it is not a terminal. */
    public static WinSize windowSize(int fd) {
        Pointer ws = allocate(8);
        if (libc().ioctl(fd, TIOCGWINSZ, ws) != 0) {
            return null;
        }
        return new WinSize(ws.getShort(0) & 0xffff, ws.getShort(2) & 0xffff);
    }

    public static void setWindowSize(int fd, WinSize size) throws IOException {
        Pointer ws = allocate(8);
        ws.putShort(0, (short) size.rows());
        ws.putShort(2, (short) size.cols());
        if (libc().ioctl(fd, TIOCSWINSZ, ws) != 0) {
            throw failure("set terminal size");
        }
    }

    /** Puts the terminal {@code fd} in raw mode (no echo, no line editing, no signals, no output processing). */
    public static void makeRaw(int fd) throws IOException {
        Pointer t = allocate(TERMIOS_BYTES);
        if (libc().tcgetattr(fd, t) != 0) {
            throw failure("tcgetattr");
        }
        libc().cfmakeraw(t);
        if (libc().tcsetattr(fd, TCSANOW, t) != 0) {
            throw failure("tcsetattr");
        }
    }

    /** Opens a Unix 98 pty master (close-on-exec, not our controlling terminal) and unlocks its slave. */
    public static int openPtyMaster() throws IOException {
        int fd = libc().posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            throw failure("posix_openpt");
        }
        if (libc().grantpt(fd) != 0 || libc().unlockpt(fd) != 0) {
            IOException e = failure("unlockpt");
            close(fd);
            throw e;
        }
        return fd;
    }

    /** The slave device path of a pty master, e.g. /dev/pts/3. */
    public static Path ptsName(int masterFd) throws IOException {
        byte[] buf = new byte[128];
        int r = libc().ptsname_r(masterFd, buf, buf.length);
        if (r != 0) {
            throw new ErrnoException("ptsname: " + libc().strerror(r), r);
        }
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return Path.of(new String(buf, 0, len, StandardCharsets.UTF_8));
    }

    /** Opens a file with raw open(2) flags; the caller closes the descriptor. */
    public static int open(Path path, int flags) throws IOException {
        int fd = libc().open(path.toString(), flags | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open " + path);
        }
        return fd;
    }
}
