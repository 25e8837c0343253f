package io.taskbound.engine;

import io.taskbound.InvalidScheduleException;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.schedule.ScheduleTiming;
import io.taskbound.store.StoredSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A schedule as written through the API, checked and ready to store. */
record ScheduleDraft(
        String id,
        String jobName,
        @Nullable String argumentsJson,
        @Nullable String lane,
        @Nullable Integer priority,
        @Nullable Integer maxAttempts,
        @Nullable String cron,
        @Nullable Duration every,
        ZoneId zone,
        MisfirePolicy misfire,
        int maxCatchUp,
        OverlapPolicy overlap,
        Duration jitter) {

    static String describe(String id) {
        return "schedule \"" + id + "\"";
    }

    String describe() {
        return describe(id);
    }

    /** The timing as this draft has it; an interval counts from {@code anchor}. */
    ScheduleTiming timing(Instant anchor) {
        return timing(describe(), cron, every, zone, anchor);
    }

    static ScheduleTiming timing(
            String what, @Nullable String cron, @Nullable Duration every, ZoneId zone, Instant anchor) {
        if (cron != null) {
            return ScheduleTiming.cron(what, cron, zone);
        }
        if (every != null) {
            return ScheduleTiming.every(what, every, anchor);
        }
        throw new InvalidScheduleException(
                what + " has no timing: set cron(\"0 */5 * * * *\") or every(Duration.ofMinutes(5))");
    }

    /** The stored row for this draft, given the timing's anchor and next fire time. */
    StoredSchedule toStored(
            ScheduleTiming timing,
            Instant next,
            boolean paused,
            @Nullable Instant lastFireAt,
            Instant createdAt,
            Instant now) {
        return new StoredSchedule(
                id,
                jobName,
                Objects.requireNonNullElse(argumentsJson, "[]"),
                lane,
                priority,
                maxAttempts,
                timing.cron(),
                timing.every(),
                timing.zone(),
                timing.anchor(),
                misfire,
                maxCatchUp,
                overlap,
                jitter,
                paused,
                next,
                lastFireAt,
                null,
                createdAt,
                now);
    }
}
