package io.kpod.engine.runtime.attach;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.engine.runtime.OciRuntime;
import io.kpod.engine.runtime.attach.PosixIo.WinSize;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** conmon attach, conmon -t and runc exec --tty against the real runtime (needs root, runc, conmon). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AttachRuntimeTest {

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void attachFeedsStdinSeparatesStreamsAndEndsAtExitEvenWithALongBundlePath() throws Exception {
        try (BusyboxContainer c = new BusyboxContainer(List.of("sh", "-c", "cat; echo bye >&2; exit 4"), true, false, 2)) {
            assertThat(c.attachSocket().toString().length()).isGreaterThan(108);
            c.create();
            // --full-attach: the socket is <bundle>/attach
            assertThat(Files.exists(c.attachSocket())).isTrue();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (AttachClient client = AttachClient.connect(c.attachSocket())) {
                c.start();
                client.pump(text("hello\n"), out, err);
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("bye\n");
            assertThat(c.exitCode()).isEqualTo("4");
        }
    }

    @Test
    void stdinWrittenWithoutDashIIsDroppedAndOutputStillArrives() throws Exception {
        try (BusyboxContainer c = new BusyboxContainer(List.of("sh", "-c", "cat; echo done"), false, false, 0)) {
            c.create();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (AttachClient client = AttachClient.connect(c.attachSocket())) {
                c.start();
                client.pump(text("ignored\n"), out, null);
            }
            // without -i conmon gives the container /dev/null, so cat ends at once
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
        }
    }

    @Test
    void execWithTtyGetsAPtyAndPassesTheExitCodeThrough() throws Exception {
        try (BusyboxContainer c = new BusyboxContainer(List.of("sleep", "60"), false, false, 0)) {
            c.create();
            c.start();
            OciRuntime rt = c.runtime;

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ExecTty.Result tty = ExecTty.run(rt.argv("exec", c.id, "tty"), OciRuntime.cleanEnv(),
                    TerminalProxy.streams(null, out, null), null);
            assertThat(tty.exitCode()).as(tty.stderr()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8).replace("\r", "<CR>")).matches("/dev/pts/\\d+(<CR>)+\n");

            ExecTty.Result seven = ExecTty.run(rt.argv("exec", c.id, "sh", "-c", "exit 7"), OciRuntime.cleanEnv(),
                    TerminalProxy.streams(null, new ByteArrayOutputStream(), null), null);
            assertThat(seven.exitCode()).isEqualTo(7);

            ByteArrayOutputStream talk = new ByteArrayOutputStream();
            ExecTty.Result read = ExecTty.run(rt.argv("exec", c.id, "sh", "-c", "stty size; read x; echo got=$x"),
                    OciRuntime.cleanEnv(), TerminalProxy.streams(text("abc\n"), talk, new WinSize(33, 77)), null);
            assertThat(read.exitCode()).isZero();
            assertThat(talk.toString(StandardCharsets.UTF_8)).contains("33 77\r\n").contains("got=abc\r\n");

            ByteArrayOutputStream missingErr = new ByteArrayOutputStream();
            ExecTty.Result missing = ExecTty.run(rt.argv("exec", c.id, "/no/such/binary"), OciRuntime.cleanEnv(),
                    TerminalProxy.streams(null, new ByteArrayOutputStream(), null), missingErr);
            System.out.println("exec -t of a missing binary: code " + missing.exitCode() + ", stderr " + missing.stderr().strip());
            assertThat(missing.exitCode()).isEqualTo(255);
            assertThat(missing.stderr()).contains("no such file or directory");
            assertThat(missingErr.toString(StandardCharsets.UTF_8)).isEqualTo(missing.stderr());

            ByteArrayOutputStream shell = new ByteArrayOutputStream();
            ExecTty.Result notFound = ExecTty.run(rt.argv("exec", c.id, "sh", "-c", "/nonexistent"), OciRuntime.cleanEnv(),
                    TerminalProxy.streams(null, shell, null), null);
            assertThat(notFound.exitCode()).isEqualTo(127);
            assertThat(shell.toString(StandardCharsets.UTF_8)).contains("/nonexistent: not found\r\n");
        }
    }

    @Test
    void conmonTerminalOutputComesThroughTheAttachSocketAndResizeWorks() throws Exception {
        List<String> args = List.of("sh", "-c", "tty; stty size; read x; echo got=$x; exit 3");
        try (BusyboxContainer c = new BusyboxContainer(args, true, true, 0)) {
            c.create();
            assertThat(ConmonControl.resize(c.bundle, new WinSize(40, 100))).isTrue();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (AttachClient client = AttachClient.connect(c.attachSocket())) {
                c.start();
                client.write("hi\n".getBytes(StandardCharsets.UTF_8));
                client.pump(null, out, err);
            }
            String shown = out.toString(StandardCharsets.UTF_8);
            // a pty merges the streams and echoes input; conmon sends all of it as stdout
            assertThat(shown).contains("/dev/pts/0\r\n").contains("40 100\r\n").contains("got=hi\r\n");
            assertThat(err.size()).isZero();
            assertThat(c.exitCode()).isEqualTo("3");
        }
    }
}
