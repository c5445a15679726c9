package io.kpod.engine.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The system calls kpod makes directly instead of forking a tool: mounts, device nodes,
 * extended attributes, ownership, signals. Every method throws {@link IOException} carrying
 * the call, the path and the kernel's reason.
 */
public final class Libc {
    /** The raw C functions, bound once through jnr-ffi. */
    public interface Native {
        @SaveError int mount(String source, String target, String fstype, long flags, String data);
        @SaveError int umount2(String target, int flags);
        @SaveError int mknod(String path, int mode, long dev);
        @SaveError int lsetxattr(String path, String name, byte[] value, @size_t long size, int flags);
        @SaveError @ssize_t long lgetxattr(String path, String name, byte[] value, @size_t long size);
        @SaveError @ssize_t long llistxattr(String path, byte[] list, @size_t long size);
        @SaveError int lchown(String path, int uid, int gid);
        @SaveError int chown(String path, int uid, int gid);
        @SaveError int kill(int pid, int sig);
        @SaveError int utimensat(int dirfd, String path, long[] times, int flags);
        @SaveError int chmod(String path, int mode);
        @SaveError int open(String path, int flags);
        @SaveError int close(int fd);
        @SaveError int setns(int fd, int nstype);
        String strerror(int errnum);
        int getuid();
        int umask(int mask);
    }

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1 << 18;
    public static final int MNT_DETACH = 2;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFIFO = 0010000;
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINVAL = 22;
    public static final int EBUSY = 16;
    public static final int ENODATA = 61;

    private static final class Holder {
        static final Native LIBC = LibraryLoader.create(Native.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private Libc() {
    }

    private static Native libc() {
        return Holder.LIBC;
    }

    private static int errno() {
        return LastError.getLastError(Holder.RUNTIME);
    }

    private static IOException failure(String call, Object target) {
        int err = errno();
        return new ErrnoException(call + " " + target + ": " + libc().strerror(err), err);
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

    /** O_RDONLY | O_CLOEXEC. */
    private static final int O_RDONLY_CLOEXEC = 02000000;
    /** CLONE_NEWNET. */
    public static final int CLONE_NEWNET = 0x40000000;

    /**
     * Moves the calling thread (only it: Linux namespaces are per thread) into the network
     * namespace at {@code nsPath}, such as {@code /proc/PID/ns/net}. Use a thread of its own.
     */
    public static void enterNetns(Path nsPath) throws IOException {
        int fd = libc().open(nsPath.toString(), O_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw failure("open", nsPath);
        }
        try {
            if (libc().setns(fd, CLONE_NEWNET) != 0) {
                throw failure("setns", nsPath);
            }
        } finally {
            libc().close(fd);
        }
    }

    public static void mount(String source, Path target, String fstype, long flags, String data) throws IOException {
        if (libc().mount(source, target.toString(), fstype, flags, data) != 0) {
            throw failure("mount " + fstype + " " + source + " on", target);
        }
    }

    /** Unmounts {@code target}; a path that is not mounted is not an error. */
    public static void unmount(Path target, boolean detach) throws IOException {
        if (libc().umount2(target.toString(), detach ? MNT_DETACH : 0) != 0) {
            int err = errno();
            if (err == EINVAL || err == ENOENT) {
                return;
            }
            throw new ErrnoException("umount " + target + ": " + libc().strerror(err), err);
        }
    }

    public static void mknod(Path path, int mode, int major, int minor) throws IOException {
        long dev = ((long) (major & 0xfff) << 8) | (minor & 0xff) | ((long) (minor & ~0xff) << 12);
        if (libc().mknod(path.toString(), mode, dev) != 0) {
            throw failure("mknod", path);
        }
    }

    public static void setXattr(Path path, String name, byte[] value) throws IOException {
        if (libc().lsetxattr(path.toString(), name, value, value.length, 0) != 0) {
            throw failure("setxattr " + name, path);
        }
    }

    /** Returns the attribute's value, or null when the file has no such attribute. */
    public static byte[] getXattr(Path path, String name) throws IOException {
        byte[] buf = new byte[65536];
        long n = libc().lgetxattr(path.toString(), name, buf, buf.length);
        if (n < 0) {
            if (errno() == ENODATA) {
                return null;
            }
            throw failure("getxattr " + name, path);
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, 0, out, 0, (int) n);
        return out;
    }

    /** Names of all extended attributes of {@code path} (not following a symlink). */
    public static java.util.List<String> listXattrs(Path path) throws IOException {
        byte[] buf = new byte[65536];
        long n = libc().llistxattr(path.toString(), buf, buf.length);
        if (n < 0) {
            throw failure("listxattr", path);
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == 0) {
                if (i > start) {
                    names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return names;
    }

    public static void lchown(Path path, int uid, int gid) throws IOException {
        if (libc().lchown(path.toString(), uid, gid) != 0) {
            throw failure("lchown", path);
        }
    }

    public static void chmod(Path path, int mode) throws IOException {
        if (libc().chmod(path.toString(), mode) != 0) {
            throw failure("chmod", path);
        }
    }

    /** Sets access and modification time (seconds, nanoseconds) without following symlinks. */
    public static void lutimes(Path path, long seconds, long nanos) throws IOException {
        long[] times = {seconds, nanos, seconds, nanos};
        if (libc().utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw failure("utimensat", path);
        }
    }

    /** Sends {@code signal} to {@code pid}; returns false when the process does not exist. */
    public static boolean kill(int pid, int signal) throws IOException {
        if (libc().kill(pid, signal) != 0) {
            if (errno() == ESRCH) {
                return false;
            }
            throw failure("kill " + signal, pid);
        }
        return true;
    }

    public static int getuid() {
        return libc().getuid();
    }
}
