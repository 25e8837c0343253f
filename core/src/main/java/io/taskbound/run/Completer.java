package io.taskbound.run;

import io.taskbound.JobState;
import io.taskbound.loop.Loop;
import io.taskbound.store.Completion;
import io.taskbound.store.JobSnapshot;
import io.taskbound.store.JobStore;
import io.taskbound.store.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes outcomes, log lines and progress in batches: whatever accumulated while the previous batch
 * was being written goes out in the next statement, so a single completion is written at once and
 * a thousand completions cost a handful of round trips.
 */
public final class Completer extends Loop {

    private static final Logger log = LoggerFactory.getLogger(Completer.class);

    private final JobStore store;
    private final ResultWaiters waiters;
    private final UUID nodeId;
    private final int batchSize;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LogLine> logLines = new ConcurrentLinkedQueue<>();
    private final Map<UUID, Integer> progress = new ConcurrentHashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();
    private List<Completion> retry = List.of();
    private List<LogLine> retryLines = List.of();

    public Completer(JobStore store, ResultWaiters waiters, UUID nodeId, int batchSize) {
        super("taskbound-completer");
        this.store = store;
        this.waiters = waiters;
        this.nodeId = nodeId;
        this.batchSize = batchSize;
    }

    void submit(Completion completion) {
        completions.add(completion);
        wake();
    }

    void log(LogLine line) {
        logLines.add(line);
        wake();
    }

    void progress(UUID jobId, int percent) {
        progress.put(jobId, percent);
        wake();
    }

    @Override
    protected Duration runOnce() {
        return flushBatch() ? Duration.ZERO : Duration.ofSeconds(1);
    }

    /** Writes what is pending now, batch after batch, until nothing is left. */
    public void flush() {
        while (flushBatch()) {}
    }

    // Returns whether anything was written, so that the loop drains the backlog without waiting.
    // Under a lock: the loop and a shutdown's flush() must not write or retry the same outcomes.
    private boolean flushBatch() {
        flushing.lock();
        try {
            List<Completion> batch = new ArrayList<>(retry);
            retry = List.of();
            batch.addAll(drain(completions, Math.max(0, batchSize - batch.size())));
            List<LogLine> lines = new ArrayList<>(retryLines);
            retryLines = List.of();
            lines.addAll(drain(logLines, Integer.MAX_VALUE));
            Map<UUID, Integer> percents = new LinkedHashMap<>();
            for (UUID id : List.copyOf(progress.keySet())) {
                Integer value = progress.remove(id);
                if (value != null) {
                    percents.put(id, value);
                }
            }
            if (batch.isEmpty() && lines.isEmpty() && percents.isEmpty()) {
                return false;
            }
            Map<UUID, JobState> applied;
            try {
                applied = store.complete(batch, lines, percents, nodeId);
            } catch (RuntimeException e) {
                applied = writeOneByOne(batch, lines, percents, e);
            }
            resolveWaiters(batch, applied);
            if (!retry.isEmpty()) {
                throw new IllegalStateException(retry.size() + " outcome(s) could not be written; retrying");
            }
            return true;
        } finally {
            flushing.unlock();
        }
    }

    /**
     * After a failed batch: one outcome the database rejects must not hold back the others. Each is
     * written alone; one that still fails is written as a dead job with the reason; one that cannot
     * be written even so (the database is unreachable) is kept for the next attempt.
     */
    private Map<UUID, JobState> writeOneByOne(
            List<Completion> batch, List<LogLine> lines, Map<UUID, Integer> percents, RuntimeException cause) {
        log.warn("Writing {} outcome(s) in one batch failed; writing them one by one", batch.size(), cause);
        Map<UUID, JobState> applied = new java.util.HashMap<>();
        List<Completion> unwritten = new ArrayList<>();
        for (Completion completion : batch) {
            try {
                applied.putAll(store.complete(List.of(completion), List.of(), Map.of(), nodeId));
            } catch (RuntimeException rejected) {
                try {
                    applied.putAll(
                            store.complete(List.of(unstorable(completion, rejected)), List.of(), Map.of(), nodeId));
                    log.error("Outcome of job {} could not be stored; the job is dead", completion.jobId(), rejected);
                } catch (RuntimeException unreachable) {
                    unwritten.add(completion);
                }
            }
        }
        try {
            store.complete(List.of(), lines, percents, nodeId);
        } catch (RuntimeException linesRejected) {
            if (unwritten.isEmpty()) {
                log.warn("Dropping {} log line(s) that the database rejects", lines.size(), linesRejected);
            } else {
                retryLines = lines;
            }
        }
        retry = unwritten;
        return applied;
    }

    private static Completion unstorable(Completion completion, RuntimeException rejected) {
        return new Completion(
                completion.jobId(),
                completion.lease(),
                JobState.DEAD,
                null,
                StoredText.clean("Outcome could not be stored: " + rejected.getMessage()),
                null,
                "FAILED",
                Duration.ZERO,
                completion.wallTimeMicros(),
                completion.cpuTimeMicros(),
                completion.allocatedBytes());
    }

    private void resolveWaiters(List<Completion> batch, Map<UUID, JobState> applied) {
        for (Completion completion : batch) {
            JobState stored = applied.get(completion.jobId());
            if (stored != null) {
                // The stored state, not the outcome's: a failure may have ended the job cancelled.
                waiters.resolve(
                        new JobSnapshot(completion.jobId(), null, stored, completion.resultJson(), completion.error()));
            } else if (!retry.contains(completion)) {
                log.info(
                        "Outcome of job {} ignored: its lease was taken back (its node was declared dead"
                                + " or it was re-queued) and it may have run again elsewhere",
                        completion.jobId());
            }
        }
    }

    private static <T> List<T> drain(ConcurrentLinkedQueue<T> queue, int limit) {
        List<T> drained = new ArrayList<>();
        T item;
        while (drained.size() < limit && (item = queue.poll()) != null) {
            drained.add(item);
        }
        return drained;
    }
}
