package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the cluster's lanes are doing, from the figures each node publishes every {@code
 * taskbound.figures-interval} and the latest count of the queue. Reading it costs three statements on small tables,
 * whatever the number of jobs: no call counts the job table.
 *
 * @param window how far back the run counts, throughput and latencies look: a minute, or less while
 *     every node has run for less
 * @param queueCountedAt when the waiting jobs ({@link WorkFigures#queued()}, {@code scheduled},
 *     {@code retrying}) were counted; null if they never were. They are counted once per figures
 *     interval while someone reads the figures, so a first read after a quiet spell may see an older
 *     count
 * @param lanes every lane that a node runs, that has jobs waiting, or that is paused, by name
 */
public record LaneReport(Duration window, @Nullable Instant queueCountedAt, List<LaneFigures> lanes) {

    public LaneReport {
        lanes = List.copyOf(lanes);
    }

    /** The figures of the lane called {@code name}, if it is in the report. */
    public Optional<LaneFigures> lane(String name) {
        return lanes.stream().filter(lane -> lane.lane().equals(name)).findFirst();
    }
}
