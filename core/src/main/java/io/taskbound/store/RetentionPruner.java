package io.taskbound.store;

import io.taskbound.JobState;
import io.taskbound.loop.Loop;
import java.time.Duration;
import java.util.Map;

/** Deletes finished jobs older than their state's retention, in small batches. */
public final class RetentionPruner extends Loop {

    private static final int BATCH = 1_000;

    private final JobStore store;
    private final Map<JobState, Duration> retention;
    private final Duration interval;

    public RetentionPruner(JobStore store, Map<JobState, Duration> retention, Duration interval) {
        super("taskbound-pruner");
        this.store = store;
        this.retention = Map.copyOf(retention);
        this.interval = interval;
    }

    @Override
    protected Duration runOnce() {
        boolean more = false;
        for (Map.Entry<JobState, Duration> entry : retention.entrySet()) {
            more |= store.prune(entry.getKey(), entry.getValue(), BATCH) == BATCH;
        }
        return more ? Duration.ZERO : interval;
    }
}
