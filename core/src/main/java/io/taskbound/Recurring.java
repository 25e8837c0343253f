package io.taskbound;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a bean method on a schedule, exactly once per fire time however many instances of the
 * application run. Give either {@link #cron()} or {@link #every()}. The method takes no arguments
 * (a trailing {@link JobContext} is allowed); with {@link Job} on the same method its bound type,
 * lane and options apply, without it the defaults do.
 *
 * <p>Schedules declared here are stored and reconciled at start-up: created when new, updated when
 * changed, removed when gone from the code. They can be paused, resumed and triggered at runtime;
 * their definition is changed here, in the code.
 *
 * <pre>{@code
 * @Recurring(cron = "0 0 3 * * *", zone = "Europe/Paris")
 * @Job(bound = Bound.IO)
 * public void nightlyExport() { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Recurring {

    /**
     * Spring's six-field cron expression, {@code second minute hour day-of-month month
     * day-of-week} such as {@code "0 30 9 * * MON-FRI"}, or a macro: {@code @yearly}, {@code @monthly},
     * {@code @weekly}, {@code @daily}, {@code @hourly}.
     */
    String cron() default "";

    /** A fixed interval as an ISO-8601 duration such as {@code "PT30S"}; at least one second. */
    String every() default "";

    /** The zone the cron expression is read in, such as {@code "Europe/Paris"}; empty for the JVM's. */
    String zone() default "";

    /** The schedule's id, unique among schedules; empty for the job's name. */
    String id() default "";

    /** What to do with fire times missed while no node ran. */
    MisfirePolicy misfire() default MisfirePolicy.FIRE_ONCE;

    /** Under {@link MisfirePolicy#FIRE_ALL}, the most missed fire times fired at once. */
    int maxCatchUp() default ScheduleInfo.DEFAULT_MAX_CATCH_UP;

    /** What to do when a fire time comes while the previous job is still queued or running. */
    OverlapPolicy overlap() default OverlapPolicy.SKIP;

    /**
     * Up to this much random delay after each fire time, as an ISO-8601 duration such as
     * {@code "PT10S"}, so that many schedules on the same minute do not start at once; empty for none.
     */
    String jitter() default "";
}
