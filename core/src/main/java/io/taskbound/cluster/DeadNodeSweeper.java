package io.taskbound.cluster;

import io.taskbound.loop.Loop;
import io.taskbound.store.NodeStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds nodes whose heartbeat stopped and re-queues their running jobs. Every node runs it; the
 * sweep is one statement that locks what it takes, so two nodes sweeping at once do no harm.
 *
 * <p>After this node could not reach the database, it judges no other node until it has reached the
 * database again for a whole dead-node timeout: while the database was down or restarting, no node
 * could heartbeat, and sweeping as soon as it is back would declare every node dead and run all
 * their running jobs a second time. Nodes really dead during the outage are swept one timeout later.
 */
public final class DeadNodeSweeper extends Loop {

    private static final Logger log = LoggerFactory.getLogger(DeadNodeSweeper.class);

    private final NodeStore nodes;
    private final Duration deadNodeTimeout;
    private final Duration interval;
    private final Runnable onRecovered;
    private volatile boolean failedSinceLastSuccess;
    private long trustedFrom = System.nanoTime();

    public DeadNodeSweeper(NodeStore nodes, Duration deadNodeTimeout, Duration interval, Runnable onRecovered) {
        super("taskbound-dead-node-sweeper");
        this.nodes = nodes;
        this.deadNodeTimeout = deadNodeTimeout;
        this.interval = interval;
        this.onRecovered = onRecovered;
    }

    @Override
    protected Duration runOnce() {
        long now = System.nanoTime();
        if (failedSinceLastSuccess) {
            nodes.ping();
            failedSinceLastSuccess = false;
            // From when the database answered, not from when this iteration began: reaching it may
            // have taken seconds.
            trustedFrom = System.nanoTime() + deadNodeTimeout.toNanos();
            log.info(
                    "The database answers again; other nodes get {} to heartbeat before any is declared dead",
                    deadNodeTimeout);
            return interval;
        }
        if (now - trustedFrom < 0) {
            nodes.ping();
            return interval;
        }
        NodeStore.Recovery recovery = nodes.recoverDeadNodes(deadNodeTimeout);
        if (recovery.deadNodes() > 0 || recovery.recoveredJobs() > 0) {
            log.warn(
                    "Removed {} dead node(s) and recovered {} job(s) they were running",
                    recovery.deadNodes(),
                    recovery.recoveredJobs());
            onRecovered.run();
        }
        return interval;
    }

    @Override
    protected Duration afterFailure() {
        failedSinceLastSuccess = true;
        return interval;
    }
}
