package io.kpod.cli;

import io.kpod.engine.image.ImagePuller;
import io.kpod.engine.image.PullRetry;
import io.kpod.engine.runtime.attach.PosixIo;
import io.kpod.spec.KpodException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The registry flags of {@code pull}, {@code run} and {@code create}: credentials, TLS, platform and retries. */
public final class PullFlags {
    @Option(names = "--authfile", description = "Path of the authentication file (auth.json)") Path authFile;
    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true",
            description = "Require HTTPS and verify certificates when contacting registries") Boolean tlsVerify;
    @Option(names = "--platform", description = "Pull the image for this OS/ARCH[/VARIANT]") String platform;
    @Option(names = "--arch", description = "Pull the image for this architecture") String arch;
    @Option(names = "--os", description = "Pull the image for this OS") String os;
    @Option(names = "--variant", description = "Pull the image for this architecture variant") String variant;
    @Option(names = "--retry", paramLabel = "N",
            description = "Retry a failed pull N times (default 3)") Integer retry;
    @Option(names = "--retry-delay", paramLabel = "DURATION",
            description = "Wait this long between retries (default: 1s, then doubling)") String retryDelay;

    /** The puller's options; progress goes to stderr only when it is a terminal and not {@code quiet}. */
    public ImagePuller.Options options(boolean quiet) {
        Optional<String> o = Optional.ofNullable(os);
        Optional<String> a = Optional.ofNullable(arch);
        Optional<String> v = Optional.ofNullable(variant);
        if (platform != null && !platform.isEmpty()) {
            if (os != null || arch != null || variant != null) {
                throw KpodException.invalid("--platform cannot be combined with --os, --arch or --variant");
            }
            String[] p = platform.split("/");
            if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty()) {
                throw KpodException.invalid("invalid platform \"" + platform + "\": expected OS/ARCH[/VARIANT]");
            }
            o = Optional.of(p[0]);
            a = Optional.of(p[1]);
            v = Optional.of(p.length == 3 ? p[2] : "");
        }
        boolean progress = !quiet && PosixIo.isatty(2);
        PullRetry r = new PullRetry(retry == null ? PullRetry.DEFAULT.attempts() : retry,
                Optional.ofNullable(retryDelay).map(PullRetry::parseDelay));
        return new ImagePuller.Options(Optional.ofNullable(authFile), Optional.ofNullable(tlsVerify), o, a, v,
                progress ? System.err : null, r);
    }
}
