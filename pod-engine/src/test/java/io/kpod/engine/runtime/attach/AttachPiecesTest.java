package io.kpod.engine.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.engine.sys.Libc;
import io.kpod.spec.KpodException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts that need no container: argv shaping, socket lifetimes, the control FIFO. */
class AttachPiecesTest {
    @TempDir
    Path tmp;

    @Test
    void ttyFlagGoesRightAfterTheExecSubcommand() {
        List<String> argv = ExecTty.withTty(
                List.of("/usr/sbin/runc", "--root=/r", "exec", "--env", "A=1", "ctr", "sh", "-c", "exec x"));
        assertThat(argv).containsExactly("/usr/sbin/runc", "--root=/r", "exec", "--tty",
                "--env", "A=1", "ctr", "sh", "-c", "exec x");
        assertThatThrownBy(() -> ExecTty.withTty(List.of("runc", "state", "x")))
                .isInstanceOf(KpodException.class);
    }

    @Test
    void attachToAMissingSocketIsARuntimeError() {
        assertThatThrownBy(() -> AttachClient.connect(tmp.resolve("attach")))
                .isInstanceOf(KpodException.class).hasMessageContaining("cannot attach");
    }

    @Test
    void resizeReportsFalseWhenNoConmonReadsTheFifo() throws Exception {
        assertThat(ConmonControl.resize(tmp, new PosixIo.WinSize(24, 80))).isFalse();
        Libc.mknod(ConmonControl.fifo(tmp), Libc.S_IFIFO | 0600, 0, 0);
        assertThat(ConmonControl.resize(tmp, new PosixIo.WinSize(24, 80))).isFalse();
    }

    @Test
    void hostTerminalOnANonTerminalIsInert() {
        try (HostTerminal t = HostTerminal.open(-1, size -> { })) {
            assertThat(t.isTerminal()).isFalse();
        }
        assertThat(PosixIo.windowSize(-1)).isNull();
    }
}
