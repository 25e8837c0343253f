package io.taskbound.lane;

import io.taskbound.loop.Loop;
import io.taskbound.store.JobStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Looks for due work of every lane of this node in one statement and wakes the lanes that have
 * some. It is the safety net under the wake-ups that start work: an enqueue on this node wakes its
 * lane directly, and one on another node, a retry or a re-queue is announced by NOTIFY, with a time
 * for work due later. What no node is told of (a notification lost while the LISTEN connection was
 * broken, a job delayed before this node started) is found here. For a lane whose next job is due
 * later within the look's horizon, it sets the lane's timer, and looks again when that job is due,
 * so that the job after it is found as well.
 *
 * <p>How often it looks is the trade-off between the cost of an idle node and the delay of work no
 * one announced; {@code interval} answers before each look. While this node's LISTEN connection is
 * up, every enqueue, retry and re-queue reaches it, a notification is lost only when the connection
 * breaks, and the listener then asks for a look at once: polling guards only against what no one
 * announced, so it can be rare and keep an idle node nearly silent. In poll-only mode (behind
 * PgBouncer) or while the listener is down, polling is how this node hears of other nodes' work,
 * and it looks every poll interval. Either way, claims follow at once when it finds work.
 */
public final class DueWorkPoller extends Loop {

    // When it looks again after a job it found due later: just after the lane's timer has claimed
    // that job, so that the look finds the next one instead of the same one again.
    private static final Duration AFTER_DUE = Duration.ofMillis(20);

    private final JobStore store;
    private final Map<String, Dispatcher> lanes;
    private final Set<String> jobNames;
    private final Supplier<Duration> interval;

    /**
     * @param lanes this node's dispatchers by lane
     * @param jobNames the jobs this node can run: only their work counts
     * @param interval how long until the next look, asked before each one
     */
    public DueWorkPoller(
            JobStore store, Map<String, Dispatcher> lanes, Set<String> jobNames, Supplier<Duration> interval) {
        super("taskbound-poller");
        this.store = store;
        this.lanes = Map.copyOf(lanes);
        this.jobNames = Set.copyOf(jobNames);
        this.interval = interval;
    }

    @Override
    protected Duration runOnce() {
        Duration wait = interval.get();
        if (lanes.isEmpty()) {
            return wait;
        }
        long now = System.nanoTime();
        for (JobStore.LaneWork work : store.dueWork(lanes.keySet(), jobNames, wait)) {
            Dispatcher lane = lanes.get(work.lane());
            if (work.due()) {
                lane.wake();
                continue;
            }
            lane.wakeAt(work.dueAtNanos());
            Duration untilDue = Duration.ofNanos(work.dueAtNanos() - now).plus(AFTER_DUE);
            if (untilDue.compareTo(wait) < 0) {
                wait = untilDue;
            }
        }
        return wait;
    }
}
