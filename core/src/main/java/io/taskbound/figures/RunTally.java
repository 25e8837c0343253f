package io.taskbound.figures;

import io.taskbound.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts this node's runs as they start and end, per lane and job name: how long each waited from
 * when it was due (its enqueue, for a job due at once) until it started, how long it ran, and how it
 * ended. This is on every run's path, so it does only map lookups and atomic increments; the
 * {@link FiguresCollector} reads the totals at its own pace.
 */
public final class RunTally {

    private final LongSupplier databaseMicros;
    private final Map<String, Map<String, JobTally>> lanes = new ConcurrentHashMap<>();

    /** @param databaseMicros the database's clock, in microseconds since the epoch, as this node reckons it */
    public RunTally(LongSupplier databaseMicros) {
        this.databaseMicros = databaseMicros;
    }

    /** The database's clock as this node reckons it, in microseconds since the epoch. */
    long databaseMicros() {
        return databaseMicros.getAsLong();
    }

    /** A run of a job that was due at {@code dueMicros} (by the database's clock) starts now. */
    public void started(String lane, String name, long dueMicros) {
        tally(lane, name).waited.record(Math.max(0, databaseMicros.getAsLong() - dueMicros));
    }

    /**
     * A run ended after {@code runMicros}, leaving its job in {@code state}: SUCCEEDED counts as
     * succeeded, RETRYING and DEAD as failed; a cancelled run counts only its run time.
     */
    public void ended(String lane, String name, JobState state, long runMicros) {
        JobTally tally = tally(lane, name);
        tally.ran.record(runMicros);
        switch (state) {
            case SUCCEEDED -> tally.succeeded.increment();
            case RETRYING, DEAD -> tally.failed.increment();
            default -> {}
        }
    }

    private JobTally tally(String lane, String name) {
        return lanes.computeIfAbsent(lane, l -> new ConcurrentHashMap<>()).computeIfAbsent(name, n -> new JobTally());
    }

    /** Every job's totals since the node started. */
    List<Totals> totals() {
        List<Totals> all = new ArrayList<>();
        lanes.forEach((lane, jobs) -> jobs.forEach((name, tally) -> all.add(new Totals(
                lane,
                name,
                tally.succeeded.sum(),
                tally.failed.sum(),
                tally.waited.snapshot(),
                tally.ran.snapshot()))));
        return all;
    }

    /** One job's runs counted since the node started; the histograms are bucket counts. */
    record Totals(String lane, String name, long succeeded, long failed, long[] waited, long[] ran) {}

    private static final class JobTally {
        final LongAdder succeeded = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LatencyHistogram waited = new LatencyHistogram();
        final LatencyHistogram ran = new LatencyHistogram();
    }
}
