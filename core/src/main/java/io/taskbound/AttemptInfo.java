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
        @Nullable Long allocatedBytes) {}
