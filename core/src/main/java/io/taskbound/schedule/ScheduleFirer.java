package io.taskbound.schedule;

import io.taskbound.loop.Loop;
import io.taskbound.store.JobStore;
import io.taskbound.store.ScheduleStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fires due schedules on this node. Every node runs one, and no leader is needed: nodes that wake
 * for the same fire time race for the schedule's row, one wins and makes the job, the others skip
 * the locked row. Between fire times it sleeps until the earliest one by the database's clock, or
 * until told that a schedule changed, or at most one poll interval.
 */
public final class ScheduleFirer extends Loop {

    /** Schedules fired in one transaction; more due ones are fired at once after. */
    static final int BATCH = 100;

    // When a due schedule is locked by another node, that node is firing it: look again shortly
    // (its commit also announces the change, which usually wakes this loop sooner).
    private static final Duration FIRING_ELSEWHERE = Duration.ofMillis(25);

    private final ScheduleStore store;
    private final Set<String> jobNames;
    private final ScheduleStore.Firing planner;
    private final Duration pollInterval;
    private final Consumer<List<JobStore.InsertedJob>> onJobs;

    public ScheduleFirer(
            ScheduleStore store,
            Set<String> jobNames,
            ScheduleStore.Firing planner,
            Duration pollInterval,
            Consumer<List<JobStore.InsertedJob>> onJobs) {
        super("taskbound-scheduler");
        this.store = store;
        this.jobNames = Set.copyOf(jobNames);
        this.planner = planner;
        this.pollInterval = pollInterval;
        this.onJobs = onJobs;
    }

    @Override
    protected Duration runOnce() {
        ScheduleStore.Fired fired = store.fire(jobNames, BATCH, planner);
        if (!fired.inserted().isEmpty()) {
            onJobs.accept(fired.inserted());
        }
        if (fired.due() == BATCH) {
            return Duration.ZERO;
        }
        Duration untilNext = fired.untilNext();
        if (untilNext == null) {
            return pollInterval;
        }
        if (untilNext.isNegative() || untilNext.isZero()) {
            return fired.due() > 0 ? Duration.ZERO : FIRING_ELSEWHERE;
        }
        return untilNext.compareTo(pollInterval) < 0 ? untilNext : pollInterval;
    }
}
