package io.taskbound.cluster;

import io.taskbound.loop.Loop;
import io.taskbound.store.NodeStore;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds nodes whose heartbeat stopped and re-queues their running jobs. Every node runs it; the
 * sweep is one statement that locks what it takes, so two nodes sweeping at once do no harm.
 */
public final class DeadNodeSweeper extends Loop {

    private static final Logger log = LoggerFactory.getLogger(DeadNodeSweeper.class);

    private final NodeStore nodes;
    private final Duration deadNodeTimeout;
    private final Duration interval;
    private final Runnable onRecovered;

    public DeadNodeSweeper(NodeStore nodes, Duration deadNodeTimeout, Duration interval, Runnable onRecovered) {
        super("taskbound-dead-node-sweeper");
        this.nodes = nodes;
        this.deadNodeTimeout = deadNodeTimeout;
        this.interval = interval;
        this.onRecovered = onRecovered;
    }

    @Override
    protected Duration runOnce() {
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
        return interval;
    }
}
