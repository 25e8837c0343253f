package io.taskbound.run;

import io.taskbound.TaskboundException;
import io.taskbound.loop.Loop;
import io.taskbound.store.JobSnapshot;
import io.taskbound.store.JobStore;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Futures of callers waiting for jobs to finish. A job that finishes on this node resolves its
 * waiters as soon as its outcome is committed; for jobs that run on other nodes this loop reads the
 * waited-for jobs' states, only while someone waits.
 */
public final class ResultWaiters extends Loop {

    private static final Duration IDLE = Duration.ofSeconds(5);
    // A job not found may be in a transaction that has not committed yet; after this long it is
    // taken to be rolled back or pruned, and its waiters are told so instead of polling forever.
    private static final Duration NOT_STORED = Duration.ofMinutes(1);

    private final JobStore store;
    private final Duration interval;
    private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();
    // Futures complete on virtual threads: callers' callbacks must never run on (or block, or
    // interrupt) the completer's thread.
    private final Executor callbacks = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("taskbound-result-", 1).factory());

    private record Waiter(CompletableFuture<JobSnapshot> future, AtomicInteger holders, long since) {}

    public ResultWaiters(JobStore store, Duration interval) {
        super("taskbound-results");
        this.store = store;
        this.interval = interval;
    }

    /**
     * A future that completes with the job's snapshot once it is in a final state. A caller that
     * stops waiting before then calls {@link #release(UUID)}.
     */
    public CompletableFuture<JobSnapshot> finalState(UUID jobId) {
        Waiter waiter = waiting.compute(jobId, (id, existing) -> {
            Waiter current = existing != null
                    ? existing
                    : new Waiter(new CompletableFuture<>(), new AtomicInteger(), System.nanoTime());
            current.holders().incrementAndGet();
            return current;
        });
        wake();
        return waiter.future().copy();
    }

    /** One caller stopped waiting for the job; when none is left, the job is no longer polled. */
    public void release(UUID jobId) {
        waiting.computeIfPresent(jobId, (id, waiter) -> waiter.holders().decrementAndGet() <= 0 ? null : waiter);
    }

    /** Resolves the waiters of a job that reached a final state. */
    void resolve(JobSnapshot snapshot) {
        if (snapshot.state().isFinal()) {
            Waiter waiter = waiting.remove(snapshot.id());
            if (waiter != null) {
                callbacks.execute(() -> waiter.future().complete(snapshot));
            }
        }
    }

    @Override
    protected Duration runOnce() {
        if (waiting.isEmpty()) {
            return IDLE;
        }
        Map<UUID, JobSnapshot> found = store.snapshots(waiting.keySet());
        found.values().forEach(this::resolve);
        long now = System.nanoTime();
        waiting.forEach((id, waiter) -> {
            if (!found.containsKey(id) && now - waiter.since() > NOT_STORED.toNanos() && waiting.remove(id, waiter)) {
                callbacks.execute(() -> waiter.future()
                        .completeExceptionally(new TaskboundException("Job " + id + " is not stored: it was never"
                                + " committed (its transaction rolled back) or it was pruned")));
            }
        });
        return interval;
    }
}
