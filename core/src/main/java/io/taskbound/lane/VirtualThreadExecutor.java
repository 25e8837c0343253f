package io.taskbound.lane;

import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@code virtual} executor: a new virtual thread per run, named {@code taskbound-<lane>-vt-N}.
 * It starts every run it is given at once; the lane's dispatcher bounds how many that is.
 */
public final class VirtualThreadExecutor implements JobExecutor {

    private final ExecutorService threads;

    public VirtualThreadExecutor(String lane) {
        this.threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("taskbound-" + lane + "-vt-", 1).factory());
    }

    @Override
    public void execute(JobRun run) {
        threads.execute(run::runHere);
    }

    @Override
    public boolean shutdown(Duration timeout) throws InterruptedException {
        threads.shutdown();
        return threads.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void stopAll() {
        threads.shutdownNow();
    }
}
