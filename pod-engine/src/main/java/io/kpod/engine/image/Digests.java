package io.kpod.engine.image;

import io.kpod.spec.KpodException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** sha256 digests in the OCI form {@code sha256:<64 hex>}. */
public final class Digests {
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    private Digests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw KpodException.internal("the JDK has no SHA-256", e);
        }
    }

    /**
     * Starts a daemon thread that hashes zeros until the JIT has compiled SHA-256 down to the
     * CPU's SHA instructions (about 1 GB/s instead of 100 MB/s), at most 0.4 s. A command that
     * is about to hash image data calls it first thing, so that the compilation happens on the
     * core that the JVM's start-up leaves idle instead of while every layer thread hashes slowly.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            MessageDigest md = sha256();
            byte[] zeros = new byte[64 << 10];
            long deadline = System.nanoTime() + 400_000_000L;
            while (System.nanoTime() < deadline) {
                long start = System.nanoTime();
                for (int i = 0; i < 16; i++) {
                    md.update(zeros);
                }
                if (System.nanoTime() - start < 2_000_000L) {
                    return;
                }
            }
        }, "kpod-sha-warm-up");
        t.setDaemon(true);
        t.start();
    }

    public static String of(byte[] data) {
        return format(sha256().digest(data));
    }

    public static String format(byte[] hash) {
        return "sha256:" + HexFormat.of().formatHex(hash);
    }

    /** The 64 hex digits of a digest. */
    public static String hex(String digest) {
        return validate(digest).substring(7);
    }

    /** Returns {@code digest} when well formed, else throws INVALID. */
    public static String validate(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw KpodException.invalid("\"" + digest + "\" is not a sha256 digest (sha256:<64 hex digits>)");
        }
        return digest;
    }
}
