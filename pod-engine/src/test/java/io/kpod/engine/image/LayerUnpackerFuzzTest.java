package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kpod.engine.sys.FileTrees;
import io.kpod.spec.KpodException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link LayerUnpacker} with mutated layers: a few valid tars (directories, files,
 * symlinks in and out of the layer, hardlinks, whiteouts, an opaque marker, devices, a FIFO,
 * xattrs, a PAX long name) are bit-flipped, overwritten, truncated, spliced, gzipped, given
 * hostile names, link targets, types, sizes and PAX records; and hand-written sequences go
 * through a symlink that leaves the layer. For every case the unpacker either succeeds or
 * throws a {@link KpodException}, within a timeout, and the sandbox around the layer
 * directory (holding the link targets) is byte for byte, mode for mode, as before.
 * The seed is fixed so that a failure names a case that can be run again.
 */
class LayerUnpackerFuzzTest {
    private static final long SEED = 0x6b706f64L;
    private static final int MUTATIONS = 1000;
    private static final Duration PER_CASE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    private Path sandbox;
    private Path outside;
    private Path layerParent;
    private Map<String, String> sandboxBefore;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int cases;

    @BeforeEach
    void sandbox() throws IOException {
        sandbox = Files.createDirectory(tmp.resolve("sandbox"));
        outside = Files.createDirectories(sandbox.resolve("outside/dir"));
        outside = outside.getParent();
        Files.writeString(outside.resolve("secret"), "s");
        Files.writeString(outside.resolve("dir/inner"), "i");
        Files.createSymbolicLink(outside.resolve("back"), Path.of("../a/b/c/layer"));
        // deep enough that every "../" a mutation writes (at most 5) stays inside the sandbox
        layerParent = Files.createDirectories(sandbox.resolve("a/b/c"));
        sandboxBefore = sandboxSnapshot();
    }

    /** The sandbox, where only the layer's parent may change (its mtime: the layer dir comes and goes). */
    private Map<String, String> sandboxSnapshot() {
        Map<String, String> s = TreeSnapshot.of(sandbox);
        s.computeIfPresent("a/b/c", (k, v) -> v.replaceAll(" mtime=-?\\d+", ""));
        return s;
    }

    private List<byte[]> seeds() {
        String out = outside.toString();
        byte[] rich = new TarBuilder()
                .dir("etc", 0755).file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                .dir("bin", 0755).file("bin/sh", "#!", 04755, 0, 0, Map.of("user.kpod", "v"))
                .symlink("bin/ash", "sh").hardlink("bin/busybox", "bin/sh")
                .symlink("link", out).symlink("rel", "../../../outside").symlink("dirlink", out + "/dir")
                .file("etc/.wh.shadow", "").dir("var", 0755).file("var/.wh..wh..opq", "")
                .dir("dev", 0755).device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                .dir("run", 0755).device("run/fifo", TarConstants.LF_FIFO, 0, 0, 0600)
                .file("deep/" + "n".repeat(120) + "/f", "long name through PAX")
                .file("empty", "")
                .build();
        byte[] throughLinks = new TarBuilder()
                .symlink("s", out).file("x", "x").dir("d", 0700).hardlink("h", "x").symlink("t", "s/secret")
                .file("d/y", "y")
                .build();
        byte[] small = new TarBuilder().file("a", "a").build();
        return List.of(rich, throughLinks, small);
    }

    @Test
    void mutatedLayersUnpackOrFailAsKpodExceptionsAndNeverWriteOutsideTheLayer() {
        List<byte[]> seeds = seeds();
        for (byte[] seed : seeds) {
            assertThat(run("seed", seed)).as("a seed unpacks").isEqualTo("ok");
        }
        Random rnd = new Random(SEED);
        for (int i = 0; i < MUTATIONS; i++) {
            int s = rnd.nextInt(seeds.size());
            Mutator m = new Mutator(rnd, seeds, s, outside);
            byte[] input = m.mutate();
            if (rnd.nextInt(3) == 0) {
                input = m.mutate(input); // a second mutation on top
            }
            run("mutation " + i + " of seed " + s + " (" + m.how + ")", input);
        }
        System.out.printf("LayerUnpackerFuzzTest: %d cases, outcomes %s%n", cases, outcomes);
        assertThat(outcomes.getOrDefault("ok", 0)).as("unpacked: %s", outcomes).isGreaterThan(cases / 20);
        assertThat(cases - outcomes.getOrDefault("ok", 0)).as("refused: %s", outcomes).isGreaterThan(cases / 5);
    }

    /**
     * Sequences that reach outside only through a symlink the layer made: refused where they
     * would write through it, allowed where they replace the link itself.
     */
    @Test
    void symlinkThenEntryThroughItIsRefusedOrReplacesTheLink() {
        String out = outside.toString();
        List<Function<TarBuilder, TarBuilder>> refused = List.of(
                t -> t.symlink("s", out).file("s/pwned", "x"),
                t -> t.symlink("s", out).dir("s/pwned", 0755),
                t -> t.symlink("s", out).symlink("s/pwned", "/etc/passwd"),
                t -> t.symlink("s", out).hardlink("s/pwned", "x"),
                t -> t.symlink("s", out).hardlink("h", "s/secret"),
                t -> t.symlink("s", out).file("s/.wh.secret", ""),
                t -> t.symlink("s", out).file("s/.wh..wh..opq", ""),
                t -> t.symlink("s", out).device("s/null", TarConstants.LF_CHR, 1, 3, 0666),
                t -> t.symlink("s", "../../../outside").file("s/pwned", "x"),
                t -> t.symlink("a", "b").symlink("b", out).file("a/pwned", "x"),
                t -> t.dir("d", 0755).symlink("d/s", out + "/dir").file("d/s/inner", "x"),
                t -> t.symlink("s", out).file("s/dir/inner", "x"),
                t -> t.symlink("s", out).hardlink("h", "s/dir/inner"),
                t -> t.file("../x", "x"),
                t -> t.file("a/../../../x", "x"),
                t -> t.hardlink("h", "../../../../outside/secret"));
        List<Function<TarBuilder, TarBuilder>> allowed = List.of(
                t -> t.symlink("s", out).file("s", "replaces the link"),
                t -> t.symlink("s", out).dir("s", 0755).file("s/x", "x"),
                t -> t.symlink("s", out + "/secret").hardlink("h", "s"),
                t -> t.symlink("s", out).symlink("s", "elsewhere"),
                t -> t.symlink("s", out).file(".wh.s", ""),
                t -> t.file("/abs/x", "a leading / is dropped"),
                t -> t.symlink("s", out).device("s", TarConstants.LF_FIFO, 0, 0, 0600));
        for (var c : refused) {
            assertThat(run("refused sequence " + refused.indexOf(c), c.apply(new TarBuilder()).build()))
                    .as("sequence %d", refused.indexOf(c)).isEqualTo("INVALID");
        }
        for (var c : allowed) {
            assertThat(run("allowed sequence " + allowed.indexOf(c), c.apply(new TarBuilder()).build()))
                    .as("sequence %d", allowed.indexOf(c)).isEqualTo("ok");
        }
    }

    /** Unpacks one input into a fresh layer dir; returns "ok" or the KpodException's kind. */
    private String run(String what, byte[] input) {
        cases++;
        Path layer = layerParent.resolve("layer");
        String outcome;
        try {
            Files.createDirectory(layer);
            outcome = assertTimeoutPreemptively(PER_CASE, () -> {
                try {
                    LayerUnpacker.unpack(new ByteArrayInputStream(input), layer);
                    return "ok";
                } catch (KpodException e) {
                    return e.kind().name();
                } catch (Throwable t) {
                    return fail(what + ": " + t, t);
                }
            }, what);
            FileTrees.delete(layer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(sandboxSnapshot()).as("nothing outside the layer changed after %s", what).isEqualTo(sandboxBefore);
        outcomes.merge(outcome, 1, Integer::sum);
        return outcome;
    }

    /** One random change to a seed tar: bytes, structure, or a header field rewritten with a valid checksum. */
    private static final class Mutator {
        private static final String[] OPS = {"bit flips", "overwrite", "truncate", "splice header", "rename",
            "relink", "retype", "resize", "pax record", "gzip then damage", "gzip"};
        private final Random rnd;
        private final List<byte[]> seeds;
        private final int seed;
        private final List<String> names;
        private final List<String> targets;
        String how = "";

        Mutator(Random rnd, List<byte[]> seeds, int seed, Path outside) {
            this.rnd = rnd;
            this.seeds = seeds;
            this.seed = seed;
            String out = outside.toString();
            this.names = List.of("../x", "../../../../../x", "a/../../x", "./../x", "..", ".", "/", "",
                    out + "/pwned", "/" + out + "/pwned", "link/pwned", "dirlink/inner", "rel/pwned", "s/secret",
                    "link/../x", "bin/ash/x", ".wh...", ".wh..", ".wh.", ".wh..wh..opq", "link/.wh.secret",
                    "dev/null/x", "n".repeat(300), "a/" + "b/".repeat(200), "\u00e9/\u2028", "x\\y", "etc//passwd");
            this.targets = List.of("../../outside/secret", "../../../../../outside/secret", out + "/secret", out,
                    "link/secret", "link", "dirlink/inner", "..", "", "/", "etc", "bin/sh", "bin/ash", "h", "s",
                    "nonexistent", "n".repeat(300));
        }

        byte[] mutate() {
            return mutate(seeds.get(seed));
        }

        byte[] mutate(byte[] in) {
            byte[] b = in.clone();
            if (b.length == 0) {
                return b;
            }
            int op = rnd.nextInt(OPS.length);
            List<Integer> headers = headers(b);
            if (headers.isEmpty() && op >= 3 && op <= 8) {
                op = 0; // no whole header left to change (truncated or damaged before)
            }
            how += (how.isEmpty() ? "" : ", ") + OPS[op];
            int h = headers.isEmpty() ? 0 : headers.get(rnd.nextInt(headers.size()));
            switch (op) {
                case 0 -> {
                    for (int i = 1 + rnd.nextInt(16); i > 0; i--) {
                        int at = rnd.nextInt(b.length);
                        b[at] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                case 1 -> {
                    int at = rnd.nextInt(b.length);
                    for (int i = at; i < Math.min(b.length, at + 1 + rnd.nextInt(64)); i++) {
                        b[i] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> {
                    int at = rnd.nextBoolean() ? rnd.nextInt(b.length)
                            : Math.max(0, Math.min(b.length, 512 * rnd.nextInt(b.length / 512 + 1) + rnd.nextInt(3) - 1));
                    b = Arrays.copyOf(b, at);
                }
                case 3 -> {
                    byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                    List<Integer> oh = headers(other);
                    int from = oh.get(rnd.nextInt(oh.size()));
                    if (rnd.nextBoolean() && h + 512 <= b.length) {
                        System.arraycopy(other, from, b, h, 512);
                    } else {
                        ByteArrayOutputStream o = new ByteArrayOutputStream();
                        o.write(b, 0, h);
                        o.write(other, from, 512);
                        o.write(b, h, b.length - h);
                        b = o.toByteArray();
                    }
                }
                case 4 -> field(b, h, 0, 100, pick(names));
                case 5 -> {
                    b[h + 156] = rnd.nextBoolean() ? TarConstants.LF_SYMLINK : TarConstants.LF_LINK;
                    field(b, h, 157, 100, pick(targets));
                }
                case 6 -> {
                    byte[] types = {'0', '1', '2', '3', '4', '5', '6', '7', 'g', 'x', 'L', 'K', 'S', 'V', 'D', 'M', 0, 'Z'};
                    b[h + 156] = types[rnd.nextInt(types.length)];
                    checksum(b, h);
                }
                case 7 -> field(b, h, 124, 12, pick(List.of("0", "1", "777", "1000", "1001", "77777777777",
                        "7777777777", "-1", "x", "")));
                case 8 -> {
                    String key = pick(List.of("path", "linkpath", "size", "uid", "mtime",
                            "SCHILY.xattr.trusted.overlay.redirect", "SCHILY.xattr.user.x", "LIBARCHIVE.xattr.user.%zz",
                            "GNU.sparse.map", "SCHILY.devmajor"));
                    String value = pick(List.of("../x", "/etc/x", "link/x", "99999999999999", "-1", "a\u0000b",
                            "x".repeat(1000), "", "1.5", "%%%"));
                    b = withPax(b, h, key, value);
                }
                case 9 -> {
                    b = gzip(b);
                    b = rnd.nextBoolean() ? Arrays.copyOf(b, rnd.nextInt(b.length))
                            : flip(b, 10 + rnd.nextInt(Math.max(1, b.length - 10)));
                }
                default -> b = gzip(b);
            }
            return b;
        }

        private String pick(List<String> from) {
            return from.get(rnd.nextInt(from.size()));
        }

        private static byte[] flip(byte[] b, int at) {
            b[at] ^= (byte) 0x10;
            return b;
        }

        /** Offsets of the 512-byte headers, following sizes until a zero block or the end. */
        private static List<Integer> headers(byte[] b) {
            List<Integer> out = new ArrayList<>();
            int at = 0;
            while (at + 512 <= b.length && b[at] != 0 && out.size() < 1000) {
                out.add(at);
                long size;
                try {
                    size = Long.parseLong(new String(b, at + 124, 12, StandardCharsets.US_ASCII).trim()
                            .replace("\0", ""), 8);
                } catch (NumberFormatException e) {
                    break;
                }
                at += 512 + (int) ((size + 511) / 512) * 512;
            }
            return out;
        }

        /** Writes {@code value} into a header field (NUL-padded, cut to the field) and fixes the checksum. */
        private static void field(byte[] b, int h, int offset, int length, String value) {
            if (h + 512 > b.length) {
                return;
            }
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            Arrays.fill(b, h + offset, h + offset + length, (byte) 0);
            System.arraycopy(v, 0, b, h + offset, Math.min(v.length, length));
            checksum(b, h);
        }

        static void checksum(byte[] b, int h) {
            if (h + 512 > b.length) {
                return;
            }
            Arrays.fill(b, h + 148, h + 156, (byte) ' ');
            long sum = 0;
            for (int i = 0; i < 512; i++) {
                sum += b[h + i] & 0xff;
            }
            byte[] c = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(c, 0, b, h + 148, 8);
        }

        /** Inserts a PAX extended header with one record before the header at {@code h}. */
        private static byte[] withPax(byte[] b, int h, String key, String value) {
            String body = " " + key + "=" + value + "\n";
            int len = body.getBytes(StandardCharsets.UTF_8).length;
            int total = len + Integer.toString(len).length();
            if (Integer.toString(total).length() != Integer.toString(len).length()) {
                total++;
            }
            byte[] record = (total + body).getBytes(StandardCharsets.UTF_8);
            byte[] header = new byte[512];
            byte[] name = "PaxHeaders/x".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, header, 0, name.length);
            System.arraycopy("0000644\0".getBytes(StandardCharsets.US_ASCII), 0, header, 100, 8);
            byte[] size = String.format("%011o\0", record.length).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(size, 0, header, 124, 12);
            header[156] = 'x';
            System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 6);
            header[263] = '0';
            header[264] = '0';
            checksum(header, 0);
            int at = Math.min(h, b.length);
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.write(b, 0, at);
            o.writeBytes(header);
            o.writeBytes(Arrays.copyOf(record, (record.length + 511) / 512 * 512));
            o.write(b, at, b.length - at);
            return o.toByteArray();
        }

        private static byte[] gzip(byte[] b) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(o)) {
                z.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return o.toByteArray();
        }
    }
}
