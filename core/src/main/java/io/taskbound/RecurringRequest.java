package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A schedule being created or changed through the runtime API. Nothing is stored until {@link
 * #call} or {@link #save()}. Setting {@link #cron} clears {@link #every} and the other way round.
 *
 * <pre>{@code
 * jobs.recurring("cleanup").every(Duration.ofMinutes(5)).call(Cleanup::purge);
 * jobs.recurring("nightly-report").cron("0 0 3 * * *").zone(ZoneId.of("Europe/Paris"))
 *         .call(jobs.schedule(Reports::render, 42L));
 * jobs.schedules().update("cleanup").every(Duration.ofMinutes(10)).save();
 * }</pre>
 */
public interface RecurringRequest {

    /**
     * Fires on Spring's six-field cron expression ({@code second minute hour day-of-month month
     * day-of-week}) or a macro such as {@code @daily}.
     *
     * @throws InvalidScheduleException if the expression is not valid
     */
    RecurringRequest cron(String expression);

    /**
     * Fires every {@code interval}, at least one second, counted from when the schedule is created.
     *
     * @throws InvalidScheduleException if the interval is shorter than a second
     */
    RecurringRequest every(Duration interval);

    /** Reads the cron expression in {@code zone}; by default the JVM's zone. */
    RecurringRequest zone(ZoneId zone);

    /** Replaces the job's arguments, as a JSON array such as {@code "[42]"}. */
    RecurringRequest arguments(String argumentsJson);

    RecurringRequest misfire(MisfirePolicy policy);

    /** Under {@link MisfirePolicy#FIRE_ALL}, the most missed fire times fired at once. */
    RecurringRequest maxCatchUp(int fires);

    RecurringRequest overlap(OverlapPolicy policy);

    /** Delays each job by a random amount up to {@code jitter} after its fire time. */
    RecurringRequest jitter(Duration jitter);

    /** The next {@code count} fire times from now, as the schedule stands in this request. */
    List<Instant> preview(int count);

    /**
     * Stores the schedule to run {@code job} (built with {@code jobs.schedule(...)}, whose
     * arguments, lane, priority and attempts it keeps), replacing a schedule with this id that was
     * created through the API.
     */
    ScheduleInfo call(JobRequest<?> job);

    /** Stores the schedule to run the job registered as {@code jobName} with JSON arguments. */
    ScheduleInfo call(String jobName, String argumentsJson);

    <T> ScheduleInfo call(JobRef.Proc0<T> job);

    <T, R> ScheduleInfo call(JobRef.Fn0<T, R> job);

    <T> ScheduleInfo call(JobRef.Proc0WithContext<T> job);

    <T, R> ScheduleInfo call(JobRef.Fn0WithContext<T, R> job);

    /**
     * Stores the changes to an existing schedule, keeping its job.
     *
     * @throws UnknownScheduleException if no schedule has this id
     */
    ScheduleInfo save();
}
