package io.kpod.engine.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.kpod.engine.state.ContainerState;
import io.kpod.engine.state.StateStore;
import io.kpod.engine.state.StateStore.ContainerRow;
import io.kpod.spec.PodSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunsTest {
    @TempDir
    Path dir;

    private static PodRecord job(int completions, PodRecord.JobProgress progress) {
        PodSpec spec = new PodSpec("j-pod", null, null, "none", null, null, null, null, null, null, false, null)
                .withCompletions(completions);
        return new PodRecord("a".repeat(64), "j-pod", spec, "2026-01-01T00:00:00Z", "b".repeat(64), progress);
    }

    private static ContainerRow exited(String startedAt, int code) {
        ContainerState st = ContainerState.created().running(10, 11, startedAt, false, null)
                .exited(code, true, startedAt + "+1s");
        return new ContainerRow(null, st);
    }

    private static ContainerRow running(String startedAt) {
        return new ContainerRow(null, ContainerState.created().running(10, 11, startedAt, false, null));
    }

    @Test
    void aRunCountsWhenEveryAppContainerExitedZeroAndTheNextRunStartsUntilEnough() {
        JobRuns.Step first = JobRuns.afterExit(job(3, null), List.of(exited("t1", 0), exited("t2", 0)));
        assertThat(first.progress()).isEqualTo(new PodRecord.JobProgress(1, "t1,t2"));
        assertThat(first.runAgain()).isTrue();
        assertThat(first.finished()).isFalse();

        JobRuns.Step second = JobRuns.afterExit(job(3, first.progress()), List.of(exited("t3", 0), exited("t4", 0)));
        assertThat(second.progress().succeeded()).isEqualTo(2);
        assertThat(second.runAgain()).isTrue();

        JobRuns.Step third = JobRuns.afterExit(job(3, second.progress()), List.of(exited("t5", 0), exited("t6", 0)));
        assertThat(third.progress()).isEqualTo(new PodRecord.JobProgress(3, "t5,t6"));
        assertThat(third.runAgain()).isFalse();
        assertThat(third.finished()).isTrue();
    }

    @Test
    void theCallbacksOfOneRunCountItOnce() {
        PodRecord.JobProgress counted = new PodRecord.JobProgress(1, "t1,t2");
        JobRuns.Step again = JobRuns.afterExit(job(3, counted), List.of(exited("t1", 0), exited("t2", 0)));
        assertThat(again.progress()).isSameAs(counted);
        assertThat(again.runAgain()).isFalse();
        // the last run of a finished Job, reported twice, stays at its count
        PodRecord.JobProgress done = new PodRecord.JobProgress(3, "t5");
        assertThat(JobRuns.afterExit(job(3, done), List.of(exited("t5", 0))).progress()).isSameAs(done);
        // started again by the user after it finished: runs, but is not counted beyond its completions
        JobRuns.Step extra = JobRuns.afterExit(job(3, done), List.of(exited("t9", 0)));
        assertThat(extra.progress()).isSameAs(done);
        assertThat(extra.finished()).isTrue();
    }

    @Test
    void aRunThatIsNotOverWaitsAndAFailedOneEndsTheJobUncounted() {
        assertThat(JobRuns.afterExit(job(2, null), List.of(exited("t1", 0), running("t2"))).waiting()).isTrue();
        assertThat(JobRuns.afterExit(job(2, null), List.of(new ContainerRow(null, ContainerState.created())))
                .waiting()).isTrue();
        assertThat(JobRuns.afterExit(job(2, null), List.of()).waiting()).isTrue();

        JobRuns.Step failed = JobRuns.afterExit(job(2, null), List.of(exited("t1", 0), exited("t2", 1)));
        assertThat(failed.progress()).isNull();
        assertThat(failed.runAgain()).isFalse();
        assertThat(failed.finished()).isTrue();

        ContainerRow stopped = new ContainerRow(null,
                exited("t1", 0).state().withStoppedByUser(true));
        assertThat(JobRuns.afterExit(job(2, null), List.of(stopped)).progress()).as("stopped by the user").isNull();
        ContainerRow unknown = new ContainerRow(null,
                ContainerState.created().running(1, 2, "t1", false, null).exited(0, false, "t2"));
        assertThat(JobRuns.afterExit(job(2, null), List.of(unknown)).progress()).as("exit code unknown").isNull();
    }

    @Test
    void progressIsStoredWithThePodAndOldRowsReadWithoutIt() {
        try (StateStore store = new StateStore(dir.resolve("state.db"))) {
            PodRecord pod = job(3, null);
            assertThat(store.insertNamed("pods", pod.id(), pod.name(), pod)).isTrue();
            store.updateNamed("pods", pod.name(), pod.withJob(new PodRecord.JobProgress(2, "t1")));
            PodRecord back = store.listNamed("pods", PodRecord.class).get(0);
            assertThat(back.succeeded()).isEqualTo(2);
            assertThat(back.spec().completions()).isEqualTo(3);
            assertThat(back.job().countedRun()).isEqualTo("t1");
            // a row written before pods had completions or progress
            PodRecord old = new PodRecord("c".repeat(64), "old", new PodSpec("old", null, null, "none", null, null,
                    null, null, null, null, false, null), "2026-01-01T00:00:00Z", "d".repeat(64));
            String json = io.kpod.engine.Json.write(old).replace(",\"job\":null", "")
                    .replace(",\"completions\":null", "");
            assertThat(json).doesNotContain("job").doesNotContain("completions");
            PodRecord read = io.kpod.engine.Json.read(json, PodRecord.class);
            assertThat(read.job()).isNull();
            assertThat(read.succeeded()).isZero();
            assertThat(read.spec().completions()).isNull();
        }
    }
}
