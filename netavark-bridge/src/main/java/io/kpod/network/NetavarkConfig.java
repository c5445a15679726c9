package io.kpod.network;

import java.nio.file.Path;

/**
 * Where netavark and aardvark-dns are, and netavark's state dir ({@code --config}: aardvark
 * configs and a lock, not network definitions). kpod passes {@code <runroot>/netavark} so its
 * aardvark never mixes with Podman's.
 */
public record NetavarkConfig(Path netavarkBinary, Path stateDir, Path aardvarkBinary) {
    public static final Path NETAVARK = Path.of("/usr/lib/podman/netavark");
    public static final Path AARDVARK = Path.of("/usr/lib/podman/aardvark-dns");

    /** Debian's binaries with the given state dir. */
    public static NetavarkConfig defaults(Path stateDir) {
        return new NetavarkConfig(NETAVARK, stateDir, AARDVARK);
    }
}
