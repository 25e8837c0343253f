package io.taskbound.dashboard;

import io.taskbound.Bound;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.LaneFigures;
import io.taskbound.LaneReport;
import io.taskbound.StateCount;
import io.taskbound.WorkFigures;
import io.taskbound.WorkerInfo;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.settings.LaneSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The lanes and stats views: the cluster's lane report, joined with how this node runs each lane
 * (executor, concurrency) and which bound types route to it, read from the engine's settings.
 */
final class LaneViews {

    private static final WorkFigures IDLE = new WorkFigures(0, 0, 0, 0, 0, 0, 0, 0.0, null, null, null, null);

    private final Jobs jobs;
    private final @Nullable TaskboundEngine engine;

    /** @param engine this node's engine; null where the application made its own {@code Jobs} */
    LaneViews(Jobs jobs, @Nullable TaskboundEngine engine) {
        this.jobs = jobs;
        this.engine = engine;
    }

    record Lanes(Duration window, @Nullable Instant queueCountedAt, List<Lane> lanes) {}

    /**
     * One lane.
     *
     * @param capacity how many of its jobs the cluster runs at once, from the nodes' published
     *     figures; null where the report does not have the lane yet
     * @param node how this node runs the lane; null where it does not run it
     * @param boundTypes the bound types routed to the lane by this node's settings
     * @param workers the lane's worker processes on each node that has any, by node id
     */
    record Lane(
            String lane,
            boolean paused,
            @Nullable Integer capacity,
            @Nullable NodeLane node,
            List<Bound> boundTypes,
            WorkFigures total,
            Map<String, WorkFigures> jobs,
            Map<UUID, List<WorkerInfo>> workers) {}

    record NodeLane(String name, String executor, int concurrency) {}

    record Stats(Map<JobState, StateCount> states, @Nullable Instant queueCountedAt, Map<String, LaneLoad> lanes) {}

    record LaneLoad(long queued, int running) {}

    /**
     * Every lane of the report, and every lane this node runs that the report does not have yet (its
     * figures are published each interval, and a lane without jobs may be missing until then), by name.
     */
    Lanes lanes() {
        return lanes(jobs.queries().lanes());
    }

    Lanes lanes(LaneReport report) {
        Map<String, LaneSettings> settings =
                engine == null ? Map.of() : engine.settings().lanes();
        Map<String, List<Bound>> routed = routes();
        Map<String, Lane> lanes = new TreeMap<>();
        for (LaneFigures figures : report.lanes()) {
            lanes.put(
                    figures.lane(),
                    new Lane(
                            figures.lane(),
                            figures.paused(),
                            figures.capacity(),
                            node(settings.get(figures.lane())),
                            routed.getOrDefault(figures.lane(), List.of()),
                            figures.total(),
                            figures.jobs(),
                            figures.workers()));
        }
        settings.forEach((name, lane) -> lanes.computeIfAbsent(
                // Not in the report, so not paused: the report has every paused lane.
                name,
                absent -> new Lane(
                        name,
                        false,
                        null,
                        node(lane),
                        routed.getOrDefault(name, List.of()),
                        IDLE,
                        Map.of(),
                        Map.of())));
        return new Lanes(report.window(), report.queueCountedAt(), List.copyOf(lanes.values()));
    }

    private @Nullable NodeLane node(@Nullable LaneSettings lane) {
        return lane == null || engine == null
                ? null
                : new NodeLane(engine.nodeName(), lane.executor(), lane.concurrency());
    }

    Stats stats() {
        return stats(jobs.queries().lanes());
    }

    Stats stats(LaneReport report) {
        Map<JobState, StateCount> counts = new EnumMap<>(JobState.class);
        counts.putAll(jobs.queries().counts());
        Map<String, LaneLoad> lanes = new LinkedHashMap<>();
        for (LaneFigures lane : report.lanes()) {
            lanes.put(
                    lane.lane(),
                    new LaneLoad(lane.total().queued(), lane.total().running()));
        }
        return new Stats(counts, report.queueCountedAt(), lanes);
    }

    /**
     * Whether a lane exists: one this node runs, or else one the cluster's report has (another node
     * may run a lane this one does not).
     */
    boolean known(String lane) {
        if (engine != null && engine.settings().lanes().containsKey(lane)) {
            return true;
        }
        return jobs.queries().lanes().lane(lane).isPresent();
    }

    private Map<String, List<Bound>> routes() {
        Map<String, List<Bound>> routed = new LinkedHashMap<>();
        if (engine != null) {
            engine.settings()
                    .routes()
                    .forEach((bound, lane) -> routed.computeIfAbsent(lane, name -> new ArrayList<>())
                            .add(bound));
        }
        routed.values().forEach(bounds -> bounds.sort(null));
        return routed;
    }
}
