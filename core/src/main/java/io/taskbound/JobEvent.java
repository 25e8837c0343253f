package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One change of a job's state, told to {@link JobListener}s after it was committed. It carries what
 * metrics and live views need, never the job's arguments or result (read those with {@link
 * Jobs#info}).
 *
 * <p>Instants are by the database's clock as this node reads it (or the test clock, when the engine
 * has one), so that events of several nodes compare.
 *
 * @param kind what happened
 * @param jobId the job's id
 * @param name the job's name
 * @param lane the lane it runs on
 * @param bound what bounds it
 * @param attempt the attempt the event is about, from 1; 0 for a job enqueued that has not run yet
 * @param maxAttempts the attempts the job is allowed
 * @param at when it happened: the enqueue, the run's start, the run's end, the cancellation of a
 *     waiting job, or the dead-node sweep
 * @param dueAt when the job was due: its run time as enqueued, or the run time of the attempt
 * @param waited for {@code STARTED} and the outcome of a run: from {@code dueAt} to the run's start
 *     (never negative); null otherwise
 * @param runTime for the outcome of a run: how long the run took (wall time); null otherwise,
 *     also for an outcome that no run on this node produced (a waiting job cancelled, the job of a
 *     dead node)
 * @param error for {@code FAILED}, {@code DEAD} and most {@code CANCELLED}: the error, as its class
 *     name and message; null otherwise
 */
public record JobEvent(
        Kind kind,
        UUID jobId,
        String name,
        String lane,
        Bound bound,
        int attempt,
        int maxAttempts,
        Instant at,
        Instant dueAt,
        @Nullable Duration waited,
        @Nullable Duration runTime,
        @Nullable String error) {

    public JobEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(dueAt, "dueAt");
    }

    /** What happened to the job. */
    public enum Kind {
        /** Stored, to run at {@code dueAt}: by an enqueue, a schedule's firing or its trigger. */
        ENQUEUED,
        /** A run began on this node. */
        STARTED,
        /** A run ended with a result. */
        SUCCEEDED,
        /**
         * An attempt failed and the job will run again: its run threw or timed out (the job waits
         * for its backoff), or the node running it stopped heartbeating (the job is queued again).
         */
        FAILED,
        /** The last allowed attempt failed; the job stays dead until retried by hand. */
        DEAD,
        /** Cancelled while waiting, or its run ended after cancellation was requested. */
        CANCELLED;

        /** Whether the job will not run again on its own after this event. */
        public boolean isFinal() {
            return this == SUCCEEDED || this == DEAD || this == CANCELLED;
        }
    }
}
