package io.taskbound.bench;

import io.taskbound.JobError;
import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import io.taskbound.RunFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An executor around another that times each run from its hand-over ({@link #execute}) to its
 * outcome: the moment the run reports it ({@link JobRun#succeeded} or {@link JobRun#failed}, as an
 * executor running jobs elsewhere does) or {@link JobRun#runHere()} returns (as one running them in
 * this JVM does, having reported inside). What it measures is what a lane pays for its executor,
 * the job's own body included; with a no-op body, that is the executor's overhead.
 */
final class TimedExecutor implements JobExecutor {

    private final JobExecutor delegate;
    private final List<Long> nanos = new ArrayList<>();

    TimedExecutor(JobExecutor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(JobRun run) {
        delegate.execute(new Timed(run, System.nanoTime()));
    }

    /** Forgets the runs timed so far (the warm-up's). */
    synchronized void reset() {
        nanos.clear();
    }

    /** The runs timed since the last {@link #reset()}, in ms. */
    synchronized double[] millis() {
        return nanos.stream().mapToDouble(n -> n / 1e6).toArray();
    }

    private synchronized void ended(long began) {
        nanos.add(System.nanoTime() - began);
    }

    @Override
    public boolean shutdown(Duration timeout) throws InterruptedException {
        return delegate.shutdown(timeout);
    }

    @Override
    public void stopAll() {
        delegate.stopAll();
    }

    /** The run as the delegate sees it: the same, but its outcome timed once. */
    private final class Timed implements JobRun {
        private final JobRun run;
        private final long began;
        private boolean timed;

        Timed(JobRun run, long began) {
            this.run = run;
            this.began = began;
        }

        private void end() {
            if (!timed) {
                timed = true;
                ended(began);
            }
        }

        @Override
        public UUID jobId() {
            return run.jobId();
        }

        @Override
        public String jobName() {
            return run.jobName();
        }

        @Override
        public String lane() {
            return run.lane();
        }

        @Override
        public String argumentsJson() {
            return run.argumentsJson();
        }

        @Override
        public int attempt() {
            return run.attempt();
        }

        @Override
        public int maxAttempts() {
            return run.maxAttempts();
        }

        @Override
        public Optional<Duration> timeout() {
            return run.timeout();
        }

        @Override
        public Optional<Instant> fireTime() {
            return run.fireTime();
        }

        @Override
        public void runHere() {
            run.runHere();
            end();
        }

        @Override
        public boolean start(Runnable stop) {
            return run.start(stop);
        }

        @Override
        public boolean isCancellationRequested() {
            return run.isCancellationRequested();
        }

        @Override
        public void log(String message) {
            run.log(message);
        }

        @Override
        public void progress(int percent) {
            run.progress(percent);
        }

        @Override
        public void succeeded(@Nullable String resultJson, RunFigures figures) {
            end();
            run.succeeded(resultJson, figures);
        }

        @Override
        public void failed(JobError error, RunFigures figures) {
            end();
            run.failed(error, figures);
        }
    }
}
