package io.taskbound.run;

import io.taskbound.JobCancelledException;
import io.taskbound.JobError;
import io.taskbound.JobState;
import io.taskbound.JobTimeoutException;
import io.taskbound.job.ArgumentDecodingException;
import io.taskbound.job.UnrunnableJobException;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run's end means for its job, whichever executor ran it: succeeded, retried after a backoff,
 * dead after its last attempt or at once when retrying cannot help, cancelled, or timed out (which
 * counts as a failed attempt). The one place these rules live.
 */
final class Attempts {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_STACK_TRACE = 16_000;

    private final TaskboundSettings settings;
    private final RandomGenerator random;

    Attempts(TaskboundSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
    }

    /** A run that ends before it began because its job was cancelled while it waited. */
    Completion cancelledBeforeStart(ClaimedJob job, @Nullable RunMeasurement measurement) {
        return completion(
                job,
                JobState.CANCELLED,
                null,
                JobError.of(new JobCancelledException(job.id())),
                "CANCELLED",
                Duration.ZERO,
                measurement);
    }

    /**
     * A run that returned. {@code resultJson} is asked for only when the return counts: not after the
     * run's time was up, nor after it was asked to stop. It may throw {@link UnstorableResultException}.
     */
    Completion returned(
            ClaimedJob job, Run run, Supplier<@Nullable String> resultJson, @Nullable RunMeasurement measurement) {
        if (run.timedOut()) {
            // It returned, but after its time was up: the run counts as timed out all the same.
            return threw(
                    job,
                    run,
                    new JobTimeoutException(
                            "Job \"" + job.name() + "\" returned after its timeout of " + run.timeLimit()),
                    measurement);
        }
        if (run.cancelled()) {
            // A job that checks its context stops by returning: it was cut short, so what it returned
            // is not its result, and the job ends cancelled as the caller asked.
            return completion(
                    job,
                    JobState.CANCELLED,
                    null,
                    JobError.of(new JobCancelledException(job.id())),
                    "CANCELLED",
                    Duration.ZERO,
                    measurement);
        }
        String json;
        try {
            json = resultJson.get();
        } catch (Throwable e) {
            // An unstorable result, or an error while encoding it (an OutOfMemoryError on a huge
            // result): either way the run has no outcome to store but this failure.
            return threw(job, run, e, measurement);
        }
        return completion(job, JobState.SUCCEEDED, json, null, "SUCCEEDED", Duration.ZERO, measurement);
    }

    /** A run in this JVM that threw {@code error}. */
    Completion threw(ClaimedJob job, Run run, Throwable error, @Nullable RunMeasurement measurement) {
        // An OutOfMemoryError too is this job's failure: left unrecorded, the job would stay RUNNING
        // for as long as this node lives.
        if (error instanceof VirtualMachineError fatal) {
            log.error("Job {} ({}) failed with {}", job.name(), job.id(), fatal.toString());
        }
        boolean retryable = !(error instanceof UnstorableResultException
                || error instanceof ArgumentDecodingException
                || error instanceof UnrunnableJobException);
        return failed(job, run, JobError.of(error, retryable), error, measurement);
    }

    /**
     * A run that failed with {@code error}; {@code thrown} is the exception behind it when the run
     * was in this JVM, logged with its stack.
     */
    Completion failed(
            ClaimedJob job, Run run, JobError error, @Nullable Throwable thrown, @Nullable RunMeasurement measurement) {
        if (!error.retryable()) {
            // Arguments that do not fit, or a result that cannot be stored, will not do better on the
            // next attempt: running the job again would only repeat its side effects.
            log.warn("Job {} ({}) cannot complete: {}", job.name(), job.id(), error.message());
            return completion(job, JobState.DEAD, null, error, "FAILED", Duration.ZERO, measurement);
        }
        if (run.cancelled()) {
            return completion(job, JobState.CANCELLED, null, error, "CANCELLED", Duration.ZERO, measurement);
        }
        String outcome = "FAILED";
        if (run.timedOut()) {
            String message = "Job \"" + job.name() + "\" timed out after " + run.timeLimit();
            outcome = "TIMED_OUT";
            if (thrown != null) {
                thrown = new JobTimeoutException(message).initCause(thrown);
                error = JobError.of(thrown);
            } else {
                error = new JobError(
                        JobTimeoutException.class.getName(),
                        message,
                        JobTimeoutException.class.getName() + ": " + message + "\nCaused by: " + error.stackTrace(),
                        true);
            }
        }
        if (job.attempt() < job.maxAttempts()) {
            LaneSettings lane = settings.lane(job.lane());
            Duration delay = new Backoff(lane.initialBackoff(), lane.maxBackoff(), random).delayAfter(job.attempt());
            log.info(
                    "Job {} ({}) failed attempt {} of {}, retrying in {}: {}",
                    job.name(),
                    job.id(),
                    job.attempt(),
                    job.maxAttempts(),
                    delay,
                    error.summary());
            return completion(job, JobState.RETRYING, null, error, outcome, delay, measurement);
        }
        if (thrown != null) {
            log.warn("Job {} ({}) is dead after {} attempts", job.name(), job.id(), job.attempt(), thrown);
        } else {
            log.warn("Job {} ({}) is dead after {} attempts: {}", job.name(), job.id(), job.attempt(), error.summary());
        }
        return completion(job, JobState.DEAD, null, error, outcome, Duration.ZERO, measurement);
    }

    private static Completion completion(
            ClaimedJob job,
            JobState next,
            @Nullable String resultJson,
            @Nullable JobError error,
            String outcome,
            Duration retryDelay,
            @Nullable RunMeasurement measurement) {
        return new Completion(
                job.id(),
                job.lease(),
                next,
                resultJson,
                error == null ? null : StoredText.clean(error.summary()),
                error == null ? null : StoredText.clean(truncated(error.stackTrace())),
                outcome,
                retryDelay,
                measurement == null ? 0 : measurement.wallMicros(),
                measurement == null ? null : measurement.cpuMicros(),
                measurement == null ? null : measurement.allocatedBytes(),
                measurement == null ? null : measurement.peakHeapBytes());
    }

    private static String truncated(String trace) {
        return trace.length() <= MAX_STACK_TRACE ? trace : trace.substring(0, MAX_STACK_TRACE) + "\n\t...";
    }

    /** What the rules need to know of a run besides its report. */
    interface Run {
        boolean cancelled();

        boolean timedOut();

        @Nullable
        Duration timeLimit();
    }
}
