package io.kpod.engine.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** Random ids (64 hex) and friendly default names for containers, in the spirit of Podman's. */
public final class NameGenerator {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> LEFT = List.of("agile", "bold", "brave", "calm", "clever", "cosmic",
            "eager", "fervent", "gentle", "happy", "jolly", "keen", "lucid", "merry", "nifty", "patient",
            "quiet", "serene", "sharp", "steady", "swift", "tender", "vivid", "witty", "zealous");
    private static final List<String> RIGHT = List.of("babbage", "curie", "darwin", "euler", "fermat",
            "galois", "hopper", "hypatia", "kepler", "lamport", "lovelace", "noether", "pascal", "ritchie",
            "shannon", "thompson", "turing", "wozniak", "yalow", "zuse");

    private NameGenerator() {
    }

    public static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String newName() {
        return LEFT.get(RANDOM.nextInt(LEFT.size())) + "_" + RIGHT.get(RANDOM.nextInt(RIGHT.size()));
    }
}
