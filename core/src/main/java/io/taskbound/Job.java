package io.taskbound;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method as a job that can be enqueued through {@link Jobs}.
 *
 * <p>Jobs are stored under a stable {@link #name()}, never as a serialized lambda, so that a
 * renamed class or package keeps its queued jobs as long as the name is kept.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
public @interface Job {

    /**
     * Stable name under which the job is stored. Empty means {@code SimpleClassName.method}, for
     * example {@code "Calculator.add"}.
     */
    String name() default "";

    /** What limits the job; selects its lane unless {@link #lane()} is set. */
    Bound bound() default Bound.IO;

    /** Lane that runs the job, overriding the lane of its {@link #bound()}. Empty means none. */
    String lane() default "";

    /** Attempts before the job is dead, first run included. 0 means the lane's setting. */
    int maxAttempts() default 0;

    /** ISO-8601 duration after which a run is interrupted, such as "PT5M". Empty means the lane's. */
    String timeout() default "";

    /** Claim priority within the lane: higher runs first among due jobs. */
    int priority() default 0;
}
