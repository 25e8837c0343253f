package io.taskbound.figures;

import io.taskbound.WorkerInfo;
import io.taskbound.loop.Loop;
import io.taskbound.store.FigureStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Publishes this node's lane figures once per interval: the jobs it holds per lane and job name,
 * and the runs of the last minute with their wait and run times. The figures are written only when
 * they changed, so an idle node writes nothing. While someone has read the figures in the last
 * minutes, it also takes its turn at counting the cluster's queue, which one node does per interval.
 */
public final class FiguresCollector extends Loop {

    /** How long after the figures were last read the queue is still counted. */
    static final Duration READ_RECENTLY = Duration.ofMinutes(2);

    private final RunTally tally;
    private final Supplier<List<JobLoad>> loads;
    private volatile Map<String, Integer> capacities = Map.of();
    private volatile Function<String, List<WorkerInfo>> workers = lane -> List.of();
    private final FigureStore store;
    private final UUID nodeId;
    private final Duration interval;
    private final RunWindow window;
    private final String version;
    private volatile @Nullable String published;
    private volatile long readAtNanos;
    private volatile boolean read;
    // When this node began counting runs, by the database's clock: published instead of how much
    // time the window covers, which would change at every tick of a node's first minute and have an
    // idle node write its figures twelve times for nothing.
    private volatile long countingSinceMillis = -1;

    /**
     * @param loads the jobs this node holds now
     */
    public FiguresCollector(
            RunTally tally, Supplier<List<JobLoad>> loads, FigureStore store, UUID nodeId, Duration interval) {
        super("taskbound-figures");
        this.tally = tally;
        this.loads = loads;
        this.store = store;
        this.nodeId = nodeId;
        this.interval = interval;
        this.window = new RunWindow(interval);
        this.version = version();
    }

    @Override
    protected Duration runOnce() {
        if (countingSinceMillis < 0) {
            countingSinceMillis = tally.databaseMicros() / 1_000;
        }
        window.advance(tally.totals());
        String json = figures().toJson();
        if (!json.equals(published)) {
            store.publish(nodeId, json);
            published = json;
        }
        if (read && System.nanoTime() - readAtNanos < READ_RECENTLY.toNanos()) {
            store.countQueue(interval);
        }
        return interval;
    }

    /**
     * Someone reads the figures: count the queue at each tick from now on, for a while. (A read
     * that finds no recent count makes one itself, so it need not wake this loop.)
     */
    public void read() {
        readAtNanos = System.nanoTime();
        read = true;
    }

    /**
     * The lanes this node runs, with their concurrency, and where to read each one's worker
     * processes: known once the engine starts. Workers are published with the figures, so a worker
     * that finished a job or changed state shows in the lane report within an interval.
     */
    public void runLanes(Map<String, Integer> capacities, Function<String, List<WorkerInfo>> workers) {
        this.capacities = Map.copyOf(capacities);
        this.workers = workers;
    }

    /** Writes the figures again at the next tick, changed or not: the node's row was made anew. */
    public void republish() {
        published = null;
        wake();
    }

    NodeFigures figures() {
        Map<String, Integer> capacities = this.capacities;
        Function<String, List<WorkerInfo>> workers = this.workers;
        Map<String, int[]> lanes = new TreeMap<>();
        capacities.keySet().forEach(lane -> lanes.put(lane, new int[2]));
        Map<RunWindow.Key, int[]> jobs = new HashMap<>();
        for (JobLoad load : loads.get()) {
            int slot = load.started() ? 0 : 1;
            lanes.computeIfAbsent(load.lane(), l -> new int[2])[slot]++;
            jobs.computeIfAbsent(new RunWindow.Key(load.lane(), load.name()), k -> new int[2])[slot]++;
        }
        Map<RunWindow.Key, RunWindow.Growth> runs = window.sum();
        runs.keySet().forEach(key -> jobs.computeIfAbsent(key, k -> new int[2]));
        List<NodeFigures.Lane> laneFigures = new ArrayList<>();
        lanes.forEach((lane, held) -> laneFigures.add(
                new NodeFigures.Lane(lane, capacities.getOrDefault(lane, 0), held[0], held[1], workers.apply(lane))));
        List<NodeFigures.Job> jobFigures = new ArrayList<>();
        jobs.forEach((key, held) -> {
            RunWindow.Growth ran = runs.getOrDefault(key, RunWindow.Growth.none());
            jobFigures.add(new NodeFigures.Job(
                    key.lane(), key.name(), held[0], held[1], ran.succeeded(), ran.failed(), ran.waited(), ran.ran()));
        });
        jobFigures.sort(Comparator.comparing(NodeFigures.Job::lane).thenComparing(NodeFigures.Job::name));
        return new NodeFigures(version, countingSinceMillis, laneFigures, jobFigures);
    }

    private static String version() {
        String version = FiguresCollector.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
