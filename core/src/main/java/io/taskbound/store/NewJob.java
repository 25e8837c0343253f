package io.taskbound.store;

import io.taskbound.Bound;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job to insert. It runs at {@code runAt} when given, else after {@code delay} from the store's
 * current time (database time unless a test clock is set). A job made by a schedule carries the
 * schedule's id and its fire time; the store keeps one job per schedule and fire time. {@code
 * traceContext} is the trace headers of the enqueue that made it, if it was traced.
 */
public record NewJob(
        UUID id,
        String name,
        String lane,
        Bound bound,
        int priority,
        @Nullable Instant runAt,
        Duration delay,
        int maxAttempts,
        @Nullable Duration timeout,
        String argumentsJson,
        @Nullable String uniqueKey,
        @Nullable String scheduleId,
        @Nullable Instant fireTime,
        @Nullable String traceContext) {

    /** A job that no schedule made. */
    public NewJob(
            UUID id,
            String name,
            String lane,
            Bound bound,
            int priority,
            @Nullable Instant runAt,
            Duration delay,
            int maxAttempts,
            @Nullable Duration timeout,
            String argumentsJson,
            @Nullable String uniqueKey) {
        this(
                id,
                name,
                lane,
                bound,
                priority,
                runAt,
                delay,
                maxAttempts,
                timeout,
                argumentsJson,
                uniqueKey,
                null,
                null,
                null);
    }

    /** This job as made by schedule {@code scheduleId} for {@code fireTime}; null for "now", when triggered. */
    public NewJob madeBy(String scheduleId, @Nullable Instant fireTime) {
        return with(scheduleId, fireTime, traceContext);
    }

    /** This job with the trace headers of the enqueue that stores it. */
    public NewJob tracedBy(String traceContext) {
        return with(scheduleId, fireTime, traceContext);
    }

    private NewJob with(@Nullable String scheduleId, @Nullable Instant fireTime, @Nullable String traceContext) {
        return new NewJob(
                id,
                name,
                lane,
                bound,
                priority,
                runAt,
                delay,
                maxAttempts,
                timeout,
                argumentsJson,
                uniqueKey,
                scheduleId,
                fireTime,
                traceContext);
    }

    /** Whether the job is due at once, so that workers should be woken on commit. */
    public boolean dueNow() {
        return runAt == null && delay.isZero();
    }
}
