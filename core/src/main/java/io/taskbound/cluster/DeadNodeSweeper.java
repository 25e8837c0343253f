package io.taskbound.cluster;

import io.taskbound.loop.Loop;
import io.taskbound.store.NodeStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds nodes whose heartbeat stopped and re-queues their running jobs. Every node runs it; the
 * sweep is one statement that locks what it takes, so two nodes sweeping at once do no harm.
 *
 * <p>It sweeps when a node can first be dead, not on a fixed beat: each sweep also tells when the
 * oldest heartbeat left will be older than the dead-node timeout, and the next sweep waits until
 * just after then, or at most {@code longestWait}. A node that registers after a sweep heartbeats
 * after it, so with {@code longestWait} at most the timeout no death is seen later than it would be
 * by a sweep every heartbeat interval, while a healthy cluster costs a sweep every few heartbeats
 * instead of one per heartbeat. Right after a sweep that removed a node, it sweeps again one
 * heartbeat interval later, for jobs the first sweep skipped because another transaction held them.
 *
 * <p>After this node could not reach the database, it judges no other node until it has reached the
 * database again for a whole dead-node timeout: while the database was down or restarting, no node
 * could heartbeat, and sweeping as soon as it is back would declare every node dead and run all
 * their running jobs a second time. Nodes really dead during the outage are swept one timeout later.
 * Since the sweeper may sleep through a whole outage, it learns of one from {@link Reachability},
 * which this node's heartbeat keeps, as well as from its own failures.
 */
public final class DeadNodeSweeper extends Loop {

    private static final Logger log = LoggerFactory.getLogger(DeadNodeSweeper.class);

    // Past the instant a heartbeat expires, so that the sweep then finds it expired (the sweep's
    // comparison is strict) despite the rounding of the delay to microseconds.
    private static final Duration PAST_EXPIRY = Duration.ofMillis(5);

    private final NodeStore nodes;
    private final Duration deadNodeTimeout;
    private final Duration interval;
    private final Duration longestWait;
    private final Runnable onRecovered;
    private final Reachability reachability;
    private boolean waitingForTrust;

    /**
     * @param interval how often to try while the database cannot be reached, and how soon to sweep
     *     again after a sweep that removed a node: the heartbeat interval
     * @param longestWait the longest wait between two sweeps: the dead-node timeout, or less when
     *     the store's clock is a test clock that jumps
     */
    public DeadNodeSweeper(
            NodeStore nodes,
            Duration deadNodeTimeout,
            Duration interval,
            Duration longestWait,
            Reachability reachability,
            Runnable onRecovered) {
        super("taskbound-dead-node-sweeper");
        this.nodes = nodes;
        this.deadNodeTimeout = deadNodeTimeout;
        this.interval = interval;
        this.longestWait = longestWait;
        this.reachability = reachability;
        this.onRecovered = onRecovered;
    }

    @Override
    protected Duration runOnce() {
        Duration untilTrusted = reachability.untilTrusted(deadNodeTimeout);
        if (untilTrusted.isPositive()) {
            if (untilTrusted.compareTo(deadNodeTimeout) < 0 && !waitingForTrust) {
                waitingForTrust = true;
                log.info(
                        "The database answers again; other nodes get {} more to heartbeat before any is declared"
                                + " dead",
                        untilTrusted);
            }
            // While the database does not answer, the heartbeat finds out when it does again.
            return untilTrusted.compareTo(interval) < 0 ? untilTrusted : interval;
        }
        waitingForTrust = false;
        NodeStore.Recovery recovery = nodes.recoverDeadNodes(deadNodeTimeout);
        reachability.answered();
        if (recovery.deadNodes() > 0 || recovery.recoveredJobs() > 0) {
            log.warn(
                    "Removed {} dead node(s) and recovered {} job(s) they were running",
                    recovery.deadNodes(),
                    recovery.recoveredJobs());
            onRecovered.run();
        }
        return recovery.deadNodes() > 0 ? interval : untilNextExpiry(recovery.untilOldestExpires());
    }

    private Duration untilNextExpiry(@Nullable Duration untilOldestExpires) {
        if (untilOldestExpires == null) {
            return longestWait;
        }
        Duration wait = untilOldestExpires.plus(PAST_EXPIRY);
        return wait.compareTo(longestWait) < 0 ? wait : longestWait;
    }

    @Override
    protected Duration afterFailure() {
        reachability.failed();
        return interval;
    }
}
