package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One run of a job that did not succeed (the successful last run is the job itself): where and
 * when it ran, how it ended and why.
 *
 * @param outcome {@code FAILED}, {@code TIMED_OUT}, {@code CANCELLED} or another word the engine
 *     records for how the run ended
 * @param peakHeapBytes the highest the heap of the worker JVM that ran it was during the run; null
 *     for a run in the application's own JVM, or a worker that died before it could say
 */
public record AttemptInfo(
        int attempt,
        @Nullable String nodeId,
        @Nullable Instant startedAt,
        Instant finishedAt,
        String outcome,
        @Nullable String error,
        @Nullable String stackTrace,
        @Nullable Duration wallTime,
        @Nullable Duration cpuTime,
        @Nullable Long allocatedBytes,
        @Nullable Long peakHeapBytes) {}
