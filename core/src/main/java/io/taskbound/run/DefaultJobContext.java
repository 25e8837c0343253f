package io.taskbound.run;

import io.taskbound.JobContext;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.LogLine;
import java.time.InstantSource;
import java.util.UUID;

/** The context of one run; its log lines and progress go to the completer's next batch. */
final class DefaultJobContext implements JobContext {

    private final ClaimedJob job;
    private final Completer completer;
    private final InstantSource clock;
    private volatile boolean cancellationRequested;
    private volatile boolean timedOut;

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
    public String jobName() {
        return job.name();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public void log(String message) {
        completer.log(new LogLine(job.id(), job.attempt(), clock.instant(), String.valueOf(message)));
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

    void requestCancellation() {
        cancellationRequested = true;
    }

    void markTimedOut() {
        timedOut = true;
    }

    boolean timedOut() {
        return timedOut;
    }
}
