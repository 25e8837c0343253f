package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What is stored about a job. Measurements are of the latest run: {@code cpuTime} and
 * {@code allocatedBytes} are null where the JVM cannot attribute them to the job (virtual threads).
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
        @Nullable Long allocatedBytes) {}
