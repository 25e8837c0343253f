package io.taskbound.lane;

import io.taskbound.settings.LaneSettings;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many jobs a lane may hold beyond its concurrency: about as many as its threads finish in
 * {@link #WINDOW}, judged from the run times of its recent jobs, and never more than its batch size
 * allows ({@link LaneSettings#maxHeld()}).
 *
 * <p>Claiming ahead saves a claim per job when jobs are short, but a job held here waits for this
 * node's threads while an idle node could run it, and is stranded until the dead-node timeout if
 * this node dies. Holding about one window of work keeps short jobs claimed in large batches while
 * long jobs are left in the queue for whichever node is free. Until a run has been measured the
 * lane holds no more ahead than its concurrency.
 *
 * <p>Runs are recorded by the lane's threads ({@link #recorded}, two uncontended adders); the
 * estimate is read and updated by the dispatcher's thread alone ({@link #limit}).
 */
final class ClaimAhead {

    /** How much work, in run time per thread, a lane holds beyond what it runs. */
    static final Duration WINDOW = Duration.ofSeconds(1);

    private final int concurrency;
    private final int maxAhead;
    private final LongAdder runNanos = new LongAdder();
    private final LongAdder runs = new LongAdder();
    // Read and written by the dispatcher's thread only.
    private long seenNanos;
    private long seenRuns;
    private double meanNanos = Double.NaN;

    ClaimAhead(LaneSettings settings) {
        this.concurrency = settings.concurrency();
        this.maxAhead = settings.maxHeld() - settings.concurrency();
    }

    /** Records that one of the lane's jobs took {@code nanos} from its start to its end. */
    void recorded(long nanos) {
        runNanos.add(nanos);
        runs.increment();
    }

    /** Most jobs to hold beyond the lane's concurrency now. */
    int limit() {
        if (maxAhead == 0) {
            return 0;
        }
        long totalRuns = runs.sum();
        long totalNanos = runNanos.sum();
        long newRuns = totalRuns - seenRuns;
        if (newRuns > 0) {
            double recent = (double) (totalNanos - seenNanos) / newRuns;
            // Halve the weight of older runs at each look, so the estimate follows a change of
            // workload within a few claims.
            meanNanos = Double.isNaN(meanNanos) ? recent : (meanNanos + recent) / 2;
            seenRuns = totalRuns;
            seenNanos = totalNanos;
        }
        if (Double.isNaN(meanNanos)) {
            return Math.min(maxAhead, concurrency);
        }
        double ahead = Math.ceil(concurrency * (WINDOW.toNanos() / Math.max(1.0, meanNanos)));
        return (int) Math.min(maxAhead, ahead);
    }
}
