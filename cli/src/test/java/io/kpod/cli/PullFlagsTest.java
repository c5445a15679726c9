package io.kpod.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.engine.image.ImagePuller;
import io.kpod.engine.image.PullRetry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PullFlagsTest {
    @CommandLine.Command(name = "t")
    static final class Holder {
        @CommandLine.Mixin
        ContainerFlags flags = new ContainerFlags();
    }

    private static ContainerFlags parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.flags;
    }

    @Test
    void registryFlagsOfRunAndCreate() {
        ContainerFlags f = parse("--pull", "newer", "-q", "--tls-verify=false", "--authfile", "/x/auth.json",
                "--platform", "linux/arm64/v8");
        assertThat(f.pull).isEqualTo("newer");
        ImagePuller.Options o = f.pullFlags.options(f.quietPull);
        assertThat(o.tlsVerify()).contains(false);
        assertThat(o.authFile()).contains(Path.of("/x/auth.json"));
        assertThat(o.os()).contains("linux");
        assertThat(o.arch()).contains("arm64");
        assertThat(o.variant()).contains("v8");
        assertThat(o.progress()).isNull();

        ImagePuller.Options d = parse("--tls-verify", "--arch", "s390x").pullFlags.options(true);
        assertThat(d.tlsVerify()).contains(true);
        assertThat(d.arch()).contains("s390x");
        assertThat(d.os()).isEmpty();
        assertThat(parse().pull).isEqualTo("missing");
        assertThat(parse().pullFlags.options(false).tlsVerify()).isEqualTo(Optional.empty());

        assertThatThrownBy(() -> parse("--platform", "linux/amd64", "--arch", "arm64").pullFlags.options(true))
                .hasMessageContaining("--platform cannot be combined");
        assertThatThrownBy(() -> parse("--platform", "amd64").pullFlags.options(true))
                .hasMessageContaining("expected OS/ARCH[/VARIANT]");

        assertThat(parse().pullFlags.options(true).retry()).isEqualTo(PullRetry.DEFAULT);
        assertThat(parse("--retry", "5", "--retry-delay", "10s").pullFlags.options(true).retry())
                .isEqualTo(new PullRetry(5, Optional.of(Duration.ofSeconds(10))));
        assertThatThrownBy(() -> parse("--retry-delay", "foobar").pullFlags.options(true))
                .hasMessage("time: invalid duration \"foobar\"");
    }
}
