package io.taskbound.run;

import io.taskbound.JobCancelledException;
import io.taskbound.JobState;
import io.taskbound.JobTimeoutException;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.ArgumentDecodingException;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed job on the calling lane thread: decodes its arguments, calls its method with a
 * timeout, measures the run, and hands the outcome to the completer.
 */
public final class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_STACK_TRACE = 16_000;

    private final JobCatalog registry;
    private final ArgumentCodec codec;
    private final TaskboundSettings settings;
    private final Completer completer;
    private final RunningJobs running;
    private volatile ScheduledThreadPoolExecutor timeouts;
    private final InstantSource clock;
    private final RandomGenerator random;
    private volatile boolean discardOutcomes;
    private volatile boolean startingRuns;
    private volatile @Nullable RunObserver observer;

    public JobRunner(
            JobCatalog registry,
            ArgumentCodec codec,
            TaskboundSettings settings,
            Completer completer,
            RunningJobs running,
            InstantSource clock,
            RandomGenerator random) {
        this.registry = registry;
        this.codec = codec;
        this.settings = settings;
        this.completer = completer;
        this.running = running;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Takes charge of a job just claimed: from now on a cancellation reaches it, even while it waits
     * for a thread. Returns the run, for the lane's executor.
     */
    public Runnable hold(ClaimedJob job) {
        DefaultJobContext context = new DefaultJobContext(job, completer, clock);
        running.add(job.id(), context);
        return () -> run(job, context);
    }

    private void run(ClaimedJob job, DefaultJobContext context) {
        if (!startingRuns) {
            // Shutting down: a job claimed ahead that has not started yet stays as it is stored,
            // RUNNING under this node, and the shutdown re-queues it without charging an attempt.
            running.remove(job.id(), context);
            return;
        }
        context.start();
        RunObserver events = observer;
        if (events != null) {
            events.started(job);
        }
        LaneSettings lane = settings.lane(job.lane());
        Duration timeout = job.timeout() != null ? job.timeout() : lane.timeout();
        ScheduledFuture<?> timer =
                timeout == null ? null : timeouts.schedule(context::timeOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
        RunMeasurement measurement = RunMeasurement.start();
        Completion completion;
        try {
            completion = context.isCancellationRequested()
                    ? failure(
                            job,
                            new JobCancelledException(job.id()),
                            JobState.CANCELLED,
                            "CANCELLED",
                            measurement,
                            Duration.ZERO)
                    : attempt(job, context, lane, measurement, timeout);
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
            running.remove(job.id(), context);
            context.finish();
        }
        if (discardOutcomes) {
            // Shutting down past the deadline: the job is re-queued unchanged, its outcome dropped.
            return;
        }
        if (events != null) {
            events.ended(job, completion);
        }
        completer.submit(completion);
    }

    private Completion attempt(
            ClaimedJob job,
            DefaultJobContext context,
            LaneSettings lane,
            RunMeasurement measurement,
            @Nullable Duration timeout) {
        JobDefinition definition = registry.find(job.name());
        try {
            if (definition == null) {
                throw new ArgumentDecodingException("Job \"" + job.name() + "\" is not registered on this node");
            }
            Object[] arguments = codec.decodeArguments(definition, job.argumentsJson());
            Object result = definition.invoke(arguments, context);
            if (context.timedOut()) {
                // It returned, but after its time was up: the run counts as timed out all the same.
                throw new JobTimeoutException("Job \"" + job.name() + "\" returned after its timeout of " + timeout);
            }
            if (context.isCancellationRequested()) {
                // A job that checks its context stops by returning: it was cut short, so what it
                // returned is not its result, and the job ends cancelled as the caller asked.
                return failure(
                        job,
                        new JobCancelledException(job.id()),
                        JobState.CANCELLED,
                        "CANCELLED",
                        measurement,
                        Duration.ZERO);
            }
            return success(job, encodeResult(definition, result), measurement);
        } catch (ArgumentDecodingException | UnstorableResultException e) {
            // Arguments that do not fit, or a result that cannot be stored, will not do better on the
            // next attempt: running the job again would only repeat its side effects.
            log.warn("Job {} ({}) cannot complete: {}", job.name(), job.id(), e.getMessage());
            return failure(job, e, JobState.DEAD, "FAILED", measurement, Duration.ZERO);
        } catch (Throwable e) {
            // An OutOfMemoryError too is this job's failure: left unrecorded, the job would stay
            // RUNNING for as long as this node lives.
            if (e instanceof VirtualMachineError fatal) {
                log.error("Job {} ({}) failed with {}", job.name(), job.id(), fatal.toString());
            }
            if (context.isCancellationRequested()) {
                return failure(job, e, JobState.CANCELLED, "CANCELLED", measurement, Duration.ZERO);
            }
            Throwable error = context.timedOut()
                    ? new JobTimeoutException("Job \"" + job.name() + "\" timed out after " + timeout).initCause(e)
                    : e;
            String outcome = context.timedOut() ? "TIMED_OUT" : "FAILED";
            if (job.attempt() < job.maxAttempts()) {
                Backoff backoff = new Backoff(lane.initialBackoff(), lane.maxBackoff(), random);
                Duration delay = backoff.delayAfter(job.attempt());
                log.info(
                        "Job {} ({}) failed attempt {} of {}, retrying in {}: {}",
                        job.name(),
                        job.id(),
                        job.attempt(),
                        job.maxAttempts(),
                        delay,
                        error.toString());
                return failure(job, error, JobState.RETRYING, outcome, measurement, delay);
            }
            log.warn("Job {} ({}) is dead after {} attempts", job.name(), job.id(), job.attempt(), error);
            return failure(job, error, JobState.DEAD, outcome, measurement, Duration.ZERO);
        }
    }

    private String encodeResult(JobDefinition definition, Object result) {
        String json;
        try {
            json = codec.encodeResult(definition, result);
        } catch (RuntimeException e) {
            throw new UnstorableResultException(
                    "Result of job \"" + definition.name() + "\" ("
                            + definition.resultType().getTypeName() + ") cannot be written as JSON: " + e.getMessage()
                            + "; return a plain data object (a record or DTO) instead",
                    e);
        }
        if (StoredText.holdsNul(json)) {
            throw new UnstorableResultException("Result of job \"" + definition.name()
                    + "\" holds a NUL character (\\u0000), which PostgreSQL cannot store; remove it from the result");
        }
        return json;
    }

    /** A job ran, but what it returned cannot be stored. */
    private static final class UnstorableResultException extends RuntimeException {
        UnstorableResultException(String message) {
            super(message);
        }

        UnstorableResultException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Completion failure(
            ClaimedJob job,
            Throwable error,
            JobState next,
            String outcome,
            RunMeasurement measurement,
            Duration retryDelay) {
        String message = StoredText.clean(
                error.getMessage() == null
                        ? error.getClass().getName()
                        : error.getClass().getName() + ": " + error.getMessage());
        return new Completion(
                job.id(),
                job.lease(),
                next,
                null,
                message,
                StoredText.clean(stackTrace(error)),
                outcome,
                retryDelay,
                measurement.wallMicros(),
                measurement.cpuMicros(),
                measurement.allocatedBytes());
    }

    private static Completion success(ClaimedJob job, @Nullable String resultJson, RunMeasurement measurement) {
        return new Completion(
                job.id(),
                job.lease(),
                JobState.SUCCEEDED,
                resultJson,
                null,
                null,
                "SUCCEEDED",
                Duration.ZERO,
                measurement.wallMicros(),
                measurement.cpuMicros(),
                measurement.allocatedBytes());
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        String trace = text.toString();
        return trace.length() <= MAX_STACK_TRACE ? trace : trace.substring(0, MAX_STACK_TRACE) + "\n\t...";
    }

    /** From now on, outcomes of runs are dropped: the jobs are being re-queued at shutdown. */
    /** Starts the timer that enforces timeouts; outcomes are written again. */
    public void start() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("taskbound-timeouts").daemon(true).factory());
        // A run that ends in time cancels its timer: drop it at once rather than keep it, with the
        // run's context, until its deadline.
        timer.setRemoveOnCancelPolicy(true);
        timeouts = timer;
        discardOutcomes = false;
        startingRuns = true;
    }

    /** From now on, held jobs that have not started are left for the shutdown's re-queue. */
    public void stopStartingRuns() {
        startingRuns = false;
    }

    /** Stops the timer. */
    public void stop() {
        timeouts.shutdownNow();
    }

    public void discardOutcomes() {
        discardOutcomes = true;
    }

    /** Tells {@code observer} of each run's start and end from now on; null to tell no one. */
    public void observe(@Nullable RunObserver observer) {
        this.observer = observer;
    }
}
