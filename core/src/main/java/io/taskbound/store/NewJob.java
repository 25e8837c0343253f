package io.taskbound.store;

import io.taskbound.Bound;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job to insert. It runs at {@code runAt} when given, else after {@code delay} from the store's
 * current time (database time unless a test clock is set).
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
        @Nullable String uniqueKey) {

    /** Whether the job is due at once, so that workers should be woken on commit. */
    public boolean dueNow() {
        return runAt == null && delay.isZero();
    }
}
