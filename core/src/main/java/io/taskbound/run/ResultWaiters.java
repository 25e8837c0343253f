package io.taskbound.run;

import io.taskbound.loop.Loop;
import io.taskbound.store.JobSnapshot;
import io.taskbound.store.JobStore;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Futures of callers waiting for jobs to finish. A job that finishes on this node resolves its
 * waiters as soon as its outcome is committed; for jobs that run on other nodes this loop reads the
 * waited-for jobs' states, only while someone waits.
 */
public final class ResultWaiters extends Loop {

    private static final Duration IDLE = Duration.ofSeconds(5);

    private final JobStore store;
    private final Duration interval;
    private final Map<UUID, CompletableFuture<JobSnapshot>> waiting = new ConcurrentHashMap<>();

    public ResultWaiters(JobStore store, Duration interval) {
        super("taskbound-results");
        this.store = store;
        this.interval = interval;
    }

    /** A future that completes with the job's snapshot once it is in a final state. */
    public CompletableFuture<JobSnapshot> finalState(UUID jobId) {
        CompletableFuture<JobSnapshot> future = waiting.computeIfAbsent(jobId, id -> new CompletableFuture<>());
        wake();
        return future.copy();
    }

    /** Resolves the waiters of a job that reached a final state. */
    void resolve(JobSnapshot snapshot) {
        if (snapshot.state().isFinal()) {
            CompletableFuture<JobSnapshot> future = waiting.remove(snapshot.id());
            if (future != null) {
                future.complete(snapshot);
            }
        }
    }

    @Override
    protected Duration runOnce() {
        if (waiting.isEmpty()) {
            return IDLE;
        }
        // A job not found yet may be enqueued in a transaction that has not committed: keep waiting.
        store.snapshots(waiting.keySet()).values().forEach(this::resolve);
        return interval;
    }
}
