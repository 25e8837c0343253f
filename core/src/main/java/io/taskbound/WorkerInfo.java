package io.taskbound;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One worker process of a lane whose executor runs jobs outside the application's JVM (the {@code
 * process} executor's worker JVMs), as its executor last saw it.
 *
 * @param pid the worker's process id on its node's host
 * @param state what it does now
 * @param jobsRun the jobs it has run to their end, failed ones included
 * @param heapUsedBytes the heap it had in use after its last job, as it reported it; null before its
 *     first job
 * @param startedAt when it was started, by its node's clock
 * @param jobId the job it runs now; null unless {@code BUSY}
 */
public record WorkerInfo(
        long pid,
        State state,
        int jobsRun,
        @Nullable Long heapUsedBytes,
        Instant startedAt,
        @Nullable UUID jobId) {

    public enum State {
        /** Started, and not yet ready for a job. */
        STARTING,
        /** Waiting for a job. */
        IDLE,
        /** Running a job. */
        BUSY,
        /** Asked to exit: worn out, over its heap threshold, idle too long, or the lane is stopping. */
        CLOSING
    }
}
