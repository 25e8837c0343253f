package io.taskbound.run;

import io.taskbound.JobRun;
import io.taskbound.advice.Advisor;
import io.taskbound.figures.RunTally;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.JobCatalog;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import io.taskbound.trace.JobTracing;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Turns claimed jobs into {@link JobRun}s for the lanes' executors, and holds what their runs share
 * on this node: the timer that enforces timeouts, the rules of {@link Attempts}, the in-JVM {@link
 * LocalInvocation}, and whether runs may still start and their outcomes still be written.
 */
public final class JobRunner {

    private final TaskboundSettings settings;
    private final Completer completer;
    private final RunningJobs running;
    private final RunTally tally;
    private final InstantSource clock;
    private final ArgumentCodec codec;
    private final LocalInvocation invocation;
    private final Attempts attempts;
    private final JobLines lines;
    private volatile ScheduledThreadPoolExecutor timeouts;
    private volatile boolean discardOutcomes;
    private volatile boolean startingRuns;
    private volatile @Nullable RunObserver observer;
    private volatile @Nullable Advisor advisor;
    private volatile JobTracing tracing = JobTracing.NONE;

    public JobRunner(
            JobCatalog registry,
            ArgumentCodec codec,
            TaskboundSettings settings,
            Completer completer,
            RunningJobs running,
            RunTally tally,
            InstantSource clock,
            RandomGenerator random,
            JobLines lines) {
        this.settings = settings;
        this.completer = completer;
        this.running = running;
        this.tally = tally;
        this.clock = clock;
        this.codec = codec;
        this.invocation = new LocalInvocation(registry, codec);
        this.attempts = new Attempts(settings, random);
        this.lines = lines;
    }

    /**
     * Takes charge of a job just claimed: from now on a cancellation reaches it, even while it waits
     * for an executor. Returns the run to hand to the lane's executor; {@code whenEnded} is called
     * once when the run has ended, its outcome submitted, or was dropped at shutdown.
     */
    public JobRun hold(ClaimedJob job, Runnable whenEnded) {
        DefaultJobContext context = new DefaultJobContext(job, completer, clock, lines);
        running.add(job.id(), context);
        Duration timeout = job.timeout() != null
                ? job.timeout()
                : settings.lane(job.lane()).timeout();
        return new ClaimedRun(job, context, this, timeout, whenEnded);
    }

    Attempts attempts() {
        return attempts;
    }

    LocalInvocation invocation() {
        return invocation;
    }

    boolean startingRuns() {
        return startingRuns;
    }

    @Nullable
    ScheduledFuture<?> timeOutAfter(@Nullable Duration timeout, DefaultJobContext context) {
        return timeout == null ? null : timeouts.schedule(context::timeOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    void forget(ClaimedJob job, DefaultJobContext context) {
        running.remove(job.id(), context);
    }

    /** A result reported from elsewhere, if it can be stored. */
    @Nullable
    String storable(String jobName, @Nullable String resultJson) {
        if (resultJson != null) {
            String why = codec.whyNotJson(resultJson);
            if (why != null) {
                throw new UnstorableResultException(
                        "Result of job \"" + jobName + "\" reported by its executor is not JSON: " + why);
            }
        }
        return LocalInvocation.storable(jobName, resultJson);
    }

    /** A run of {@code job} begins: counts it, and tells the observer, if any. */
    void started(ClaimedJob job) {
        tally.started(job.lane(), job.name(), job.runAtMicros());
        RunObserver events = observer;
        if (events != null) {
            events.started(job);
        }
    }

    /**
     * Submits the outcome of a run of {@code job}; {@code sampled} when the run ran here on a
     * virtual thread, whose CPU time only the advisor's sampler sees. Whether it was submitted:
     * not once outcomes are discarded at shutdown.
     */
    boolean submit(ClaimedJob job, Completion completion, boolean sampled) {
        if (discardOutcomes) {
            // Shutting down past the deadline: the job is re-queued unchanged, its outcome dropped.
            return false;
        }
        tally.ended(job.lane(), job.name(), completion.state(), completion.wallTimeMicros());
        Advisor advice = advisor;
        if (advice != null) {
            advice.ran(
                    job.name(),
                    job.lane(),
                    completion.wallTimeMicros(),
                    completion.cpuTimeMicros(),
                    completion.allocatedBytes(),
                    completion.peakHeapBytes(),
                    sampled);
        }
        RunObserver events = observer;
        if (events != null) {
            events.ended(job, completion);
        }
        completer.submit(completion);
        return true;
    }

    /** Tells {@code advisor} of each run's figures from now on; null to tell no one. */
    public void advise(@Nullable Advisor advisor) {
        this.advisor = advisor;
    }

    /** The advisor runs are told to, if any. */
    @Nullable
    Advisor advisor() {
        return advisor;
    }

    /** Observes each run with {@code tracing} from now on. */
    public void trace(JobTracing tracing) {
        this.tracing = Objects.requireNonNull(tracing, "tracing");
    }

    /** What observes runs. */
    JobTracing tracing() {
        return tracing;
    }

    /** Tells {@code observer} of each run's start and end from now on; null to tell no one. */
    public void observe(@Nullable RunObserver observer) {
        this.observer = observer;
    }

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

    /** From now on, outcomes of runs are dropped: the jobs are being re-queued at shutdown. */
    public void discardOutcomes() {
        discardOutcomes = true;
    }
}
