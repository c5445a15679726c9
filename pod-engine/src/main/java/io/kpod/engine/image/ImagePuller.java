package io.kpod.engine.image;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Gets images from registries into the local {@link ImageStore}: what {@code kpod pull},
 * {@code run --pull} and {@code kube play} use.
 */
public interface ImagePuller {
    /**
     * How to reach the registry and what to print.
     *
     * @param authFile   credentials file (Podman's auth.json format); empty = the default search
     * @param tlsVerify  empty = what registries.conf says (verify unless the registry is insecure)
     * @param os         platform wanted; empty = the host's
     * @param arch       empty = the host's
     * @param variant    empty = the host's
     * @param progress   where progress lines go; null = quiet
     * @param retry      how failed pulls are tried again
     */
    record Options(Optional<Path> authFile, Optional<Boolean> tlsVerify, Optional<String> os,
                   Optional<String> arch, Optional<String> variant, PrintStream progress, PullRetry retry) {
        /** Options with Podman's default retries. */
        public Options(Optional<Path> authFile, Optional<Boolean> tlsVerify, Optional<String> os,
                       Optional<String> arch, Optional<String> variant, PrintStream progress) {
            this(authFile, tlsVerify, os, arch, variant, progress, PullRetry.DEFAULT);
        }

        /** These options with {@code retry}. */
        public Options withRetry(PullRetry retry) {
            return new Options(authFile, tlsVerify, os, arch, variant, progress, retry);
        }

        public static Options defaults() {
            return new Options(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), null);
        }
    }

    /** Pulls {@code reference} (short names resolved through registries.conf) and returns the stored image. */
    ImageRecord pull(String reference, Options options);

    /**
     * Makes sure {@code reference} is in the store as {@code policy} says, pulling when needed;
     * returns the local image. Never pulls for {@link PullPolicy#NEVER}: a missing image is then a
     * {@code NoSuchObjectException}.
     */
    ImageRecord ensure(String reference, PullPolicy policy, Options options);
}
