package io.taskbound.cluster;

import io.taskbound.loop.Loop;
import io.taskbound.run.RunningJobs;
import io.taskbound.store.JobStore;
import io.taskbound.store.NodeStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the cluster this node is alive, picks up cancellations of the jobs it runs (the NOTIFY
 * that announces them is a fast path that a dropped connection can lose; this is the sure one), and
 * reads the database's clock again for the node's timers; it also gives back jobs that a claim whose
 * commit was cut took without this node knowing. It tells {@code reachability} whether the database
 * answers; {@code onRegisteredAgain} runs when the node, found declared dead, has registered again.
 */
public final class Heartbeat extends Loop {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final NodeStore nodes;
    private final JobStore jobs;
    private final RunningJobs running;
    private final Supplier<Set<UUID>> unwrittenOutcomes;
    private final UUID nodeId;
    private final String nodeName;
    private final @Nullable String scheduleSet;
    private final DatabaseClock clock;
    private final Duration interval;
    private final Duration claimSettle;
    private final Runnable onRegisteredAgain;
    private final Reachability reachability;

    public Heartbeat(
            NodeStore nodes,
            JobStore jobs,
            RunningJobs running,
            Supplier<Set<UUID>> unwrittenOutcomes,
            UUID nodeId,
            String nodeName,
            @Nullable String scheduleSet,
            DatabaseClock clock,
            Duration interval,
            Duration claimSettle,
            Reachability reachability,
            Runnable onRegisteredAgain) {
        super("taskbound-heartbeat");
        this.nodes = nodes;
        this.jobs = jobs;
        this.running = running;
        this.unwrittenOutcomes = unwrittenOutcomes;
        this.nodeId = nodeId;
        this.nodeName = nodeName;
        this.scheduleSet = scheduleSet;
        this.clock = clock;
        this.interval = interval;
        this.claimSettle = claimSettle;
        this.onRegisteredAgain = onRegisteredAgain;
        this.reachability = reachability;
    }

    @Override
    protected Duration runOnce() {
        // One statement records the heartbeat and reads the clock: on an idle node it is the most
        // frequent statement of all.
        NodeStore.Beat beat = nodes.heartbeat(nodeId);
        reachability.answered();
        clock.record(beat.clock());
        if (!beat.registered()) {
            // Declared dead (a long pause, a lost network): our running jobs were re-queued and their
            // late outcomes will be ignored. Register again and carry on as a fresh node; claims were
            // refused meanwhile, so the lanes look again now.
            log.warn("Node {} ({}) was declared dead by the cluster; registering again", nodeName, nodeId);
            nodes.register(nodeId, nodeName, scheduleSet);
            onRegisteredAgain.run();
        }
        if (running.size() > 0) {
            running.requestCancellation(jobs.cancellationsRequested(nodeId));
        }
        recoverClaimsInDoubt();
        return interval;
    }

    // A claim whose commit was cut may have taken jobs that this node never got to hold. Once such a
    // claim is surely over (the network timeout has passed), the jobs the store says this node runs
    // but it does not hold go back in the queue.
    private void recoverClaimsInDoubt() {
        long doubtSince = jobs.claimsInDoubtSince();
        if (doubtSince == 0 || System.nanoTime() - doubtSince < claimSettle.toNanos()) {
            return;
        }
        // Held: running here, or ended with an outcome still on its way to the store.
        Set<UUID> held = new HashSet<>(running.ids());
        held.addAll(unwrittenOutcomes.get());
        int requeued = jobs.requeueUnheld(nodeId, held, claimSettle, doubtSince);
        if (requeued > 0) {
            log.warn(
                    "Re-queued {} job(s) claimed by this node whose claim's commit was cut: the claim had"
                            + " committed, but the node never got the jobs",
                    requeued);
        }
    }

    @Override
    protected Duration afterFailure() {
        reachability.failed();
        return interval;
    }
}
