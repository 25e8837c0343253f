package io.taskbound.run;

import io.taskbound.JobContext;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.LogLine;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The context of one run, created when the job is claimed (it may wait for a thread on a lane that
 * claims ahead, and a cancellation must reach it there too) and bound to its thread when the run
 * starts. Its log lines and progress go to the completer's next batch.
 */
final class DefaultJobContext implements JobContext {

    private final ClaimedJob job;
    private final Completer completer;
    private final InstantSource clock;
    private volatile boolean cancellationRequested;
    private volatile boolean timedOut;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread thread;
    private boolean finished;

    DefaultJobContext(ClaimedJob job, Completer completer, InstantSource clock) {
        this.job = job;
        this.completer = completer;
        this.clock = clock;
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
        completer.log(new LogLine(job.id(), job.attempt(), clock.instant(), StoredText.clean(String.valueOf(message))));
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
    private void interruptWhileRunning() {
        lock.lock();
        try {
            if (thread != null && !finished) {
                thread.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called by the job's thread when the run starts. */
    void start() {
        lock.lock();
        try {
            thread = Thread.currentThread();
        } finally {
            lock.unlock();
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

    boolean timedOut() {
        return timedOut;
    }
}
