package io.taskbound.store;

import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.ScheduleInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * A row of the schedule table.
 *
 * @param lane, priority, maxAttempts the job's options, or null for the job's own
 * @param anchorAt where an interval schedule counts from
 * @param declaredBy the {@code @Recurring} method, or null for a schedule made through the API
 */
public record StoredSchedule(
        String id,
        String jobName,
        String argumentsJson,
        @Nullable String lane,
        @Nullable Integer priority,
        @Nullable Integer maxAttempts,
        @Nullable String cron,
        @Nullable Duration every,
        ZoneId zone,
        Instant anchorAt,
        MisfirePolicy misfire,
        int maxCatchUp,
        OverlapPolicy overlap,
        Duration jitter,
        boolean paused,
        Instant nextFireAt,
        @Nullable Instant lastFireAt,
        @Nullable String declaredBy,
        Instant createdAt,
        Instant updatedAt) {

    public StoredSchedule withState(boolean paused, Instant nextFireAt) {
        return new StoredSchedule(
                id,
                jobName,
                argumentsJson,
                lane,
                priority,
                maxAttempts,
                cron,
                every,
                zone,
                anchorAt,
                misfire,
                maxCatchUp,
                overlap,
                jitter,
                paused,
                nextFireAt,
                lastFireAt,
                declaredBy,
                createdAt,
                updatedAt);
    }

    /** What the API shows of this schedule. */
    public ScheduleInfo toInfo() {
        return new ScheduleInfo(
                id,
                jobName,
                argumentsJson,
                cron,
                every,
                zone,
                misfire,
                maxCatchUp,
                overlap,
                jitter,
                paused,
                nextFireAt,
                lastFireAt,
                declaredBy,
                createdAt,
                updatedAt);
    }
}
