package io.taskbound.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Brings Taskbound's test kit into a {@code @SpringBootTest}: the engine runs on a {@link
 * TestClock} bean, and a {@link TaskboundTester} bean drains its jobs. Assert on what was enqueued
 * with {@link JobsAssert}.
 *
 * <p>With {@code inline = true}, every lane runs its jobs in the test's own thread, as Celery's
 * eager mode does: an enqueue made outside a transaction returns once the job, and every due job it
 * enqueued, has run; see {@link #inline()} for what it does and does not change.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("taskbound.test")
public @interface AutoConfigureTaskboundTest {

    /**
     * Whether jobs run in the thread that enqueues or drains them (the test's own, or a request's
     * in a web test) instead of on their lanes' threads and worker JVMs. Every lane's executor is then the test kit's, which runs nothing by itself: the lanes
     * still claim jobs from the store as usual, and a drain, or an enqueue made outside a
     * transaction, runs what they claimed in its own thread. So:
     *
     * <ul>
     *   <li>Jobs are stored as usual, and an enqueue inside a transaction is stored only if it
     *       commits; it runs at the next drain, never before the commit.
     *   <li>Each run is a normal attempt: its outcome, result, timings and log are stored; a failed
     *       attempt is retried after its backoff, which the test reaches by advancing the clock and
     *       draining; a run past its timeout is interrupted (the test's thread, whose interrupt is
     *       cleared once the run ends).
     *   <li>Schedules fire as usual, by the test clock; their jobs run at the next drain.
     *   <li>Memory-bound jobs run in the test's JVM, not in a worker JVM with a heap of its own.
     *   <li>Jobs run one after another in the draining thread: a job that awaits another job's
     *       result ({@code JobHandle.await}) holds the only thread that would run that job, and
     *       waits until its own timeout.
     * </ul>
     */
    boolean inline() default false;
}
