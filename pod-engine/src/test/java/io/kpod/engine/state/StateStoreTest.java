package io.kpod.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ContainerSpec;
import io.kpod.spec.NameInUseException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path dir;

    static ContainerRecord rec(String id, String name) {
        return new ContainerRecord(id, name, ContainerSpec.of("img"), "imgid", "localhost/img:latest",
                List.of("sh"), Map.of("PATH", "/bin"), "/", "", "SIGTERM", 10, "2026-01-01T00:00:00Z", List.of(),
                List.of(), false);
    }

    @Test
    void storesLooksUpAndRemovesContainers() {
        try (StateStore s = new StateStore(dir.resolve("state.db"))) {
            s.addContainer(rec("abcdef0123456789", "one"), ContainerState.created());
            s.addContainer(rec("abcd99", "two"), ContainerState.created());
            assertThat(s.lookupContainer("one")).get().extracting(r -> r.record().id()).isEqualTo("abcdef0123456789");
            assertThat(s.lookupContainer("abcdef")).get().extracting(r -> r.record().name()).isEqualTo("one");
            assertThatThrownBy(() -> s.lookupContainer("abcd")).hasMessageContaining("more than one container");
            assertThat(s.lookupContainer("zzz")).isEmpty();
            assertThatThrownBy(() -> s.addContainer(rec("ff", "one"), ContainerState.created()))
                    .isInstanceOf(NameInUseException.class).hasMessageContaining("\"one\" is already in use");
            s.updateContainerState("abcd99", ContainerState.created().withRestartCount(3));
            assertThat(s.container("abcd99").orElseThrow().state().restartCount()).isEqualTo(3);
            s.removeContainer("abcd99");
            assertThat(s.containers()).hasSize(1);
            s.recordExitCode("abcd99", 42);
            assertThat(s.exitCode("abcd99")).contains(42);
        }
    }

    @Test
    void concurrentWritersFromSeveralConnectionsNeverFail() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(pool.submit(() -> {
                    try (StateStore s = new StateStore(dir.resolve("state.db"))) {
                        for (int i = 0; i < 25; i++) {
                            s.addContainer(rec("id" + thread + "x" + i, "c" + thread + "x" + i), ContainerState.created());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (StateStore s = new StateStore(dir.resolve("state.db"))) {
            assertThat(s.containers()).hasSize(100);
        }
    }

    @Test
    void healthKeepsTheLastFiveResults() {
        ContainerState.Health h = ContainerState.Health.starting();
        for (int i = 0; i < 7; i++) {
            h = h.record(new ContainerState.HealthLog("s", "e", 1, "bad"), 3, false);
        }
        assertThat(h.log()).hasSize(5);
        assertThat(h.status()).isEqualTo("unhealthy");
        assertThat(h.record(new ContainerState.HealthLog("s", "e", 0, ""), 3, false).status()).isEqualTo("healthy");
        ContainerState.Health starting = ContainerState.Health.starting()
                .record(new ContainerState.HealthLog("s", "e", 1, ""), 1, true);
        assertThat(starting.status()).isEqualTo("starting");
        assertThat(starting.failingStreak()).isZero();
    }
}
