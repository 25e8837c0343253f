package io.taskbound.lane;

import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code platform} executor: a fixed pool of daemon platform threads named {@code
 * taskbound-<lane>-N}, one per slot of the lane's concurrency, at a priority from the lane's.
 */
public final class PlatformThreadExecutor implements JobExecutor {

    private final ExecutorService threads;

    public PlatformThreadExecutor(String lane, int threadCount, int lanePriority) {
        this.threads = Executors.newFixedThreadPool(
                threadCount,
                Thread.ofPlatform()
                        .name("taskbound-" + lane + "-", 1)
                        .daemon(true)
                        .priority(threadPriority(lanePriority))
                        .factory());
    }

    // Lane priority 0..100 onto Java's 1..10; the OS may ignore it, isolation comes from the lanes.
    static int threadPriority(int lanePriority) {
        int clamped = Math.max(0, Math.min(100, lanePriority));
        return Thread.MIN_PRIORITY + Math.round(clamped * (Thread.MAX_PRIORITY - Thread.MIN_PRIORITY) / 100f);
    }

    @Override
    public void execute(JobRun run) {
        threads.execute(run::runHere);
    }

    /**
     * Runs handed over that wait for a thread are dropped here: they are still RUNNING in the store,
     * so the shutdown's re-queue gives them back at once instead of running them first.
     */
    @Override
    public boolean shutdown(Duration timeout) throws InterruptedException {
        threads.shutdown();
        if (threads instanceof ThreadPoolExecutor pool) {
            pool.getQueue().clear();
        }
        return threads.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void stopAll() {
        threads.shutdownNow();
    }
}
