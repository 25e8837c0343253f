package io.taskbound.test;

import io.taskbound.JobInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.assertj.core.api.AbstractAssert;

/**
 * The stored jobs that {@link JobsAssert#hasEnqueued} found, to narrow by the options an enqueue
 * gives. Each method keeps the jobs that have the option and fails if none has it, listing the
 * options of those found; {@link #times} counts the jobs kept so far:
 *
 * <pre>{@code
 * assertThat(jobs).hasEnqueued(Reports::render, 42L).inLane("cpu").withPriority(5).times(1);
 * }</pre>
 */
public final class EnqueuedJobsAssert extends AbstractAssert<EnqueuedJobsAssert, List<JobInfo>> {

    private final String expected;

    EnqueuedJobsAssert(String expected, List<JobInfo> jobs) {
        super(List.copyOf(jobs), EnqueuedJobsAssert.class);
        this.expected = expected;
    }

    /** Keeps the jobs enqueued on {@code lane} ({@code JobRequest.lane}, or the job's own). */
    public EnqueuedJobsAssert inLane(String lane) {
        return keep("in lane \"" + lane + "\"", job -> job.lane().equals(lane));
    }

    /** Keeps the jobs enqueued with claim priority {@code priority}. */
    public EnqueuedJobsAssert withPriority(int priority) {
        return keep("with priority " + priority, job -> job.priority() == priority);
    }

    /** Keeps the jobs enqueued with unique key {@code uniqueKey}. */
    public EnqueuedJobsAssert withUniqueKey(String uniqueKey) {
        return keep("with unique key \"" + uniqueKey + "\"", job -> uniqueKey.equals(job.uniqueKey()));
    }

    /**
     * Keeps the jobs due at {@code runAt} ({@code JobRequest.at}, or a delay's end), to the
     * microsecond that PostgreSQL stores. A retried job's due time is that of its retry.
     */
    public EnqueuedJobsAssert runAt(Instant runAt) {
        Instant stored = runAt.truncatedTo(ChronoUnit.MICROS);
        return keep("to run at " + stored, job -> job.runAt().equals(stored));
    }

    /**
     * Keeps the jobs due {@code delay} after they were stored ({@code JobRequest.in}), to the
     * millisecond: delays are stored in milliseconds, counted from the same reading of the clock as
     * the time of storing. A retried job's due time is that of its retry.
     */
    public EnqueuedJobsAssert delayedBy(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return keep("delayed by " + delay, job -> {
            Duration stored = Duration.between(job.createdAt(), job.runAt());
            return stored.minus(delay).abs().compareTo(Duration.ofMillis(1)) < 0;
        });
    }

    /** Asserts that exactly {@code times} of the jobs kept so far were enqueued. */
    public EnqueuedJobsAssert times(int times) {
        if (actual.size() != times) {
            failWithMessage(
                    "%s",
                    "Expected " + times + " job(s) " + expected + ", but found " + actual.size() + ":"
                            + JobsAssert.list(actual));
        }
        return this;
    }

    private EnqueuedJobsAssert keep(String option, Predicate<JobInfo> has) {
        List<JobInfo> kept = actual.stream().filter(has).toList();
        if (kept.isEmpty()) {
            failWithMessage(
                    "%s",
                    "Expected a job " + expected + " " + option + ", but the " + actual.size() + " enqueued so are:"
                            + JobsAssert.list(actual));
        }
        return new EnqueuedJobsAssert(expected + " " + option, kept);
    }
}
