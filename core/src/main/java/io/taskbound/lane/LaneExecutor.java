package io.taskbound.lane;

import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one lane. Concurrency is bounded by the dispatcher, which gives the executor no
 * more jobs at once than the lane's concurrency, so the executors themselves need no queue limit.
 */
public final class LaneExecutor {

    private final String lane;
    private final ExecutorKind kind;
    private final ExecutorService executor;

    private LaneExecutor(String lane, ExecutorKind kind, ExecutorService executor) {
        this.lane = lane;
        this.kind = kind;
        this.executor = executor;
    }

    /** Threads named {@code taskbound-<lane>-vt-N} (virtual) or {@code taskbound-<lane>-N} (platform). */
    public static LaneExecutor create(String lane, LaneSettings settings) {
        return switch (settings.executor()) {
            case VIRTUAL ->
                new LaneExecutor(
                        lane,
                        ExecutorKind.VIRTUAL,
                        Executors.newThreadPerTaskExecutor(Thread.ofVirtual()
                                .name("taskbound-" + lane + "-vt-", 1)
                                .factory()));
            case PLATFORM -> {
                ThreadFactory threads = Thread.ofPlatform()
                        .name("taskbound-" + lane + "-", 1)
                        .daemon(true)
                        .priority(threadPriority(settings.priority()))
                        .factory();
                yield new LaneExecutor(
                        lane, ExecutorKind.PLATFORM, Executors.newFixedThreadPool(settings.concurrency(), threads));
            }
        };
    }

    // Lane priority 0..100 onto Java's 1..10; the OS may ignore it, isolation comes from the lanes.
    private static int threadPriority(int lanePriority) {
        int clamped = Math.max(0, Math.min(100, lanePriority));
        return Thread.MIN_PRIORITY + Math.round(clamped * (Thread.MAX_PRIORITY - Thread.MIN_PRIORITY) / 100f);
    }

    public String lane() {
        return lane;
    }

    public ExecutorKind kind() {
        return kind;
    }

    public void execute(Runnable job) {
        executor.execute(job);
    }

    /**
     * Stops taking work and waits up to {@code timeout} for running jobs. Jobs handed over that have
     * not started on a thread yet are dropped here: they are still RUNNING in the store, so the
     * shutdown's re-queue gives them back at once instead of running them first. Returns whether
     * all ended.
     */
    public boolean shutdown(Duration timeout) throws InterruptedException {
        executor.shutdown();
        if (executor instanceof ThreadPoolExecutor pool) {
            pool.getQueue().clear();
        }
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Interrupts the jobs still running. */
    public void interruptAll() {
        executor.shutdownNow();
    }
}
