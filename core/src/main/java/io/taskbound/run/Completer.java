package io.taskbound.run;

import io.taskbound.JobState;
import io.taskbound.loop.Loop;
import io.taskbound.store.Completion;
import io.taskbound.store.DatabaseFailures;
import io.taskbound.store.JobSnapshot;
import io.taskbound.store.JobStore;
import io.taskbound.store.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes outcomes, log lines and progress in batches: whatever accumulated while the previous batch
 * was being written goes out in the next statement, so a single completion is written at once and
 * a thousand completions cost a handful of round trips.
 *
 * <p>An outcome is never lost to a database that cannot be reached: it is kept and written again,
 * with a growing pause, until the database answers. Only an outcome the database itself refuses (a
 * value it cannot store) ends its job dead, with the reason.
 *
 * <p>Outcomes waiting in memory are bounded: while more than {@code 20 × batch size} wait, because
 * the database is away or merely slower than the jobs, the node claims nothing more, and the work
 * waits queued in the database instead, where every node can take it and a crash loses nothing.
 * Claims resume, woken at once, when the backlog is down to half. Should the node die meanwhile,
 * the dead-node sweep of another node gives its jobs back.
 */
public final class Completer extends Loop {

    private static final Logger log = LoggerFactory.getLogger(Completer.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);
    // Log lines kept while the database is away; beyond this the oldest are dropped, with a count.
    private static final int MAX_UNWRITTEN_LINES = 100_000;

    private final JobStore store;
    private final ResultWaiters waiters;
    private final UUID nodeId;
    private final int batchSize;
    private final int maxUnwritten;
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LogLine> logLines = new ConcurrentLinkedQueue<>();
    private final Map<UUID, Integer> progress = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final ReentrantLock flushing = new ReentrantLock();
    private volatile List<Completion> retry = List.of();
    // The batch being written now: drained from the queue, not yet applied.
    private volatile List<Completion> inFlight = List.of();
    private List<LogLine> retryLines = List.of();
    private Duration pause = FIRST_PAUSE;
    private boolean unreachable;
    // Whether a dispatcher was refused a claim since the backlog was last down to half.
    private volatile boolean claimsHeld;
    private Runnable claimsResumed = () -> {};
    private volatile @Nullable RunObserver observer;

    public Completer(JobStore store, ResultWaiters waiters, UUID nodeId, int batchSize) {
        super("taskbound-completer");
        this.store = store;
        this.waiters = waiters;
        this.nodeId = nodeId;
        this.batchSize = batchSize;
        this.maxUnwritten = Math.max(100, 20 * batchSize);
    }

    /** Tells {@code observer} of each outcome written or discarded from now on; null to tell no one. */
    public void observe(@Nullable RunObserver observer) {
        this.observer = observer;
    }

    /** Called by the completer's thread when claims held back for its backlog may go on. */
    public void whenClaimsResume(Runnable action) {
        this.claimsResumed = action;
    }

    void submit(Completion completion) {
        pending.incrementAndGet();
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

    /** Outcomes handed in and not yet written. */
    public int unwritten() {
        return pending.get();
    }

    /**
     * The jobs whose outcomes are handed in and not yet written: their runs have ended, but the
     * store still has them RUNNING under this node, and they are this node's to finish.
     */
    public synchronized Set<UUID> unwrittenJobIds() {
        Set<UUID> ids = new HashSet<>();
        for (List<Completion> list : List.of(retry, inFlight)) {
            list.forEach(completion -> ids.add(completion.jobId()));
        }
        completions.forEach(completion -> ids.add(completion.jobId()));
        return ids;
    }

    /**
     * Whether this node may claim more work: not while more than {@code 20 × batch size} outcomes
     * wait to be written. A refused caller is woken through {@link #whenClaimsResume} when the
     * backlog is down to half.
     */
    public boolean acceptsClaims() {
        if (pending.get() < maxUnwritten) {
            return true;
        }
        // Flag first, then look again: the completer lowers the count first, then reads the flag,
        // so a backlog drained in between is seen by one side or the other.
        claimsHeld = true;
        return pending.get() < maxUnwritten;
    }

    private void resumeClaimsIfDrained() {
        if (claimsHeld && pending.get() <= maxUnwritten / 2) {
            claimsHeld = false;
            claimsResumed.run();
        }
    }

    @Override
    protected Duration runOnce() {
        try {
            boolean wrote = flushBatch();
            resumeClaimsIfDrained();
            if (unreachable) {
                log.info("The database answers again: outcomes are being written");
                unreachable = false;
            }
            pause = FIRST_PAUSE;
            return wrote ? Duration.ZERO : Duration.ofSeconds(1);
        } catch (OutcomesKept kept) {
            if (!unreachable) {
                log.warn(
                        "Cannot write {} job outcome(s) now: {}; keeping them and trying again until the"
                                + " database answers",
                        kept.count,
                        DatabaseFailures.reason(kept.getCause()));
                unreachable = true;
            }
            Duration wait = pause;
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            return wait;
        }
    }

    /**
     * Writes what is pending now, batch after batch, until nothing is left or the database is away.
     * Returns how many outcomes are still unwritten.
     */
    public int flush() {
        try {
            while (flushBatch()) {}
        } catch (OutcomesKept kept) {
            log.warn(
                    "{} job outcome(s) could not be written: {}",
                    pending.get(),
                    kept.getCause() == null ? "see the errors above" : DatabaseFailures.reason(kept.getCause()));
        }
        return pending.get();
    }

    // Returns whether anything was written, so that the loop drains the backlog without waiting.
    // Under a lock: the loop and a shutdown's flush() must not write or retry the same outcomes.
    private boolean flushBatch() {
        flushing.lock();
        try {
            List<Completion> batch;
            // Under the monitor unwrittenJobIds() reads with: an outcome moving from the queue to
            // the batch is never in neither.
            synchronized (this) {
                batch = new ArrayList<>(retry);
                retry = List.of();
                batch.addAll(drain(completions, Math.max(0, batchSize - batch.size())));
                inFlight = List.copyOf(batch);
            }
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
                if (DatabaseFailures.isUnreachable(e)) {
                    keep(batch, lines, percents);
                    throw new OutcomesKept(batch.size(), e);
                }
                applied = writeOneByOne(batch, lines, percents, e);
            }
            Set<Completion> kept = Set.copyOf(retry);
            resolveWaiters(batch, applied, kept);
            pending.addAndGet(retry.size() - batch.size());
            if (!retry.isEmpty()) {
                throw new OutcomesKept(retry.size(), null);
            }
            return true;
        } finally {
            inFlight = List.of();
            flushing.unlock();
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
                    Completion dead = unstorable(completion, failed);
                    Map<UUID, JobState> written = store.complete(List.of(dead), List.of(), Map.of(), nodeId);
                    applied.putAll(written);
                    RunObserver events = observer;
                    JobState stored = written.get(dead.jobId());
                    if (events != null && stored != null) {
                        events.written(dead, stored);
                    }
                    log.error(
                            "Outcome of job {} is refused by the database; the job is dead",
                            completion.jobId(),
                            failed);
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
                completion.allocatedBytes());
    }

    private void resolveWaiters(List<Completion> batch, Map<UUID, JobState> applied, Set<Completion> kept) {
        RunObserver events = observer;
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

    /** Outcomes that could not be written now and are kept for the next attempt. */
    private static final class OutcomesKept extends RuntimeException {
        final int count;

        OutcomesKept(int count, @Nullable Throwable cause) {
            super(count + " outcome(s) could not be written; kept for the next attempt", cause, false, false);
            this.count = count;
        }
    }
}
