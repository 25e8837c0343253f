package io.taskbound;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A stored job seen from the code that enqueued it, on any node. {@link #future()} completes when
 * the job succeeds, and completes exceptionally with {@link JobFailedException} when it ends dead or
 * cancelled.
 */
public interface JobHandle<R> {

    UUID id();

    /** The job's state as stored now. */
    JobState state();

    /**
     * Waits for the job's result.
     *
     * @throws JobFailedException if the job ended dead or cancelled
     * @throws JobTimeoutException if it has not finished within {@code timeout}
     */
    R await(Duration timeout);

    /** A future of the job's result; completing or cancelling it does not affect the job. */
    CompletableFuture<R> future();
}
