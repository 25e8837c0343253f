package io.taskbound.store;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job this node claimed; {@code lease} fences its completion against a re-run elsewhere, and
 * {@code fireTime} is the fire time of a job a schedule made.
 */
public record ClaimedJob(
        UUID id,
        String name,
        String lane,
        String argumentsJson,
        int attempt,
        int maxAttempts,
        @Nullable Duration timeout,
        UUID lease,
        @Nullable Instant fireTime) {}
