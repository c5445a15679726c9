package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd itself accepts what we generate: every golden case that is meant to succeed is
 * generated (with /bin/true as the binary, so ExecStart points at an executable) and checked with
 * {@code systemd-analyze verify}; an error, or any warning naming one of our units, fails the test.
 */
class SystemdVerifyTest {
    @TempDir
    Path tmp;

    @Test
    void systemdAnalyzeVerifyAcceptsTheGeneratedServices() throws Exception {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))).as("systemd-analyze installed").isTrue();
        Path out = tmp.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        GeneratorMain.run(new String[] {"-no-kmsg-log", out.toString()},
                Map.of("QUADLET_UNIT_DIRS", GoldenCasesTest.CASES.toString(), "PODMAN", "/bin/true"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new SearchPaths());
        List<String> services;
        try (Stream<Path> files = Files.list(out)) {
            services = files.filter(f -> f.toString().endsWith(".service") && !Files.isSymbolicLink(f))
                    .map(Path::toString).sorted().toList();
        }
        assertThat(services).hasSizeGreaterThan(15);

        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
        cmd.addAll(services);
        Process verify = new ProcessBuilder(cmd).directory(out.toFile()).redirectErrorStream(true).start();
        String report = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(report).isEqualTo(0);
        for (String line : report.lines().toList()) {
            for (String service : services) {
                assertThat(line).as("systemd-analyze: " + report)
                        .doesNotContain(Path.of(service).getFileName().toString());
            }
        }
    }

    @Test
    void verifyNoticesABrokenService() throws IOException, InterruptedException {
        assumeThat(Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))).isTrue();
        Path unit = tmp.resolve("broken.service");
        Files.writeString(unit, "[Service]\nExecStart=/nonexistent/kpod run x\n");
        Process verify = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
        verify.getInputStream().readAllBytes();
        verify.waitFor(120, TimeUnit.SECONDS);
        assertThat(verify.exitValue()).isNotEqualTo(0);
    }
}
