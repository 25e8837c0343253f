package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What is stored about a job. Measurements are of the latest run: {@code cpuTime} and
 * {@code allocatedBytes} are null where the JVM cannot attribute them to the job (virtual threads);
 * {@code peakHeapBytes}, the highest the heap of the worker JVM that ran the job was during the run,
 * is known only of runs on a process lane, and null for runs in the application's own JVM, whose
 * heap all its threads share. {@code wallTime} is always the engine's own measurement of the whole
 * run, a worker's hand-over included.
 * A job made by a schedule has its {@code scheduleId} and the {@code fireTime} it was made for.
 * {@code traceContext} is the trace context of the enqueue that stored the job, when it was traced:
 * its W3C headers, one {@code name: value} per line (say {@code traceparent: 00-<trace id>-<span
 * id>-01}), which lead to the enqueue's span in the application's tracing back end.
 */
public record JobInfo(
        UUID id,
        String name,
        String lane,
        Bound bound,
        JobState state,
        int priority,
        int attempt,
        int maxAttempts,
        Instant createdAt,
        Instant runAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable String nodeId,
        @Nullable String argumentsJson,
        @Nullable String resultJson,
        @Nullable String error,
        @Nullable Integer progress,
        @Nullable String uniqueKey,
        @Nullable Duration wallTime,
        @Nullable Duration cpuTime,
        @Nullable Long allocatedBytes,
        @Nullable Long peakHeapBytes,
        @Nullable String scheduleId,
        @Nullable Instant fireTime,
        @Nullable String traceContext) {

    /**
     * How late the latest run started: from when the job was due ({@code runAt}: its fire time,
     * delay or retry time) to when a node claimed it, both by the database's clock. Null until a
     * run starts.
     */
    public @Nullable Duration lateness() {
        return startedAt == null ? null : Duration.between(runAt, startedAt);
    }
}
