package io.taskbound.lane;

import io.taskbound.loop.Loop;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.JobStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The claim loop of one lane on one node: claims up to the lane's free capacity in batches, hands
 * each job to the runner (which from then on answers for it) and the lane's executor, and sleeps until woken (an enqueue here, a NOTIFY from another
 * node, a slot freed while work was waiting) or until the poll interval passes.
 */
public final class Dispatcher extends Loop {

    private final String lane;
    private final LaneSettings settings;
    private final LaneExecutor executor;
    private final JobStore store;
    private final Set<String> jobNames;
    private final UUID nodeId;
    private final Duration pollInterval;
    private final Function<ClaimedJob, Runnable> runner;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean backlog;

    public Dispatcher(
            String lane,
            LaneSettings settings,
            LaneExecutor executor,
            JobStore store,
            Set<String> jobNames,
            UUID nodeId,
            Duration pollInterval,
            Function<ClaimedJob, Runnable> runner) {
        super("taskbound-" + lane + "-dispatcher");
        this.lane = lane;
        this.settings = settings;
        this.executor = executor;
        this.store = store;
        this.jobNames = Set.copyOf(jobNames);
        this.nodeId = nodeId;
        this.pollInterval = pollInterval;
        this.runner = runner;
    }

    @Override
    protected Duration runOnce() {
        int held = running.get();
        int free = settings.maxHeld() - held;
        // With work waiting and the lane nearly full, wait until a good part of a batch is free:
        // waking on every finished job would claim a job or two per statement and spend the
        // database on claims instead of work.
        if (free <= 0 || (backlog && held > 0 && free < Math.max(1, settings.batchSize() / 4))) {
            backlog = true;
            return pollInterval;
        }
        int wanted = Math.min(free, settings.batchSize());
        List<ClaimedJob> claimed = store.claim(lane, wanted, jobNames, nodeId);
        for (ClaimedJob job : claimed) {
            running.incrementAndGet();
            Runnable run = runner.apply(job);
            try {
                executor.execute(() -> run(run));
            } catch (RuntimeException rejected) {
                running.decrementAndGet();
                throw rejected;
            }
        }
        // A full batch means more may be due: claim again at once rather than wait for a signal.
        backlog = claimed.size() == wanted;
        return backlog ? Duration.ZERO : pollInterval;
    }

    private void run(Runnable job) {
        try {
            job.run();
        } finally {
            running.decrementAndGet();
            if (backlog) {
                wake();
            }
        }
    }

    public String lane() {
        return lane;
    }

    public LaneSettings settings() {
        return settings;
    }

    public LaneExecutor executor() {
        return executor;
    }

    /** Jobs of this lane claimed by this node and not yet finished: running, or waiting for a thread. */
    public int running() {
        return running.get();
    }
}
