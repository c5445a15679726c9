package io.kpod.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.engine.oci.OciSpecBuilder;
import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerPiecesTest {
    @TempDir
    Path dir;

    @Test
    void resolvesUsersFromTheImagesFiles() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(dir.resolve("etc/group"), "root:x:0:\napp:x:1000:\nwheel:x:10:app\n");
        assertThat(UserResolver.resolve(dir, "")).isEqualTo(new OciSpecBuilder.User(0, 0, List.of(), 022));
        assertThat(UserResolver.resolve(dir, "app")).isEqualTo(new OciSpecBuilder.User(1000, 1000, List.of(10), 022));
        assertThat(UserResolver.resolve(dir, "1000:wheel").gid()).isEqualTo(10);
        assertThat(UserResolver.resolve(dir, "4242").uid()).isEqualTo(4242);
        assertThat(UserResolver.resolve(dir, "4242:7").gid()).isEqualTo(7);
        assertThatThrownBy(() -> UserResolver.resolve(dir, "ghost")).hasMessageContaining("unable to find user ghost");
        assertThatThrownBy(() -> UserResolver.resolve(dir, "app:ghosts")).hasMessageContaining("unable to find group");
    }

    @Test
    void parsesK8sFileLogsWithPartialsTailAndSince() throws Exception {
        Path log = dir.resolve("ctr.log");
        Files.writeString(log, String.join("\n",
                "2026-11-23T06:38:06.110884603+00:00 stdout F one",
                "2026-11-23T06:38:07.000000000+00:00 stderr F two",
                "2026-11-23T06:38:08.000000000+00:00 stdout P par",
                "2026-11-23T06:38:08.100000000+00:00 stdout F tial",
                "garbage line",
                "2026-11-23T06:38:09.000000000+00:00 stdout F four", ""));
        List<LogReader.Entry> all = new ArrayList<>();
        LogReader.read(log, -1, null, null, false, () -> false, all::add);
        assertThat(all).extracting(LogReader.Entry::text).containsExactly("one", "two", "par", "tial", "four");
        assertThat(all.get(1).stderr()).isTrue();
        assertThat(all.get(2).partial()).isTrue();
        List<LogReader.Entry> tail = new ArrayList<>();
        LogReader.read(log, 2, null, null, false, () -> false, tail::add);
        assertThat(tail).extracting(LogReader.Entry::text).containsExactly("par", "tial", "four");
        List<LogReader.Entry> since = new ArrayList<>();
        LogReader.read(log, -1, Instant.parse("2026-11-23T06:38:08Z"), null, false, () -> false, since::add);
        assertThat(since).extracting(LogReader.Entry::text).containsExactly("par", "tial", "four");
    }

    @Test
    void mapsRuntimeFailuresToPodmansExitCodes() {
        assertThat(ContainerStarter.classify(KpodException.runtime("exec: \"x\": executable file not found in $PATH"))
                .kind()).isEqualTo(ErrorKind.COMMAND_NOT_FOUND);
        assertThat(ContainerStarter.classify(KpodException.runtime("exec: \"/etc/passwd\": permission denied")).kind())
                .isEqualTo(ErrorKind.CANNOT_INVOKE);
        assertThat(ContainerStarter.classify(KpodException.runtime("cgroup trouble")).kind()).isEqualTo(ErrorKind.RUNTIME);
        assertThat(ExecService.mapExit(255, "exec failed: unable to start container process: exec: \"x\": "
                + "executable file not found in $PATH")).isEqualTo(127);
        assertThat(ExecService.mapExit(255, "exec failed: ... permission denied")).isEqualTo(126);
        assertThat(ExecService.mapExit(255, "")).isEqualTo(255);
        assertThat(ExecService.mapExit(3, "")).isEqualTo(3);
    }

    @Test
    void signals() {
        assertThat(Signals.number("TERM")).isEqualTo(15);
        assertThat(Signals.number("SIGKILL")).isEqualTo(9);
        assertThat(Signals.number("usr1")).isEqualTo(10);
        assertThat(Signals.number("2")).isEqualTo(2);
        assertThatThrownBy(() -> Signals.number("SIGNOPE")).hasMessageContaining("invalid signal");
    }
}
