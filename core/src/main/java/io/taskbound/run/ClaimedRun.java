package io.taskbound.run;

import io.taskbound.JobError;
import io.taskbound.JobRun;
import io.taskbound.RunFigures;
import io.taskbound.advice.Advisor;
import io.taskbound.job.JobMdc;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import io.taskbound.trace.JobTracing;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A claimed job handed to an executor: run here through {@link #runHere()}, or elsewhere through
 * {@link #start}, {@link #succeeded} and {@link #failed}. Either way it begins once, ends once,
 * and its end goes to {@link Attempts} and then to the completer.
 */
final class ClaimedRun implements JobRun, Attempts.Run {

    private static final Logger log = LoggerFactory.getLogger(ClaimedRun.class);

    private static final int WAITING = 0;
    private static final int STARTED = 1;
    private static final int ENDED = 2;

    private final ClaimedJob job;
    private final DefaultJobContext context;
    private final JobRunner runner;
    private final @Nullable Duration timeout;
    private final Runnable whenEnded;
    private final AtomicInteger phase = new AtomicInteger(WAITING);
    private volatile @Nullable ScheduledFuture<?> timer;
    private volatile @Nullable RunMeasurement measurement;
    private volatile JobTracing.Run traced = JobTracing.Run.NONE;
    // Whether this run ran here on a virtual thread whose CPU the advisor sampled.
    private boolean sampled;

    ClaimedRun(
            ClaimedJob job,
            DefaultJobContext context,
            JobRunner runner,
            @Nullable Duration timeout,
            Runnable whenEnded) {
        this.job = job;
        this.context = context;
        this.runner = runner;
        this.timeout = timeout;
        this.whenEnded = whenEnded;
    }

    @Override
    public UUID jobId() {
        return job.id();
    }

    @Override
    public String jobName() {
        return job.name();
    }

    @Override
    public String lane() {
        return job.lane();
    }

    @Override
    public String argumentsJson() {
        return job.argumentsJson();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public Optional<Instant> fireTime() {
        return Optional.ofNullable(job.fireTime());
    }

    @Override
    public boolean isCancellationRequested() {
        return context.isCancellationRequested();
    }

    @Override
    public void log(String message) {
        context.log(message);
    }

    @Override
    public void progress(int percent) {
        context.progress(percent);
    }

    @Override
    public void runHere() {
        if (!phase.compareAndSet(WAITING, STARTED)) {
            throw new IllegalStateException("Run of job " + job.name() + " (" + job.id() + ") was already started");
        }
        if (!runner.startingRuns()) {
            // Shutting down: a job claimed ahead that has not started yet stays as it is stored,
            // RUNNING under this node, and the shutdown re-queues it without charging an attempt.
            runner.forget(job, context);
            end(null);
            return;
        }
        context.start();
        runner.started(job);
        // A virtual thread has no CPU counter of its own: the advisor samples it, if there is one.
        Advisor advisor = runner.advisor();
        Thread thread = Thread.currentThread();
        sampled = advisor != null && thread.isVirtual() && advisor.sampling(thread, job.name());
        RunMeasurement measured = RunMeasurement.start();
        observe();
        Completion completion = null;
        try {
            timer = runner.timeOutAfter(timeout, context);
            completion = context.isCancellationRequested()
                    ? runner.attempts().cancelledBeforeStart(job, measured)
                    : invokeHere(measured);
        } catch (Throwable unexpected) {
            // Whatever went wrong around the job's own call (an OutOfMemoryError while its outcome
            // was built, the timer gone at a halt) is its failure: a run that ends without an
            // outcome would leave the job RUNNING and its lane slot taken for as long as the node lives.
            completion = runner.attempts().threw(job, this, unexpected, measured);
        } finally {
            cancelTimer();
            context.finish();
            if (sampled) {
                advisor.endedOnVirtualThread(thread);
            }
            // Forgotten only once its outcome is with the completer: a job in neither place would be
            // taken for a lost claim and put back in the queue (see JobStore.requeueUnheld).
            try {
                // An executor that also reported an outcome of this run (it may not: the run ran
                // here) ended it already; ending it twice would free its lane slot twice.
                if (phase.compareAndSet(STARTED, ENDED)) {
                    end(completion);
                } else {
                    log.warn(
                            "Job {} ({}) ran here, and its executor also reported an outcome; the report was kept",
                            job.name(),
                            job.id());
                }
            } finally {
                runner.forget(job, context);
            }
        }
    }

    // The job in the thread's MDC while its method runs, so that the application's log lines say so,
    // and its run's observation current, so that spans the job makes are its run span's children.
    private Completion invokeHere(RunMeasurement measured) {
        LocalInvocation invocation = runner.invocation();
        LocalInvocation.Returned returned;
        try (JobTracing.Scope span = traced.openScope();
                JobMdc.Scope scope = JobMdc.open(job.id(), job.name(), job.attempt(), job.lane())) {
            try {
                returned = invocation.invoke(job, context);
            } catch (Throwable e) {
                return runner.attempts().threw(job, this, e, measured);
            }
            return runner.attempts().returned(job, this, () -> invocation.encode(returned), measured);
        }
    }

    @Override
    public boolean start(Runnable stop) {
        Objects.requireNonNull(stop, "stop");
        if (!phase.compareAndSet(WAITING, STARTED)) {
            throw new IllegalStateException("Run of job " + job.name() + " (" + job.id() + ") was already started");
        }
        if (!runner.startingRuns()) {
            runner.forget(job, context);
            end(null);
            return false;
        }
        runner.started(job);
        observe();
        measurement = RunMeasurement.wallOnly();
        if (context.isCancellationRequested()) {
            finishElsewhere();
            try {
                end(runner.attempts().cancelledBeforeStart(job, measurement));
            } finally {
                runner.forget(job, context);
            }
            return false;
        }
        // The timer first: an outcome reported from elsewhere as soon as the context has started
        // finds it and cancels it. A timer that fires before the context has started marks the run
        // timed out, and the start calls stop at once.
        timer = runner.timeOutAfter(timeout, context);
        context.start(stop);
        return true;
    }

    @Override
    public void succeeded(@Nullable String resultJson, RunFigures figures) {
        Objects.requireNonNull(figures, "figures");
        if (endsElsewhere("succeeded")) {
            try {
                end(runner.attempts()
                        .returned(
                                job, this, () -> runner.storable(job.name(), resultJson), measuredElsewhere(figures)));
            } finally {
                runner.forget(job, context);
            }
        }
    }

    @Override
    public void failed(JobError error, RunFigures figures) {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(figures, "figures");
        if (endsElsewhere("failed")) {
            try {
                end(runner.attempts().failed(job, this, error, null, measuredElsewhere(figures)));
            } finally {
                runner.forget(job, context);
            }
        }
    }

    private @Nullable RunMeasurement measuredElsewhere(RunFigures figures) {
        RunMeasurement wall = measurement;
        return wall == null ? null : wall.reported(figures);
    }

    // Whether this report ends a run started elsewhere: the first one does, later ones are ignored.
    private boolean endsElsewhere(String report) {
        int now = phase.get();
        if (now == WAITING) {
            throw new IllegalStateException("Run of job " + job.name() + " (" + job.id() + ") reported " + report
                    + " before it was started: call start(stop) first");
        }
        if (now == ENDED || !phase.compareAndSet(STARTED, ENDED)) {
            log.debug("Ignoring a second outcome of job {} ({}): {}", job.name(), job.id(), report);
            return false;
        }
        finishElsewhere();
        return true;
    }

    private void finishElsewhere() {
        cancelTimer();
        context.finishElsewhere();
    }

    private void cancelTimer() {
        ScheduledFuture<?> current = timer;
        if (current != null) {
            current.cancel(false);
        }
    }

    private void end(@Nullable Completion completion) {
        phase.set(ENDED);
        boolean written = false;
        try {
            if (completion != null) {
                written = runner.submit(job, completion, sampled);
            }
        } finally {
            try {
                // An outcome dropped at shutdown did not happen: the job runs again.
                traced.ended(written ? completion : null);
            } catch (RuntimeException e) {
                log.warn("The observation of job {} ({}) failed to end", job.name(), job.id(), e);
            }
            whenEnded.run();
        }
    }

    // A failing observation handler costs the run its span, never its outcome.
    private void observe() {
        try {
            traced = runner.tracing().run(job);
        } catch (RuntimeException e) {
            log.warn("The observation of job {} ({}) failed to start", job.name(), job.id(), e);
        }
    }

    @Override
    public boolean cancelled() {
        return context.isCancellationRequested();
    }

    @Override
    public boolean timedOut() {
        return context.timedOut();
    }

    @Override
    public @Nullable Duration timeLimit() {
        return timeout;
    }

    @Override
    public String toString() {
        return "JobRun[" + job.name() + " " + job.id() + " attempt " + job.attempt() + "]";
    }
}
