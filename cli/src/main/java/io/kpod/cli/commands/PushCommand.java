package io.kpod.cli.commands;

import io.kpod.engine.image.ImagePuller;
import io.kpod.engine.image.PullRetry;
import io.kpod.engine.runtime.attach.PosixIo;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpod push IMAGE [DESTINATION]}: upload a local image to a registry. */
@Command(name = "push", description = "Push an image to a registry")
public final class PushCommand extends BaseCommand {
    @Option(names = "--authfile", description = "Path of the authentication file (auth.json)") Path authFile;
    @Option(names = "--tls-verify", arity = "0..1", fallbackValue = "true",
            description = "Require HTTPS and verify certificates when contacting registries") Boolean tlsVerify;
    @Option(names = {"-q", "--quiet"}, description = "Print nothing while pushing") boolean quiet;
    @Option(names = "--digestfile", description = "Write the digest of the pushed image to this file") Path digestFile;
    @Option(names = "--retry", paramLabel = "N", description = "Retry a failed push N times (default 3)") Integer retry;
    @Option(names = "--retry-delay", paramLabel = "DURATION",
            description = "Wait this long between retries (default: 1s, then doubling)") String retryDelay;

    @Parameters(index = "0", paramLabel = "IMAGE") String image;
    @Parameters(index = "1", arity = "0..1", paramLabel = "DESTINATION",
            description = "[docker://]REGISTRY/REPOSITORY[:TAG]; the image's name when absent") String destination;

    @Override
    public Integer call() throws java.io.IOException {
        ImagePuller.Options o = new ImagePuller.Options(Optional.ofNullable(authFile), Optional.ofNullable(tlsVerify),
                Optional.empty(), Optional.empty(), Optional.empty(), !quiet && PosixIo.isatty(2) ? System.err : null,
                new PullRetry(retry == null ? PullRetry.DEFAULT.attempts() : retry,
                        Optional.ofNullable(retryDelay).map(PullRetry::parseDelay)));
        String digest = kpod().registries().push(image, Optional.ofNullable(destination), o);
        if (digestFile != null) {
            java.nio.file.Files.writeString(digestFile, digest);
        }
        return 0;
    }
}
