package io.taskbound.run;

import io.taskbound.JobContext;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.LogLine;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The context of one run, created when the job is claimed (it may wait for a thread on a lane that
 * claims ahead, and a cancellation must reach it there too) and bound to its thread when the run
 * starts here, or to the stop action of a run elsewhere. Its log lines and progress go to the
 * completer's next batch.
 */
final class DefaultJobContext implements JobContext {

    private final ClaimedJob job;
    private final Completer completer;
    private final InstantSource clock;
    private final JobLines lines;
    private volatile boolean cancellationRequested;
    private volatile boolean timedOut;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Thread thread;
    private @Nullable Runnable stop;
    private boolean finished;
    private volatile boolean started;

    DefaultJobContext(ClaimedJob job, Completer completer, InstantSource clock, JobLines lines) {
        this.job = job;
        this.completer = completer;
        this.clock = clock;
        this.lines = lines;
    }

    @Override
    public UUID jobId() {
        return job.id();
    }

    @Override
    public Optional<Instant> fireTime() {
        return Optional.ofNullable(job.fireTime());
    }

    @Override
    public String jobName() {
        return job.name();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public void log(String message) {
        String line = StoredText.clean(String.valueOf(message));
        completer.log(new LogLine(job.id(), job.attempt(), clock.instant(), line));
        lines.write(job, line);
    }

    @Override
    public void progress(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("Progress is a percentage from 0 to 100, was " + percent);
        }
        completer.progress(job.id(), percent);
    }

    @Override
    public boolean isCancellationRequested() {
        return cancellationRequested;
    }

    /** Asks the job to stop, and interrupts it so that a job blocked in a wait wakes up. */
    void requestCancellation() {
        cancellationRequested = true;
        interruptWhileRunning();
    }

    /** Ends a run that took too long. */
    void timeOut() {
        timedOut = true;
        interruptWhileRunning();
    }

    // Under the lock, so that an interrupt is either delivered before finish() or not at all: a pool
    // thread must never carry this run's interrupt into the next job it runs.
    // A run elsewhere is stopped by its executor's action, at most once and outside the lock: it may
    // take a while.
    private void interruptWhileRunning() {
        Runnable action;
        lock.lock();
        try {
            if (finished) {
                return;
            }
            if (thread != null) {
                thread.interrupt();
            }
            action = stop;
            stop = null;
        } finally {
            lock.unlock();
        }
        if (action != null) {
            action.run();
        }
    }

    /** The job this context is of. */
    ClaimedJob job() {
        return job;
    }

    /** Whether the run has started, here or elsewhere; until then the job is held, waiting for a slot. */
    boolean started() {
        return started;
    }

    /** Called by the job's thread when the run starts. */
    void start() {
        started = true;
        lock.lock();
        try {
            thread = Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called when a run elsewhere starts: {@code stop} ends it early, and is called at once when the
     * run was asked to stop before it was known.
     */
    void start(Runnable stop) {
        started = true;
        boolean stopNow;
        lock.lock();
        try {
            stopNow = cancellationRequested || timedOut;
            this.stop = stopNow ? null : stop;
        } finally {
            lock.unlock();
        }
        if (stopNow) {
            stop.run();
        }
    }

    /** Called by the job's thread when the run ends: no interrupt reaches it afterwards. */
    void finish() {
        lock.lock();
        try {
            finished = true;
        } finally {
            lock.unlock();
        }
        Thread.interrupted();
    }

    /** Called when a run elsewhere ends: its stop action is not called afterwards. */
    void finishElsewhere() {
        lock.lock();
        try {
            finished = true;
        } finally {
            lock.unlock();
        }
    }

    boolean timedOut() {
        return timedOut;
    }
}
