package io.taskbound;

import java.time.Duration;
import java.time.Instant;

/**
 * A job about to be stored, with per-call options. Nothing is stored until {@link #enqueue()},
 * {@link #in(Duration)} or {@link #at(Instant)} is called.
 */
public interface JobRequest<R> {

    /** Claim priority within the lane: higher runs first among due jobs. */
    JobRequest<R> priority(int priority);

    /**
     * Makes the enqueue idempotent: while a job with this key is queued, retrying or running, an
     * enqueue with the same key returns that job instead of storing a second one.
     */
    JobRequest<R> uniqueKey(String uniqueKey);

    /** Runs the job on this lane instead of its own. */
    JobRequest<R> lane(String lane);

    /** Attempts before the job is dead, first run included. */
    JobRequest<R> maxAttempts(int maxAttempts);

    /** Stores the job to run as soon as a worker is free. */
    JobHandle<R> enqueue();

    /** Stores the job to run once {@code delay} has passed. */
    JobHandle<R> in(Duration delay);

    /** Stores the job to run at or after {@code runAt}. */
    JobHandle<R> at(Instant runAt);
}
