package io.taskbound.schedule;

import io.taskbound.InvalidScheduleException;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.Recurring;
import io.taskbound.job.JobDefinition;
import io.taskbound.store.StoredSchedule;
import java.time.Duration;
import java.time.Instant;

/**
 * A schedule declared by a {@code @Recurring} method, as the code has it: what reconciliation
 * makes the stored schedule of the same id look like.
 *
 * @param declaredBy the method, such as {@code Reports.nightly()}
 */
public record RecurringDefinition(
        String id,
        String jobName,
        ScheduleTiming timing,
        MisfirePolicy misfire,
        int maxCatchUp,
        OverlapPolicy overlap,
        Duration jitter,
        String declaredBy) {

    /**
     * The schedule that {@code annotation} declares on the job {@code job}.
     *
     * @throws InvalidScheduleException naming the method and what is wrong
     */
    public static RecurringDefinition from(JobDefinition job, Recurring annotation) {
        String where = "@Recurring method " + job.describeMethod();
        if (!job.parameters().isEmpty()) {
            throw new InvalidScheduleException(where + " takes parameters: a recurring job gets no arguments;"
                    + " remove them (a trailing JobContext is fine), or create the schedule with"
                    + " jobs.recurring(...) and arguments");
        }
        boolean cron = !annotation.cron().isBlank();
        boolean every = !annotation.every().isBlank();
        if (cron == every) {
            throw new InvalidScheduleException(where
                    + (cron
                            ? " has both cron and every: keep one"
                            : " has neither cron nor every: add cron = \"0 */5 * * * *\" or every = \"PT5M\""));
        }
        ScheduleTiming timing = cron
                ? ScheduleTiming.cron(where, annotation.cron(), ScheduleTiming.parseZone(where, annotation.zone()))
                : ScheduleTiming.every(where, ScheduleTiming.parseInterval(where, annotation.every()), Instant.EPOCH);
        if (annotation.maxCatchUp() < 1) {
            throw new InvalidScheduleException(
                    where + " has maxCatchUp = " + annotation.maxCatchUp() + ": use 1 or more");
        }
        Duration jitter = annotation.jitter().isBlank()
                ? Duration.ZERO
                : ScheduleTiming.parseInterval(where + " (jitter)", annotation.jitter());
        if (jitter.isNegative()) {
            throw new InvalidScheduleException(where + " has a negative jitter " + jitter + ": use PT0S or more");
        }
        String id = annotation.id().isBlank() ? job.name() : annotation.id().strip();
        return new RecurringDefinition(
                id,
                job.name(),
                timing,
                annotation.misfire(),
                annotation.maxCatchUp(),
                annotation.overlap(),
                jitter,
                job.describeMethod());
    }

    /** The schedule as first stored at {@code now}: an interval counts from {@code now}. */
    public StoredSchedule toStored(Instant now) {
        ScheduleTiming anchored = timing.anchoredAt(now);
        return stored(anchored, false, anchored.next(now), null, now, now);
    }

    /**
     * The stored schedule changed to this definition at {@code now}. It keeps its pause and its
     * last fire time; its next fire time is kept unless the timing changed.
     */
    public StoredSchedule applyTo(StoredSchedule current, Instant now) {
        ScheduleTiming stored = ScheduleTiming.of(current);
        boolean sameTiming = stored.sameAs(timing);
        ScheduleTiming anchored = sameTiming ? stored : timing.anchoredAt(now);
        Instant next = sameTiming ? current.nextFireAt() : anchored.next(now);
        return stored(anchored, current.paused(), next, current.lastFireAt(), current.createdAt(), now);
    }

    /** Whether {@code current} already matches this definition. */
    public boolean matches(StoredSchedule current) {
        return ScheduleTiming.of(current).sameAs(timing)
                && current.jobName().equals(jobName)
                && current.argumentsJson().replace(" ", "").equals("[]")
                && current.lane() == null
                && current.priority() == null
                && current.maxAttempts() == null
                && current.misfire() == misfire
                && current.maxCatchUp() == maxCatchUp
                && current.overlap() == overlap
                && current.jitter().equals(jitter)
                && declaredBy.equals(current.declaredBy());
    }

    private StoredSchedule stored(
            ScheduleTiming anchored,
            boolean paused,
            Instant next,
            Instant lastFireAt,
            Instant createdAt,
            Instant updatedAt) {
        return new StoredSchedule(
                id,
                jobName,
                "[]",
                null,
                null,
                null,
                anchored.cron(),
                anchored.every(),
                anchored.zone(),
                anchored.anchor(),
                misfire,
                maxCatchUp,
                overlap,
                jitter,
                paused,
                next,
                lastFireAt,
                declaredBy,
                createdAt,
                updatedAt);
    }
}
