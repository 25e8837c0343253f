package io.taskbound.run;

import io.taskbound.JobState;
import io.taskbound.loop.Loop;
import io.taskbound.run.Completer.OutcomesKept;
import io.taskbound.store.Completion;
import io.taskbound.store.DatabaseFailures;
import io.taskbound.store.JobSnapshot;
import io.taskbound.store.JobStore;
import io.taskbound.store.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the {@link Completer}'s writers: writes the outcomes, log lines and progress of its share
 * of the jobs, batch after batch, one statement at a time. What it cannot write because the
 * database is away it keeps, and writes again first, after a pause that grows to 2 s.
 *
 * <p>A writer with less than a full batch waits while another writer's statement is under way, and
 * goes when that one ends (whatever else has begun meanwhile) or its batch fills: writers add
 * statements when outcomes come faster than one statement at a time takes them, not smaller ones,
 * and an outcome waits for at most one other statement, as it did with a single writer. Batching
 * is what makes outcomes cheap to write; a database kept busy with many small statements writes
 * fewer outcomes a second.
 */
final class OutcomeWriter extends Loop {

    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    // Log lines kept while the database is away; beyond this the oldest are dropped, with a count.
    private static final int MAX_UNWRITTEN_LINES = 100_000;

    private final Completer owner;
    private final JobStore store;
    private final ResultWaiters waiters;
    private final UUID nodeId;
    private final int batchSize;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<LogLine> logLines = new ConcurrentLinkedQueue<>();
    private final Map<UUID, Integer> progress = new ConcurrentHashMap<>();
    private final ReentrantLock flushing = new ReentrantLock();
    // Changed under the owner's monitor, which unwrittenJobIds() reads them with.
    private volatile List<Completion> retry = List.of();
    // The batch being written now: drained from the queue, not yet applied.
    private volatile List<Completion> inFlight = List.of();
    private List<LogLine> retryLines = List.of();
    private Duration pause = FIRST_PAUSE;
    // Set while this writer waits for another's statement to end before writing a partial batch.
    private volatile boolean deferred;
    // Set when that statement ended: the partial batch goes next, whoever is writing then.
    private volatile boolean released;

    OutcomeWriter(String name, Completer owner, JobStore store, ResultWaiters waiters, UUID nodeId, int batchSize) {
        super(name);
        this.owner = owner;
        this.store = store;
        this.waiters = waiters;
        this.nodeId = nodeId;
        this.batchSize = batchSize;
    }

    void submit(Completion completion) {
        completions.add(completion);
        // The first outcome, and a full batch: whatever comes between, a writer that is writing
        // takes after its statement, and one that waits is woken by the statement it waits for.
        int waiting = queued.incrementAndGet();
        if (waiting == 1 || waiting == batchSize) {
            wake();
        }
    }

    /** Another writer's statement ended: a partial batch that waited for it may go now. */
    void othersFinished() {
        if (deferred) {
            deferred = false;
            released = true;
            wake();
        }
    }

    void log(LogLine line) {
        logLines.add(line);
        wake();
    }

    void progress(UUID jobId, int percent) {
        progress.put(jobId, percent);
        wake();
    }

    /** Adds the jobs whose outcomes this writer holds unwritten; called under the owner's monitor. */
    void addUnwritten(Set<UUID> ids) {
        for (List<Completion> list : List.of(inFlight, retry)) {
            list.forEach(completion -> ids.add(completion.jobId()));
        }
        completions.forEach(completion -> ids.add(completion.jobId()));
    }

    @Override
    protected Duration runOnce() {
        try {
            boolean wrote = flushBatch(true);
            pause = FIRST_PAUSE;
            return wrote ? Duration.ZERO : Duration.ofSeconds(1);
        } catch (OutcomesKept kept) {
            owner.kept(kept);
            Duration wait = pause;
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            return wait;
        }
    }

    /** Writes what is pending now, batch after batch, until nothing is left; throws if kept. */
    void flush() {
        while (flushBatch(false)) {}
    }

    // Returns whether anything was written, so that the loop drains the backlog without waiting.
    // Under a lock: the loop and a shutdown's flush() must not write or retry the same outcomes.
    private boolean flushBatch(boolean mayWait) {
        flushing.lock();
        try {
            if (mayWait && waitsForOthers()) {
                return false;
            }
            List<Completion> batch = takeBatch();
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
            owner.writing(true);
            try {
                applied = store.complete(batch, lines, percents, nodeId);
            } catch (RuntimeException e) {
                if (DatabaseFailures.isUnreachable(e)) {
                    keep(batch, lines, percents);
                    throw new OutcomesKept(batch.size(), e);
                }
                applied = writeOneByOne(batch, lines, percents, e);
            } finally {
                owner.writing(false);
            }
            List<Completion> kept = retry;
            resolveWaiters(batch, applied, Set.copyOf(kept));
            owner.written(batch.size() - kept.size());
            if (!kept.isEmpty()) {
                throw new OutcomesKept(kept.size(), null);
            }
            owner.answered();
            return true;
        } finally {
            synchronized (owner) {
                inFlight = List.of();
            }
            flushing.unlock();
        }
    }

    // Flagged first, then looked: a writer ending its statement lowers the count first, then reads
    // the flag, so one side or the other sees the change.
    private boolean waitsForOthers() {
        int waiting = queued.get();
        if (released || !retry.isEmpty() || waiting == 0 || waiting >= batchSize) {
            released = false;
            deferred = false;
            return false;
        }
        deferred = true;
        if (owner.othersWriting()) {
            return true;
        }
        deferred = false;
        return false;
    }

    // Under the monitor unwrittenJobIds() reads with: an outcome moving from the queue to the batch
    // is never in neither.
    private List<Completion> takeBatch() {
        synchronized (owner) {
            List<Completion> batch = new ArrayList<>(retry);
            retry = List.of();
            List<Completion> taken = drain(completions, Math.max(0, batchSize - batch.size()));
            queued.addAndGet(-taken.size());
            batch.addAll(taken);
            inFlight = List.copyOf(batch);
            return batch;
        }
    }

    /**
     * After a failed batch that the database did answer: one outcome it rejects must not hold back
     * the others. Each is written alone; one that the database refuses is written as a dead job with
     * the reason; one that fails any other way (the connection broke meanwhile, a serialization
     * failure) is kept for the next attempt, and so is everything once the database is unreachable.
     */
    private Map<UUID, JobState> writeOneByOne(
            List<Completion> batch, List<LogLine> lines, Map<UUID, Integer> percents, RuntimeException cause) {
        log.warn("Writing {} outcome(s) in one batch failed; writing them one by one", batch.size(), cause);
        Map<UUID, JobState> applied = new HashMap<>();
        List<Completion> unwritten = new ArrayList<>();
        RuntimeException lastFailure = cause;
        for (Completion completion : batch) {
            if (DatabaseFailures.isUnreachable(lastFailure)) {
                unwritten.add(completion);
                continue;
            }
            try {
                applied.putAll(store.complete(List.of(completion), List.of(), Map.of(), nodeId));
            } catch (RuntimeException failed) {
                lastFailure = failed;
                if (!DatabaseFailures.isRejection(failed)) {
                    unwritten.add(completion);
                    continue;
                }
                try {
                    applied.putAll(writeDead(completion, failed));
                } catch (RuntimeException deadRefused) {
                    lastFailure = deadRefused;
                    unwritten.add(completion);
                }
            }
        }
        try {
            store.complete(List.of(), lines, percents, nodeId);
        } catch (RuntimeException linesRejected) {
            if (DatabaseFailures.isRejection(linesRejected)) {
                log.warn("Dropping {} log line(s) that the database refuses", lines.size(), linesRejected);
            } else {
                keep(List.of(), lines, percents);
            }
        }
        retry = unwritten;
        return applied;
    }

    // An outcome the database refuses ends its job dead, with the reason.
    private Map<UUID, JobState> writeDead(Completion completion, RuntimeException refusal) {
        Completion dead = unstorable(completion, refusal);
        Map<UUID, JobState> written = store.complete(List.of(dead), List.of(), Map.of(), nodeId);
        RunObserver events = owner.observer();
        JobState stored = written.get(dead.jobId());
        if (events != null && stored != null) {
            events.written(dead, stored);
        }
        log.error("Outcome of job {} is refused by the database; the job is dead", completion.jobId(), refusal);
        return written;
    }

    // Back in the queue for the next attempt; progress reported meanwhile is newer and wins.
    private void keep(List<Completion> batch, List<LogLine> lines, Map<UUID, Integer> percents) {
        retry = batch;
        if (lines.size() > MAX_UNWRITTEN_LINES) {
            log.warn(
                    "Dropping the {} oldest of {} job log line(s) kept while the database cannot be reached",
                    lines.size() - MAX_UNWRITTEN_LINES,
                    lines.size());
            lines = lines.subList(lines.size() - MAX_UNWRITTEN_LINES, lines.size());
        }
        retryLines = lines;
        percents.forEach(progress::putIfAbsent);
    }

    private static Completion unstorable(Completion completion, RuntimeException rejected) {
        return new Completion(
                completion.jobId(),
                completion.lease(),
                JobState.DEAD,
                null,
                StoredText.clean("Outcome could not be stored: " + DatabaseFailures.reason(rejected)),
                null,
                "FAILED",
                Duration.ZERO,
                completion.wallTimeMicros(),
                completion.cpuTimeMicros(),
                completion.allocatedBytes(),
                completion.peakHeapBytes());
    }

    private void resolveWaiters(List<Completion> batch, Map<UUID, JobState> applied, Set<Completion> kept) {
        RunObserver events = owner.observer();
        for (Completion completion : batch) {
            JobState stored = applied.get(completion.jobId());
            if (stored != null) {
                // The stored state, not the outcome's: a failure may have ended the job cancelled.
                waiters.resolve(
                        new JobSnapshot(completion.jobId(), null, stored, completion.resultJson(), completion.error()));
                if (events != null) {
                    events.written(completion, stored);
                }
            } else if (!kept.contains(completion)) {
                if (events != null) {
                    events.discarded(completion);
                }
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
