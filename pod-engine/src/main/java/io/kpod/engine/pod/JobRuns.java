package io.kpod.engine.pod;

import io.kpod.engine.state.ContainerState;
import io.kpod.engine.state.ContainerStatus;
import io.kpod.engine.state.StateStore.ContainerRow;
import java.util.List;

/**
 * What a Job's pod (its spec has completions) does when one of its containers exited, as
 * Kubernetes runs a Job with parallelism 1: a run in which every app container (init
 * containers aside) exited 0 counts once; the pod runs again until that count reaches its
 * completions, then it is finished. A failed run is not counted and ends the Job: retries are
 * the containers' own restart policy (restartPolicy OnFailure, backoffLimit). Pure: the
 * caller reads the state under the pod's lock and applies the step.
 */
final class JobRuns {
    /**
     * The step to take.
     *
     * @param progress what to record, or the pod's own progress when nothing changes
     * @param runAgain start the pod's next run (init containers, then the app containers)
     * @param finished the Job runs no more: its pod stops
     */
    record Step(PodRecord.JobProgress progress, boolean runAgain, boolean finished) {
        boolean waiting() {
            return !runAgain && !finished;
        }
    }

    private JobRuns() {
    }

    /** The step after an exit, given the pod as stored and its app containers as synced. */
    static Step afterExit(PodRecord pod, List<ContainerRow> apps) {
        PodRecord.JobProgress progress = pod.job();
        if (apps.isEmpty() || apps.stream().anyMatch(a -> a.state().status().isActive()
                || a.state().status() == ContainerStatus.CREATED)) {
            return new Step(progress, false, false); // the run is not over (or has not begun)
        }
        String run = String.join(",", apps.stream().map(a -> String.valueOf(a.state().startedAt())).toList());
        if (progress != null && run.equals(progress.countedRun())) {
            return new Step(progress, false, true); // another container's callback counted this run
        }
        int wanted = pod.spec().completions() == null ? 1 : pod.spec().completions();
        boolean succeeded = apps.stream().map(ContainerRow::state).allMatch(JobRuns::succeeded);
        if (!succeeded || pod.succeeded() >= wanted) {
            return new Step(progress, false, true);
        }
        int count = pod.succeeded() + 1;
        return new Step(new PodRecord.JobProgress(count, run), count < wanted, count >= wanted);
    }

    private static boolean succeeded(ContainerState st) {
        return st.exitCodeKnown() && st.exitCode() == 0 && !st.stoppedByUser();
    }
}
