package io.taskbound.test;

import io.taskbound.JobFilter;
import io.taskbound.JobQueries;
import io.taskbound.JobState;
import io.taskbound.JobSummary;
import io.taskbound.Page;
import io.taskbound.ScheduleInfo;
import io.taskbound.engine.TaskboundEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Runs a test's jobs to the end: {@link #drain()} makes the engine look for due work at once and
 * waits until no job is due, queued or running, and no schedule is due. Inject it into a test
 * annotated with {@link AutoConfigureTaskboundTest}:
 *
 * <pre>{@code
 * reports.create("Q3");          // enqueues Reports::render
 * taskbound.drain();             // rendered, and whatever the render enqueued
 * clock.advance(Duration.ofHours(1));
 * taskbound.drain();             // the hourly schedule fired and its job ran
 * }</pre>
 *
 * <p>In inline mode the jobs run in the thread that drains, the test's own; otherwise on their
 * lanes' threads as in production, while the test waits.
 */
public final class TaskboundTester {

    /** How long {@link #drain()} waits. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    // How often a drain looks at the store while jobs run; a drain that finds nothing left returns at once.
    private static final Duration LOOK_INTERVAL = Duration.ofMillis(50);
    // The pending work a failure lists; the rest is counted.
    private static final int LISTED = 20;

    private final TaskboundEngine engine;
    private final TestClock clock;
    private final @Nullable InlineExecutor inline;
    // Set while this thread drains: an enqueue from a job that runs inline leaves its job to the drain.
    private final ThreadLocal<Boolean> draining = ThreadLocal.withInitial(() -> false);

    TaskboundTester(TaskboundEngine engine, TestClock clock, @Nullable InlineExecutor inline) {
        this.engine = engine;
        this.clock = clock;
        this.inline = inline;
    }

    /** The clock the engine runs on. */
    public TestClock clock() {
        return clock;
    }

    /** Whether jobs run in the test's thread: {@code @AutoConfigureTaskboundTest(inline = true)}. */
    public boolean inline() {
        return inline != null;
    }

    /** {@link #drain(Duration)} for up to {@link #DEFAULT_TIMEOUT}. */
    public void drain() {
        drain(DEFAULT_TIMEOUT);
    }

    /**
     * Runs every job that is due by the {@linkplain #clock() test clock} and waits until none is
     * left: no job queued or retrying with a due time that has passed, none running, no schedule
     * whose fire time has passed. Jobs that the drained jobs enqueue, due ones, are drained too; a
     * job that failed and waits for its retry, or a delayed one, is not due: {@linkplain
     * TestClock#advance advance the clock} and drain again to run it.
     *
     * <p>Only committed work counts: a test method that is itself {@code @Transactional} (and so
     * rolled back) never commits what it enqueues, and the engine never sees it.
     *
     * @throws AssertionError after {@code timeout}, listing what is still queued, running or due; a
     *     job on a paused lane, or one that no {@code @Job} method of this application runs, is never
     *     drained
     */
    public void drain(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("The drain timeout must be positive, was " + timeout);
        }
        boolean outermost = !draining.get();
        draining.set(true);
        try {
            drainUntil(System.nanoTime() + timeout.toNanos(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while draining Taskbound's jobs", e);
        } finally {
            if (outermost) {
                draining.remove();
            }
        }
    }

    private void drainUntil(long deadline, Duration timeout) throws InterruptedException {
        while (true) {
            engine.lookNow();
            runHandedOver(Duration.ZERO);
            List<String> pending = pending();
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(timedOut(timeout, pending));
            }
            if (!runHandedOver(LOOK_INTERVAL)) {
                LockSupport.parkNanos(LOOK_INTERVAL.toNanos());
            }
        }
    }

    /**
     * In inline mode, runs here every run the lanes handed over, waiting up to {@code wait} for the
     * first; returns whether one ran. Returns false at once otherwise.
     */
    private boolean runHandedOver(Duration wait) throws InterruptedException {
        if (inline == null) {
            return false;
        }
        boolean ran = false;
        Duration next = wait;
        while (inline.runNext(next)) {
            ran = true;
            next = Duration.ZERO;
        }
        return ran;
    }

    /**
     * Drains after an enqueue in inline mode, unless this thread already drains (a job running
     * inline enqueued it: the drain runs it once that job has ended).
     */
    void drainAfterEnqueue() {
        if (!draining.get()) {
            drain();
        }
    }

    // What keeps a drain going, one line each: due or running jobs, and schedules due to fire.
    private List<String> pending() {
        Instant now = clock.instant();
        JobQueries queries = engine.jobs().queries();
        JobFilter unfinished = JobFilter.all().inStates(JobState.QUEUED, JobState.RETRYING, JobState.RUNNING);
        List<String> pending = new ArrayList<>();
        String cursor = null;
        do {
            Page<JobSummary> page = queries.list(unfinished, cursor, JobQueries.MAX_PAGE_SIZE);
            for (JobSummary job : page.items()) {
                if (job.state() == JobState.RUNNING) {
                    pending.add(job.name() + " (" + job.id() + ") RUNNING on lane " + job.lane() + " since "
                            + job.startedAt());
                } else if (!job.runAt().isAfter(now)) {
                    pending.add(job.name() + " (" + job.id() + ") " + job.state() + " on lane " + job.lane()
                            + ", due since " + job.runAt());
                }
            }
            cursor = page.next();
        } while (cursor != null);
        for (ScheduleInfo schedule : engine.jobs().schedules().list()) {
            if (!schedule.paused() && !schedule.nextFireAt().isAfter(now)) {
                pending.add("schedule " + schedule.id() + " of job " + schedule.jobName() + ", due to fire at "
                        + schedule.nextFireAt());
            }
        }
        return pending;
    }

    private String timedOut(Duration timeout, List<String> pending) {
        StringBuilder message = new StringBuilder("Taskbound's jobs were not drained within ")
                .append(timeout)
                .append(" (test clock at ")
                .append(clock.instant())
                .append("); still queued, running or due:");
        pending.stream().limit(LISTED).forEach(line -> message.append("\n  ").append(line));
        if (pending.size() > LISTED) {
            message.append("\n  and ").append(pending.size() - LISTED).append(" more");
        }
        return message.append("\nA job on a paused lane, or one no @Job method of this application runs, is never")
                .append(" drained; a longer job needs a longer timeout: drain(Duration).")
                .toString();
    }
}
