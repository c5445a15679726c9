package io.kpod.engine.image.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;

/** Podman-style progress lines on a stream (stderr on a terminal), or nothing when the stream is null. */
final class Progress {
    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    synchronized void line(String text) {
        if (out != null) {
            out.println(text);
            out.flush();
        }
    }

    boolean quiet() {
        return out == null;
    }

    static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    /** Wraps a download so a long one reports how far it got about every 10%. */
    InputStream track(InputStream in, String what, long total) {
        if (out == null || total < (8 << 20)) {
            return in;
        }
        return new FilterInputStream(in) {
            private long seen;
            private long nextReport = total / 10;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    seen += n;
                    if (seen >= nextReport && seen < total) {
                        line("Copying " + what + " " + size(seen) + " / " + size(total));
                        nextReport += total / 10;
                    }
                }
                return n;
            }
        };
    }
}
