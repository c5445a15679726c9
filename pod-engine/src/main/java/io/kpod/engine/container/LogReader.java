package io.kpod.engine.container;

import io.kpod.spec.KpodException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Reads conmon's k8s-file logs: {@code <RFC3339Nano> <stdout|stderr> <F|P> <text>} per line,
 * P marking a partial line to be joined with the next. Supports tail, since/until and follow.
 */
public final class LogReader {
    /** One logical line of output. */
    public record Entry(Instant time, String rawTime, boolean stderr, String text, boolean partial) {
    }

    /** Where entries go. */
    @FunctionalInterface
    public interface Sink {
        void accept(Entry e) throws IOException;
    }

    private LogReader() {
    }

    static Entry parse(String line) {
        int s1 = line.indexOf(' ');
        int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
        int s3 = s2 < 0 ? -1 : line.indexOf(' ', s2 + 1);
        if (s1 < 0 || s2 < 0) {
            return null;
        }
        String ts = line.substring(0, s1);
        String stream = line.substring(s1 + 1, s2);
        String tag = s3 < 0 ? line.substring(s2 + 1) : line.substring(s2 + 1, s3);
        String text = s3 < 0 ? "" : line.substring(s3 + 1);
        Instant t;
        try {
            t = OffsetDateTime.parse(ts).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
        return new Entry(t, ts, stream.equals("stderr"), text, tag.startsWith("P"));
    }

    /**
     * Sends the log's entries to {@code sink}: the last {@code tail} (negative for all), only
     * those at or after {@code since}; with {@code follow}, keeps reading until {@code running}
     * turns false and the file has no more.
     */
    public static void read(Path log, int tail, Instant since, Instant until, boolean follow,
                            BooleanSupplier running, Sink sink) {
        try {
            if (!Files.exists(log)) {
                if (!follow) {
                    return;
                }
                while (!Files.exists(log) && running.getAsBoolean()) {
                    Thread.sleep(100);
                }
                if (!Files.exists(log)) {
                    return;
                }
            }
            try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                List<Entry> initial = new ArrayList<>();
                StringBuilder pending = new StringBuilder();
                long pos = readLines(f, 0, pending, initial);
                Deque<Entry> selected = new ArrayDeque<>();
                for (Entry e : initial) {
                    if ((since == null || !e.time().isBefore(since)) && (until == null || !e.time().isAfter(until))) {
                        selected.add(e);
                        if (tail >= 0 && countLines(selected) > tail) {
                            dropFirstLine(selected);
                        }
                    }
                }
                if (tail == 0) {
                    selected.clear();
                }
                for (Entry e : selected) {
                    sink.accept(e);
                }
                while (follow) {
                    boolean alive = running.getAsBoolean();
                    List<Entry> more = new ArrayList<>();
                    pos = readLines(f, pos, pending, more);
                    for (Entry e : more) {
                        sink.accept(e);
                    }
                    if (!alive && more.isEmpty()) {
                        return;
                    }
                    if (more.isEmpty()) {
                        Thread.sleep(100);
                    }
                }
            }
        } catch (IOException e) {
            throw KpodException.internal("cannot read log " + log + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int countLines(Deque<Entry> entries) {
        int n = 0;
        for (Entry e : entries) {
            if (!e.partial()) {
                n++;
            }
        }
        return n;
    }

    private static void dropFirstLine(Deque<Entry> entries) {
        while (!entries.isEmpty()) {
            Entry e = entries.removeFirst();
            if (!e.partial()) {
                return;
            }
        }
    }

    private static long readLines(RandomAccessFile f, long pos, StringBuilder pending, List<Entry> out)
            throws IOException {
        long len = f.length();
        if (len <= pos) {
            return pos;
        }
        f.seek(pos);
        byte[] buf = new byte[(int) Math.min(len - pos, 16 * 1024 * 1024)];
        f.readFully(buf);
        String chunk = new String(buf, StandardCharsets.UTF_8);
        pending.append(chunk);
        int nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
            Entry e = parse(pending.substring(0, nl));
            if (e != null) {
                out.add(e);
            }
            pending.delete(0, nl + 1);
        }
        return pos + buf.length;
    }
}
