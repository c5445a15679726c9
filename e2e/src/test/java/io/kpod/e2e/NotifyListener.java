package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for systemd's NOTIFY_SOCKET: a python3 datagram listener that appends every
 * message it gets, one per line, to a log file the test reads.
 */
final class NotifyListener implements AutoCloseable {
    private final Path socket;
    private final Path log;
    private final Process process;

    private NotifyListener(Path socket, Path log, Process process) {
        this.socket = socket;
        this.log = log;
        this.process = process;
    }

    /** Starts a listener on {@code <dir>/<name>.sock}, logging to {@code <dir>/<name>.log}. */
    static NotifyListener start(Path dir, String name) throws IOException {
        Path socket = dir.resolve(name + ".sock");
        Path log = dir.resolve(name + ".log");
        Files.createFile(log);
        String py = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(sys.argv[1])\n"
                + "f=open(sys.argv[2],'ab',buffering=0)\n"
                + "while True:\n  f.write(s.recv(65536)+b'\\n')\n";
        Process p = new ProcessBuilder("python3", "-c", py, socket.toString(), log.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + "-listener.out").toFile()).start();
        assertThat(KpodHarness.eventually(10, () -> Files.exists(socket))).as("notify listener up").isTrue();
        return new NotifyListener(socket, log, p);
    }

    Path socket() {
        return socket;
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
