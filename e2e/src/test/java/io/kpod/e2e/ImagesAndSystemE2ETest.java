package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** import/images/tag/rmi/image inspect, health checks, info, concurrency and system reset. */
class ImagesAndSystemE2ETest extends E2EBase {

    @Test
    void importTagInspectAndRemoveImages() {
        String id = kpod.ok("import", KpodHarness.testRootfs().toString(), "tool",
                "--change", "ENTRYPOINT [\"echo\"]", "--change", "CMD [\"from-cmd\"]",
                "--change", "ENV GREETING=hello", "--change", "WORKDIR /srv").trimmed();
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(kpod.ok("images", "--format", "{{.Repository}}:{{.Tag}}").out())
                .contains("localhost/busybox:latest").contains("localhost/tool:latest");
        assertThat(kpod.ok("run", "--rm", "tool").trimmed()).isEqualTo("from-cmd");
        assertThat(kpod.ok("run", "--rm", "tool", "args", "win").trimmed()).isEqualTo("args win");
        assertThat(kpod.ok("run", "--rm", "--entrypoint", "sh", "tool", "-c", "echo $GREETING; pwd").out())
                .isEqualTo("hello\n/srv\n");
        kpod.ok("tag", "tool", "localhost/tool:v2", "other/name:1");
        JsonNode inspect = kpod.json("image", "inspect", "tool:v2").get(0);
        assertThat(inspect.get("Id").asText()).isEqualTo(id.substring(7));
        assertThat(inspect.get("RepoTags").toString()).contains("localhost/tool:v2").contains("other/name:1");
        assertThat(inspect.get("Config").get("Entrypoint").get(0).asText()).isEqualTo("echo");
        String shortId = id.substring(7, 19);
        assertThat(kpod.ok("images", "-q").out()).contains(shortId);
        JsonNode json = kpod.json("images", "--format", "json");
        assertThat(json.findValuesAsText("Id")).contains(id.substring(7));
        kpod.ok("create", "--name", "user-of-tool", "tool");
        KpodHarness.Result manyTags = kpod.run("rmi", id.substring(7));
        assertThat(manyTags.code()).isEqualTo(2);
        assertThat(manyTags.err()).contains("more than one tag");
        assertThat(kpod.ok("rmi", "other/name:1").out()).contains("Untagged: localhost/other/name:1");
        assertThat(kpod.ok("rmi", "tool:v2").out()).contains("Untagged: localhost/tool:v2");
        KpodHarness.Result inUse = kpod.run("rmi", "tool");
        assertThat(inUse.code()).isEqualTo(2);
        assertThat(inUse.err()).contains("user-of-tool");
        assertThat(kpod.ok("rmi", "-f", shortId).out()).contains("Deleted: " + id.substring(7));
        assertThat(kpod.run("container", "exists", "user-of-tool").code()).isEqualTo(1);
        assertThat(kpod.run("image", "exists", "tool").code()).isEqualTo(1);
        assertThat(kpod.run("rmi", "tool").code()).isEqualTo(1);
    }

    @Test
    void healthCheckRunsAndIsReported() {
        kpod.ok("run", "-d", "--name", "hc", "--health-cmd", "test -e /tmp/ok", "--health-retries", "1",
                IMAGE, "sleep", "300");
        KpodHarness.Result bad = kpod.run("healthcheck", "run", "hc");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out().strip()).isEqualTo("unhealthy");
        assertThat(kpod.ok("ps", "--format", "{{.Status}}").out()).contains("(unhealthy)");
        kpod.ok("exec", "hc", "touch", "/tmp/ok");
        assertThat(kpod.run("healthcheck", "run", "hc").code()).isZero();
        JsonNode health = kpod.json("inspect", "hc").get(0).get("State").get("Health");
        assertThat(health.get("Status").asText()).isEqualTo("healthy");
        assertThat(health.get("Log")).hasSize(2);
        assertThat(kpod.run("healthcheck", "run", "nope").code()).isEqualTo(125);
    }

    @Test
    void twoProcessesCreatingAtOnceNeverCorruptState() {
        // a pool of its own: the common pool has a single worker on 2 cores and would run them one by one
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<CompletableFuture<List<String>>> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int worker = w;
            workers.add(CompletableFuture.supplyAsync(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    ids.add(kpod.ok("create", "--name", "w" + worker + "-" + i, IMAGE, "true").trimmed());
                }
                return ids;
            }, pool));
        }
        pool.shutdown();
        List<String> all = new ArrayList<>();
        workers.forEach(f -> all.addAll(f.join()));
        assertThat(new HashSet<>(all)).hasSize(10);
        assertThat(kpod.ok("ps", "-aq").out().lines().count()).isEqualTo(10);
    }

    @Test
    void infoReportsRuntimeAndStore() {
        JsonNode info = kpod.json("info", "--format", "json");
        assertThat(info.at("/host/ociRuntime/name").asText()).isIn("runc", "crun");
        assertThat(info.at("/host/conmon/version").asText()).contains("conmon");
        assertThat(info.at("/store/graphRoot").asText()).isEqualTo(kpod.root().toString());
        assertThat(kpod.ok("info", "--format", "{{.Store.GraphRoot}}").trimmed()).isEqualTo(kpod.root().toString());
    }

    @Test
    void systemResetRemovesEverything() {
        try (KpodHarness other = new KpodHarness().withBusybox()) {
            other.ok("run", "-d", "--name", "x", "-v", "vol:/v", IMAGE, "sleep", "300");
            other.runWithInput("s", "secret", "create", "sec", "-").ok();
            other.ok("system", "reset", "-f");
            assertThat(Files.exists(other.root())).isFalse();
            assertThat(other.mounts()).isEmpty();
            assertThat(KpodHarness.eventually(10, () -> other.conmons().isEmpty())).isTrue();
            assertThat(other.ok("ps", "-aq").trimmed()).isEmpty();
            assertThat(other.ok("images", "-q").trimmed()).isEmpty();
        }
    }
}
