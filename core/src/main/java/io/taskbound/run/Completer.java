package io.taskbound.run;

import io.taskbound.loop.Loop;
import io.taskbound.store.Completion;
import io.taskbound.store.DatabaseFailures;
import io.taskbound.store.JobStore;
import io.taskbound.store.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes outcomes, log lines and progress in batches: whatever accumulated while the previous batch
 * was being written goes out in the next statement, so a single completion is written at once and
 * a thousand completions cost a handful of round trips.
 *
 * <p>Several {@link OutcomeWriter}s write at once, each on its own connection, so that a node is not
 * held to one statement at a time: one writer waiting for its commit would leave a database with
 * cores to spare idle. Each job belongs to one writer (by its id), which writes its log lines,
 * progress and outcome in the order they came, as a single writer did: a job's lines are committed
 * no later than its outcome, and older progress never overwrites newer.
 *
 * <p>An outcome is never lost to a database that cannot be reached: it is kept and written again,
 * with a growing pause, until the database answers. Only an outcome the database itself refuses (a
 * value it cannot store) ends its job dead, with the reason.
 *
 * <p>Outcomes waiting in memory are bounded, over all writers: while more than {@code 20 × batch
 * size} wait, because the database is away or merely slower than the jobs, the node claims nothing
 * more, and the work waits queued in the database instead, where every node can take it and a crash
 * loses nothing. Claims resume, woken at once, when the backlog is down to half. Should the node die
 * meanwhile, the dead-node sweep of another node gives its jobs back.
 */
public final class Completer {

    private static final Logger log = LoggerFactory.getLogger(Completer.class);

    private final List<OutcomeWriter> writers;
    private final int maxUnwritten;
    private final AtomicInteger pending = new AtomicInteger();
    // Writers whose statement is under way now.
    private final AtomicInteger writing = new AtomicInteger();
    private final AtomicBoolean unreachable = new AtomicBoolean();
    // Whether a dispatcher was refused a claim since the backlog was last down to half.
    private final AtomicBoolean claimsHeld = new AtomicBoolean();
    private volatile Runnable claimsResumed = () -> {};
    private volatile @Nullable RunObserver observer;

    /**
     * @param batchSize most outcomes one writer writes in one statement
     * @param writers how many writers write at once, each on a connection of its own while it writes
     */
    public Completer(JobStore store, ResultWaiters waiters, UUID nodeId, int batchSize, int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("A completer needs at least 1 writer, was " + writers);
        }
        this.maxUnwritten = Math.max(100, 20 * batchSize);
        List<OutcomeWriter> made = new ArrayList<>(writers);
        for (int i = 1; i <= writers; i++) {
            made.add(new OutcomeWriter("taskbound-completer-" + i, this, store, waiters, nodeId, batchSize));
        }
        this.writers = List.copyOf(made);
    }

    /** Tells {@code observer} of each outcome written or discarded from now on; null to tell no one. */
    public void observe(@Nullable RunObserver observer) {
        this.observer = observer;
    }

    /** Called by a writer's thread when claims held back for the backlog may go on. */
    public void whenClaimsResume(Runnable action) {
        this.claimsResumed = action;
    }

    /** The writers' loops, for the engine to start, stop and supervise. */
    public List<? extends Loop> writers() {
        return writers;
    }

    /** Stops every writer, each within {@code timeout}; {@link #flush()} writes what is left. */
    public void stop(Duration timeout) {
        writers.forEach(writer -> writer.stop(timeout));
    }

    void submit(Completion completion) {
        pending.incrementAndGet();
        writerOf(completion.jobId()).submit(completion);
    }

    void log(LogLine line) {
        writerOf(line.jobId()).log(line);
    }

    void progress(UUID jobId, int percent) {
        writerOf(jobId).progress(jobId, percent);
    }

    private OutcomeWriter writerOf(UUID jobId) {
        return writers.get(Math.floorMod(jobId.hashCode(), writers.size()));
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
        writers.forEach(writer -> writer.addUnwritten(ids));
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
        // Flag first, then look again: a writer lowers the count first, then reads the flag, so a
        // backlog drained in between is seen by one side or the other.
        claimsHeld.set(true);
        return pending.get() < maxUnwritten;
    }

    /**
     * Writes what is pending now, batch after batch, until nothing is left or the database is away.
     * Returns how many outcomes are still unwritten.
     */
    public int flush() {
        @Nullable OutcomesKept failed = null;
        for (OutcomeWriter writer : writers) {
            try {
                writer.flush();
            } catch (OutcomesKept kept) {
                failed = kept;
            }
        }
        if (failed != null) {
            log.warn(
                    "{} job outcome(s) could not be written: {}",
                    pending.get(),
                    failed.getCause() == null ? "see the errors above" : DatabaseFailures.reason(failed.getCause()));
        }
        return pending.get();
    }

    // Called by writers.

    @Nullable
    RunObserver observer() {
        return observer;
    }

    /** A writer's statement begins ({@code true}) or ends; at its end, writers that wait for it go. */
    void writing(boolean begins) {
        if (begins) {
            writing.incrementAndGet();
            return;
        }
        writing.decrementAndGet();
        writers.forEach(OutcomeWriter::othersFinished);
    }

    /** Whether another writer's statement is under way. */
    boolean othersWriting() {
        return writing.get() > 0;
    }

    /** A writer wrote {@code count} outcomes, or gave them up: they no longer count. */
    void written(int count) {
        pending.addAndGet(-count);
        if (pending.get() <= maxUnwritten / 2 && claimsHeld.compareAndSet(true, false)) {
            claimsResumed.run();
        }
    }

    /** A writer wrote all it took: the database answers. */
    void answered() {
        if (unreachable.compareAndSet(true, false)) {
            log.info("The database answers again: outcomes are being written");
        }
    }

    /** A writer could not write {@code kept} outcomes now and keeps them for its next attempt. */
    void kept(OutcomesKept kept) {
        if (unreachable.compareAndSet(false, true)) {
            log.warn(
                    "Cannot write {} job outcome(s) now: {}; keeping them and trying again until the"
                            + " database answers",
                    kept.count,
                    DatabaseFailures.reason(kept.getCause()));
        }
    }

    /** Outcomes that could not be written now and are kept for the next attempt. */
    static final class OutcomesKept extends RuntimeException {
        final int count;

        OutcomesKept(int count, @Nullable Throwable cause) {
            super(count + " outcome(s) could not be written; kept for the next attempt", cause, false, false);
            this.count = count;
        }
    }
}
