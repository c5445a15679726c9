package io.kpod.engine.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.spec.KpodException;
import java.util.Optional;

/** An image platform in Go's names ({@code linux}, {@code amd64}, {@code arm64}/{@code v8}), and how an index entry is chosen. */
public record Platform(String os, String arch, String variant) {
    public Platform {
        variant = variant == null ? "" : variant;
    }

    /** This machine's platform. */
    public static Platform host() {
        String arch = goArch(System.getProperty("os.arch"));
        return new Platform("linux", arch, arch.equals("arm64") ? "v8" : arch.equals("arm") ? "v7" : "");
    }

    /** The platform asked for: {@code --platform os/arch[/variant]} wins, then the single flags, then the host's. */
    public static Platform choose(Optional<String> platform, Optional<String> os, Optional<String> arch,
                                  Optional<String> variant) {
        Platform host = host();
        if (platform.isPresent() && !platform.get().isEmpty()) {
            String[] p = platform.get().split("/");
            if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
                throw KpodException.invalid("invalid platform \"" + platform.get() + "\": expected OS/ARCH[/VARIANT]");
            }
            return new Platform(p[0], goArch(p[1]), p.length == 3 ? p[2] : "");
        }
        String a = arch.filter(s -> !s.isEmpty()).map(Platform::goArch).orElse(host.arch);
        String v = variant.orElse(a.equals(host.arch) ? host.variant : "");
        return new Platform(os.filter(s -> !s.isEmpty()).orElse(host.os), a, v);
    }

    static String goArch(String arch) {
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "armhf", "armel" -> "arm";
            default -> arch;
        };
    }

    /**
     * How well an index entry's {@code platform} object fits: -1 not at all, higher is better.
     * The variant must agree when both name one; arm64 entries without a variant count as v8.
     */
    public int score(JsonNode p) {
        if (!os.equals(p.path("os").asText()) || !arch.equals(goArch(p.path("architecture").asText()))) {
            return -1;
        }
        String v = p.path("variant").asText("");
        if (arch.equals("arm64") && v.isEmpty()) {
            v = "v8";
        }
        String want = arch.equals("arm64") && variant.isEmpty() ? "v8" : variant;
        if (v.equals(want)) {
            return 2;
        }
        if (want.isEmpty() || v.isEmpty()) {
            return 1;
        }
        if (arch.equals("arm") && v.startsWith("v") && want.startsWith("v")) {
            // an armv7 host runs v6 and v5 images too
            try {
                return Integer.parseInt(v.substring(1)) < Integer.parseInt(want.substring(1)) ? 0 : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
    }
}
