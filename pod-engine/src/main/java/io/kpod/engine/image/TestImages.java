package io.kpod.engine.image;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The busybox test image, built from the host's static busybox (Debian's busybox-static): a
 * rootfs tar with {@code bin/busybox}, one symlink per applet, the usual top-level dirs and a
 * passwd/group with root and nobody. Used by engine and e2e tests and {@code make demo}:
 * {@code java -cp … io.kpod.engine.image.TestImages OUT.tar}.
 */
public final class TestImages {
    public static final String BUSYBOX_NAME = "localhost/busybox:latest";
    public static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Fixed entry times, so the tar and its diff-id are the same on every build. */
    private static final FileTime MTIME = FileTime.from(1704067200L, TimeUnit.SECONDS);
    private static final List<String> FIXED_DIRS =
            List.of("bin", "dev", "etc", "proc", "root", "sys", "tmp", "usr", "var", "var/www");

    private TestImages() {
    }

    /** The {@code --change} list that gives the image Podman's busybox defaults. */
    public static List<String> busyboxChanges() {
        return List.of("CMD [\"sh\"]", "ENV PATH=" + DEFAULT_PATH);
    }

    /** Writes the busybox rootfs tar made from the host's {@code /bin/busybox}. */
    public static void writeBusyboxRootfs(Path outTar) {
        writeBusyboxRootfs(HOST_BUSYBOX, outTar);
    }

    /** Writes a rootfs tar around the given static busybox binary. */
    public static void writeBusyboxRootfs(Path busybox, Path outTar) {
        if (!Files.isExecutable(busybox)) {
            throw KpodException.notFound(busybox + " not found: install Debian's busybox-static package");
        }
        List<String> applets = applets(busybox);
        TreeSet<String> dirs = new TreeSet<>(FIXED_DIRS);
        for (String a : applets) {
            for (Path d = Path.of(a).getParent(); d != null; d = d.getParent()) {
                dirs.add(d.toString());
            }
        }
        try (OutputStream file = Files.newOutputStream(outTar);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : dirs) {
                int mode = d.equals("tmp") ? 01777 : d.equals("root") ? 0700 : 0755;
                put(tar, new TarArchiveEntry(d + "/", TarConstants.LF_DIR), mode, null);
            }
            TarArchiveEntry bin = new TarArchiveEntry("bin/busybox", TarConstants.LF_NORMAL);
            bin.setSize(Files.size(busybox));
            put(tar, bin, 0755, Files.readAllBytes(busybox));
            for (String a : applets) {
                if (a.equals("bin/busybox")) {
                    continue;
                }
                TarArchiveEntry link = new TarArchiveEntry(a, TarConstants.LF_SYMLINK);
                link.setLinkName("/bin/busybox");
                put(tar, link, 0777, null);
            }
            putFile(tar, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
            putFile(tar, "etc/group", "root:x:0:\nnobody:x:65534:\n");
            tar.finish();
        } catch (IOException e) {
            throw KpodException.internal("cannot write " + outTar + ": " + e.getMessage(), e);
        }
    }

    /** Builds the rootfs and imports it as {@value #BUSYBOX_NAME} with Cmd ["sh"] and a PATH. */
    public static ImageRecord importBusybox(ImageStore store) {
        try {
            Path tar = Files.createTempFile("kpod-busybox", ".tar");
            try {
                writeBusyboxRootfs(tar);
                return store.importRootfs(tar, Optional.of(BUSYBOX_NAME), busyboxChanges());
            } finally {
                Files.deleteIfExists(tar);
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot build the busybox test image: " + e.getMessage(), e);
        }
    }

    private static void putFile(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
        e.setSize(data.length);
        put(tar, e, 0644, data);
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, int mode, byte[] data) throws IOException {
        e.setMode(mode);
        e.setUserId(0);
        e.setGroupId(0);
        e.setModTime(MTIME);
        tar.putArchiveEntry(e);
        if (data != null) {
            tar.write(data);
        }
        tar.closeArchiveEntry();
    }

    /** Applet paths such as {@code bin/sh}, from one run of {@code busybox --list-full}. */
    static List<String> applets(Path busybox) {
        try {
            Process p = new ProcessBuilder(busybox.toString(), "--list-full")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw KpodException.runtime(busybox + " --list-full exited with " + p.exitValue());
            }
            List<String> applets = new ArrayList<>();
            for (String line : out.split("\n")) {
                String a = line.trim();
                if (!a.isEmpty() && !a.startsWith("/") && !a.contains("..")) {
                    applets.add(a);
                }
            }
            return applets;
        } catch (IOException e) {
            throw KpodException.runtime("cannot run " + busybox + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KpodException.runtime("interrupted while running " + busybox, e);
        }
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TestImages OUT.tar");
            System.exit(2);
        }
        try {
            writeBusyboxRootfs(Path.of(args[0]));
        } catch (KpodException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(125);
        }
    }
}
