package io.taskbound.store;

import io.taskbound.JobState;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one run, written in batches. {@code state} is where the job goes next: SUCCEEDED,
 * RETRYING (after {@code retryDelay}), DEAD or CANCELLED. Failed runs also become attempt rows.
 * {@code peakHeapBytes} is known only of a run in a worker process.
 */
public record Completion(
        UUID jobId,
        UUID lease,
        JobState state,
        @Nullable String resultJson,
        @Nullable String error,
        @Nullable String stackTrace,
        String outcome,
        Duration retryDelay,
        long wallTimeMicros,
        @Nullable Long cpuTimeMicros,
        @Nullable Long allocatedBytes,
        @Nullable Long peakHeapBytes) {}
