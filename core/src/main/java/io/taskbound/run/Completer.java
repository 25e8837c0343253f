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

    /** Outcomes not yet written. */
    public int pending() {
        return completions.size();
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
    private boolean flushBatch() {
        List<LogLine> lines = drain(logLines, Integer.MAX_VALUE);
        Map<UUID, Integer> percents = new LinkedHashMap<>();
        for (UUID id : List.copyOf(progress.keySet())) {
            Integer value = progress.remove(id);
            if (value != null) {
                percents.put(id, value);
            }
        }
        List<Completion> batch = drain(completions, batchSize);
        if (batch.isEmpty() && lines.isEmpty() && percents.isEmpty()) {
            return false;
        }
        Map<UUID, JobState> applied;
        try {
            applied = store.complete(batch, lines, percents, nodeId);
        } catch (RuntimeException e) {
            // Put the batch back in front so nothing is lost, and let the loop retry after a pause.
            List<Completion> retry = new ArrayList<>(batch);
            retry.addAll(completions);
            completions.clear();
            completions.addAll(retry);
            logLines.addAll(lines);
            percents.forEach(progress::putIfAbsent);
            throw e;
        }
        for (Completion completion : batch) {
            JobState stored = applied.get(completion.jobId());
            if (stored != null) {
                // The stored state, not the outcome's: a failure may have ended the job cancelled.
                waiters.resolve(
                        new JobSnapshot(completion.jobId(), null, stored, completion.resultJson(), completion.error()));
            } else {
                log.info(
                        "Outcome of job {} ignored: its lease was taken back (its node was declared dead"
                                + " or it was re-queued) and it may have run again elsewhere",
                        completion.jobId());
            }
        }
        return true;
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
