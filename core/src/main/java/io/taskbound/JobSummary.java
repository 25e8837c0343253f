package io.taskbound;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A job as a listing shows it: everything but its arguments, result and measurements. */
public record JobSummary(
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
        @Nullable String error,
        @Nullable Integer progress,
        @Nullable String scheduleId) {}
