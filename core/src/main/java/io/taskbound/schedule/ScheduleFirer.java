package io.taskbound.schedule;

import io.taskbound.loop.Loop;
import io.taskbound.store.JobStore;
import io.taskbound.store.ScheduleStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Fires due schedules on this node. Every node runs one, and no leader is needed: nodes that wake
 * for the same fire time race for the schedule's row, one wins and makes the job, the others skip
 * the locked row. Between fire times it sleeps until the earliest one by the database's clock, or
 * until told that a schedule changed, or at most {@code interval}.
 *
 * <p>Firing takes a transaction of several statements; looking whether anything is due takes one.
 * So it fires when it slept until a known fire time, and otherwise (woken by a change, or after
 * {@code interval}) looks first, and fires only if something is due. Every change of a schedule is
 * announced to the firers, so while this node listens, {@code interval} can be long; without a
 * listener it is the poll interval, since looking is then the only way to see other nodes' changes.
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
    private final Supplier<Duration> interval;
    private final Consumer<List<JobStore.InsertedJob>> onJobs;
    // When the earliest fire time known is due, on the System.nanoTime() scale; 0 when none is known.
    private long fireAt;

    /** @param interval the longest sleep between two looks, asked each time */
    public ScheduleFirer(
            ScheduleStore store,
            Set<String> jobNames,
            ScheduleStore.Firing planner,
            Supplier<Duration> interval,
            Consumer<List<JobStore.InsertedJob>> onJobs) {
        super("taskbound-scheduler");
        this.store = store;
        this.jobNames = Set.copyOf(jobNames);
        this.planner = planner;
        this.interval = interval;
        this.onJobs = onJobs;
    }

    @Override
    protected Duration runOnce() {
        if (fireAt == 0 || System.nanoTime() - fireAt < 0) {
            Duration untilNext = store.untilNext(jobNames);
            if (untilNext == null || untilNext.isPositive()) {
                return sleepUntil(untilNext);
            }
        }
        ScheduleStore.Fired fired = store.fire(jobNames, BATCH, planner);
        if (!fired.inserted().isEmpty()) {
            onJobs.accept(fired.inserted());
        }
        if (fired.due() == BATCH) {
            fireAt = System.nanoTime();
            return Duration.ZERO;
        }
        Duration untilNext = fired.untilNext();
        if (untilNext != null && !untilNext.isPositive()) {
            fireAt = System.nanoTime();
            return fired.due() > 0 ? Duration.ZERO : FIRING_ELSEWHERE;
        }
        return sleepUntil(untilNext);
    }

    private Duration sleepUntil(@Nullable Duration untilNext) {
        Duration longest = interval.get();
        if (untilNext == null || untilNext.compareTo(longest) >= 0) {
            fireAt = 0;
            return longest;
        }
        fireAt = System.nanoTime() + untilNext.toNanos();
        return untilNext;
    }
}
