package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * A stored schedule.
 *
 * @param cron the cron expression, or null for an interval schedule
 * @param every the interval, or null for a cron schedule
 * @param zone the zone the cron expression is read in
 * @param nextFireAt the next fire time; while paused, the one it had when paused
 * @param lastFireAt the latest fire time that made a job, or null if none yet; a trigger does not
 *     count
 * @param declaredBy the {@code @Recurring} method that declares the schedule, such as {@code
 *     Reports.nightly()}, or null for a schedule created through {@link Schedules}
 */
public record ScheduleInfo(
        String id,
        String jobName,
        String argumentsJson,
        @Nullable String cron,
        @Nullable Duration every,
        ZoneId zone,
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

    /** How many missed fire times {@link MisfirePolicy#FIRE_ALL} fires at most, unless told. */
    public static final int DEFAULT_MAX_CATCH_UP = 100;

    /** Whether a {@code @Recurring} method declares this schedule, rather than the runtime API. */
    public boolean declaredInCode() {
        return declaredBy != null;
    }

    /** The schedule's timing as written: the cron expression or the ISO-8601 interval. */
    public String timing() {
        return cron != null ? cron : "every " + every;
    }
}
