package io.taskbound.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.taskbound.LaneFigures;
import io.taskbound.LaneReport;
import io.taskbound.ScheduleInfo;
import io.taskbound.WorkerInfo;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.engine.TaskboundEngine.LaneStatus;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Gauges of an engine's lanes and schedules: per lane, the jobs running, held and the capacity on
 * this node and, on a {@code process} lane, its worker JVMs by state and their heap; across the
 * cluster, the jobs queued and whether the lane is paused, and how late the latest schedule is.
 *
 * <p>What a scrape costs: the node's own figures are read from memory at each scrape. The
 * cluster's come from {@link io.taskbound.JobQueries#lanes()} (one statement on the small nodes
 * and queue-count tables) and {@link io.taskbound.Schedules#list()} (one on the schedules table),
 * read together at most once per {@code taskbound.figures-interval}, however often and by however
 * many registries the gauges are read. While the lanes are read, one node counts the waiting jobs
 * once per figures interval, as it does while a dashboard is open.
 */
public final class LaneMetrics implements MeterBinder {

    static final String RUNNING = "taskbound.lane.running";
    static final String HELD = "taskbound.lane.held";
    static final String CAPACITY = "taskbound.lane.capacity";
    static final String QUEUED = "taskbound.lane.queued";
    static final String PAUSED = "taskbound.lane.paused";
    static final String WORKERS = "taskbound.lane.workers";
    static final String WORKERS_HEAP = "taskbound.lane.workers.heap.used";
    static final String SCHEDULE_LATENESS = "taskbound.schedules.lateness";
    static final String EVENTS_DROPPED = "taskbound.events.dropped";

    private final TaskboundEngine engine;
    private final Cached<ClusterView> cluster;

    /** What the cluster's gauges read, as of one refresh. */
    private record ClusterView(LaneReport lanes, Duration scheduleLateness) {}

    /**
     * Gauges of {@code engine}, reading the cluster's figures at most once per its figures interval.
     * Schedules' lateness is measured against this node's wall clock corrected by its measured skew
     * from the database's clock, by which fire times are due.
     */
    public LaneMetrics(TaskboundEngine engine) {
        this(
                engine,
                engine.settings().figuresInterval(),
                () -> Instant.now().plus(engine.wallClockSkew()),
                System::nanoTime);
    }

    LaneMetrics(TaskboundEngine engine, Duration refresh, InstantSource databaseTime, LongSupplier nanoTime) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.cluster = new Cached<>(
                "the cluster's lanes and schedules",
                () -> new ClusterView(
                        engine.jobs().queries().lanes(),
                        lateness(engine.jobs().schedules().list(), databaseTime.instant())),
                refresh,
                nanoTime);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        engine.settings().lanes().forEach((lane, settings) -> bindLane(registry, lane, settings));
        Gauge.builder(
                        SCHEDULE_LATENESS,
                        this,
                        metrics ->
                                metrics.cluster(view -> view.scheduleLateness().toNanos() / 1e9))
                .description("How long the most overdue schedule that is not paused has been due without firing,"
                        + " across the cluster; 0 when none is overdue")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(EVENTS_DROPPED, engine, e -> e.eventStats().dropped())
                .description("Job events dropped on this node because its listeners fell behind; the"
                        + " taskbound.jobs meters miss what they tell")
                // Held weakly, as a function counter's object always is: the engine outlives its meters.
                .register(registry);
    }

    private void bindLane(MeterRegistry registry, String lane, LaneSettings settings) {
        Tags tags = Tags.of("lane", lane);
        gauge(
                registry,
                RUNNING,
                tags,
                "jobs",
                "Jobs of the lane running on this node",
                () -> local(lane).map(LaneStatus::running).orElse(0));
        gauge(
                registry,
                HELD,
                tags,
                "jobs",
                "Jobs of the lane claimed by this node ahead of a free slot, not yet started",
                () -> local(lane).map(LaneStatus::held).orElse(0));
        gauge(
                registry,
                CAPACITY,
                tags,
                "jobs",
                "Jobs of the lane this node runs at once: its concurrency",
                () -> local(lane).map(LaneStatus::capacity).orElse(0));
        Gauge.builder(
                        QUEUED,
                        this,
                        metrics -> metrics.cluster(view -> figures(view, lane)
                                .map(figures -> (double) figures.total().queued())
                                .orElse(0.0)))
                .description("Jobs of the lane due and waiting to be claimed, across the cluster, as last counted")
                .baseUnit("jobs")
                .tags(tags)
                .strongReference(true)
                .register(registry);
        Gauge.builder(
                        PAUSED,
                        this,
                        metrics -> metrics.cluster(view -> figures(view, lane)
                                .map(figures -> figures.paused() ? 1.0 : 0.0)
                                .orElse(0.0)))
                .description("1 while the lane is paused across the cluster, else 0")
                .tags(tags)
                .strongReference(true)
                .register(registry);
        if (settings.executorKind().orElse(null) == ExecutorKind.PROCESS) {
            bindWorkers(registry, lane, tags);
        }
    }

    private void bindWorkers(MeterRegistry registry, String lane, Tags tags) {
        for (WorkerInfo.State state : WorkerInfo.State.values()) {
            gauge(
                    registry,
                    WORKERS,
                    tags.and("state", state.name().toLowerCase(Locale.ROOT)),
                    "workers",
                    "Worker JVMs of the lane on this node in this state",
                    () -> workers(lane).stream()
                            .filter(worker -> worker.state() == state)
                            .count());
        }
        gauge(
                registry,
                WORKERS_HEAP,
                tags,
                "bytes",
                "Heap in use in the lane's worker JVMs on this node, each as it reported after its last job",
                () -> workers(lane).stream()
                        .map(WorkerInfo::heapUsedBytes)
                        .filter(Objects::nonNull)
                        .mapToLong(Long::longValue)
                        .sum());
    }

    private void gauge(
            MeterRegistry registry, String name, Tags tags, String unit, String description, Supplier<Number> value) {
        Gauge.builder(name, value)
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    // From memory: the node's dispatchers and executors. Cheap enough to read at each gauge.
    private Optional<LaneStatus> local(String lane) {
        return engine.lanes().stream()
                .filter(status -> status.name().equals(lane))
                .findFirst();
    }

    private List<WorkerInfo> workers(String lane) {
        return local(lane).map(LaneStatus::workers).orElse(List.of());
    }

    // NaN when the cluster's figures could not be read: an honest gap rather than an old figure.
    private double cluster(ToDoubleFunction<ClusterView> figure) {
        ClusterView view = cluster.get();
        return view == null ? Double.NaN : figure.applyAsDouble(view);
    }

    // A lane that no node runs, that has no waiting job and is not paused is not in the report.
    private static Optional<LaneFigures> figures(ClusterView view, String lane) {
        return view.lanes().lane(lane);
    }

    /** How long the most overdue schedule that is not paused has been due at {@code now}; zero if none. */
    static Duration lateness(List<ScheduleInfo> schedules, Instant now) {
        Duration latest = Duration.ZERO;
        for (ScheduleInfo schedule : schedules) {
            if (schedule.paused()) {
                continue;
            }
            Duration late = Duration.between(schedule.nextFireAt(), now);
            if (late.compareTo(latest) > 0) {
                latest = late;
            }
        }
        return latest;
    }
}
