package io.taskbound.store;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job this node claimed; {@code lease} fences its completion against a re-run elsewhere, and
 * {@code fireTime} is the fire time of a job a schedule made. {@code runAtMicros} is when this
 * attempt was due, in microseconds since the epoch by the store's clock: a number rather than an
 * {@code Instant}, so that a claim parses no timestamp that only job events read. {@code
 * traceContext} is the trace headers stored with the job when its enqueue was traced.
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
        @Nullable Instant fireTime,
        long runAtMicros,
        @Nullable String traceContext) {

    /** When this attempt was due. */
    public Instant runAt() {
        return Instant.EPOCH.plus(runAtMicros, ChronoUnit.MICROS);
    }
}
