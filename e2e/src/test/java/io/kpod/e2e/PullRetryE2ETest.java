package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --retry} and {@code --retry-delay}: a pull from a registry that is not up yet succeeds
 * once it comes up (a plain TCP forwarder, started late, in front of the real registry), and one
 * that never comes up fails after the retries it was given, each announced on stderr.
 */
class PullRetryE2ETest extends E2EBase {
    private static final int LATE_PORT = 15061;
    private static final int DEAD_PORT = 15062;
    private LocalRegistry registry;

    @BeforeAll
    void startRegistry() {
        registry = LocalRegistry.start(15060, false, null, null);
        kpod.ok("push", "--tls-verify=false", IMAGE, registry.host() + "/retry/busybox:1");
    }

    @AfterAll
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pullWaitsForARegistryThatComesUpLate() throws Exception {
        String py = "import socket,threading,time,sys\n"
                + "time.sleep(2.5)\n"
                + "l=socket.socket(); l.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                + "l.bind(('127.0.0.1',int(sys.argv[1]))); l.listen(16)\n"
                + "def pipe(a,b):\n"
                + "  try:\n"
                + "    while True:\n"
                + "      d=a.recv(65536)\n"
                + "      if not d: break\n"
                + "      b.sendall(d)\n"
                + "  except OSError: pass\n"
                + "  finally:\n"
                + "    for s in (a,b):\n"
                + "      try: s.shutdown(socket.SHUT_RDWR)\n"
                + "      except OSError: pass\n"
                + "while True:\n"
                + "  c,_=l.accept(); u=socket.create_connection(('127.0.0.1',int(sys.argv[2])))\n"
                + "  threading.Thread(target=pipe,args=(c,u),daemon=True).start()\n"
                + "  threading.Thread(target=pipe,args=(u,c),daemon=True).start()\n";
        Process forwarder = new ProcessBuilder("python3", "-c", py, Integer.toString(LATE_PORT),
                registry.host().substring(registry.host().indexOf(':') + 1))
                .redirectErrorStream(true).redirectOutput(kpod.base().resolve("forwarder.out").toFile()).start();
        try {
            String ref = "127.0.0.1:" + LATE_PORT + "/retry/busybox:1";
            KpodHarness.Result r = kpod.run("pull", "--tls-verify=false", "--retry", "6", "--retry-delay", "1s", ref);
            assertThat(r.code()).as("pull: %s", r.err()).isZero();
            assertThat(r.err()).contains("retrying in 1s ... (1/6)").contains("connection refused");
            assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains(ref);
            kpod.ok("rmi", ref);
        } finally {
            forwarder.destroyForcibly();
            forwarder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void pullGivesUpAfterItsRetries() {
        String ref = "127.0.0.1:" + DEAD_PORT + "/retry/busybox:1";
        long t0 = System.nanoTime();
        KpodHarness.Result r = kpod.run("pull", "--tls-verify=false", "--retry", "2", "--retry-delay", "300ms", ref);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).contains("retrying in 300ms ... (1/2)").contains("retrying in 300ms ... (2/2)")
                .doesNotContain("(3/2)").endsWith("connection refused\n");
        assertThat(ms).isGreaterThanOrEqualTo(600);

        KpodHarness.Result none = kpod.run("pull", "--tls-verify=false", "--retry", "0", ref);
        assertThat(none.code()).isEqualTo(125);
        assertThat(none.err()).doesNotContain("retrying");

        // run, create and push take the same flags
        KpodHarness.Result run = kpod.run("run", "--rm", "--tls-verify=false", "--retry", "1", "--retry-delay", "100ms",
                ref, "true");
        assertThat(run.code()).isEqualTo(125);
        assertThat(run.err()).contains("retrying in 100ms ... (1/1)");

        KpodHarness.Result push = kpod.run("push", "--tls-verify=false", "--retry", "1", "--retry-delay", "100ms",
                IMAGE, ref);
        assertThat(push.code()).isEqualTo(125);
        assertThat(push.err()).contains("retrying in 100ms ... (1/1)");

        KpodHarness.Result bad = kpod.run("pull", "--retry-delay", "foobar", ref);
        assertThat(bad.code()).isEqualTo(125);
        assertThat(bad.err().strip()).isEqualTo("Error: time: invalid duration \"foobar\"");
        // a missing image is not retried
        KpodHarness.Result missing = kpod.run("pull", "--tls-verify=false", "--retry-delay", "5s",
                registry.host() + "/retry/nothere:1");
        assertThat(missing.code()).isEqualTo(125);
        assertThat(missing.err()).doesNotContain("retrying");
    }
}
