package io.taskbound.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.taskbound.Bound;
import io.taskbound.JobEvent;
import io.taskbound.JobListener;
import io.taskbound.JobState;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.RunOutcome;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Counts jobs and times their runs and waits in a {@link MeterRegistry}, from the job events of one
 * node: {@code taskbound.jobs.enqueued}, {@code .started} and {@code .finished} (by {@code outcome}),
 * and the timers {@code taskbound.jobs.run} and {@code taskbound.jobs.wait}, each tagged with the
 * job's {@code lane}, {@code bound} and {@code job} name. Register it with the engine as a {@link
 * JobListener}: it adds nothing to the job's own path, as the events are delivered after commit on
 * the {@code taskbound-events} thread.
 *
 * <p>The {@code job} tag is the job's name only for names registered on this node, and {@value
 * #OTHER} for any other (a job enqueued here for other nodes to run, a name from an older
 * deployment): names come from the code, so the series stay as many as the jobs the code declares,
 * whatever names the store holds.
 *
 * <p>Meters are looked up once per tag combination and kept, so an event costs a map lookup and an
 * increment.
 */
public final class JobMetrics implements JobListener {

    /** The {@code job} tag of a name that is not registered on this node. */
    public static final String OTHER = JobCatalog.OTHER;

    static final String ENQUEUED = "taskbound.jobs.enqueued";
    static final String STARTED = "taskbound.jobs.started";
    static final String FINISHED = "taskbound.jobs.finished";
    static final String RUN = "taskbound.jobs.run";
    static final String WAIT = "taskbound.jobs.wait";

    private final MeterRegistry registry;
    private final JobCatalog catalog;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** The meters a counter or timer is known by: its name and its tags' values. */
    private record Key(
            String meter,
            String lane,
            Bound bound,
            String job,
            @Nullable RunOutcome outcome) {}

    /**
     * @param registry where the meters go
     * @param catalog the jobs registered on this node (the engine's {@link
     *     io.taskbound.registry.JobRegistry}), asked at each event, so that jobs registered after the
     *     engine was built are named too
     */
    public JobMetrics(MeterRegistry registry, JobCatalog catalog) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    @Override
    public void onEvent(JobEvent event) {
        String job = catalog.tag(event.name());
        switch (event.kind()) {
            case ENQUEUED -> count(new Key(ENQUEUED, event.lane(), event.bound(), job, null));
            case STARTED -> {
                count(new Key(STARTED, event.lane(), event.bound(), job, null));
                record(new Key(WAIT, event.lane(), event.bound(), job, null), event.waited());
            }
            case SUCCEEDED, FAILED, DEAD, CANCELLED -> {
                count(new Key(FINISHED, event.lane(), event.bound(), job, outcome(event)));
                // A waiting job cancelled, or the lost run of a dead node, has no run time here.
                record(new Key(RUN, event.lane(), event.bound(), job, null), event.runTime());
            }
        }
    }

    /** The outcome of a {@code SUCCEEDED}, {@code FAILED}, {@code DEAD} or {@code CANCELLED} event. */
    static RunOutcome outcome(JobEvent event) {
        return switch (event.kind()) {
            case SUCCEEDED -> RunOutcome.SUCCEEDED;
            case FAILED -> RunOutcome.of(JobState.RETRYING, event.error());
            case DEAD -> RunOutcome.DEAD;
            case CANCELLED -> RunOutcome.CANCELLED;
            case ENQUEUED, STARTED -> throw new IllegalArgumentException("Not an outcome: " + event.kind());
        };
    }

    private void count(Key key) {
        counters.computeIfAbsent(key, this::counter).increment();
    }

    private void record(Key key, @Nullable Duration duration) {
        if (duration != null) {
            timers.computeIfAbsent(key, this::timer).record(duration);
        }
    }

    private Counter counter(Key key) {
        return Counter.builder(key.meter())
                .description(description(key.meter()))
                // No base unit: Prometheus would put it in the name, taskbound_jobs_enqueued_jobs_total.
                .tags(tags(key))
                .register(registry);
    }

    private Timer timer(Key key) {
        return Timer.builder(key.meter())
                .description(description(key.meter()))
                .tags(tags(key))
                .register(registry);
    }

    private static Tags tags(Key key) {
        Tags tags = Tags.of("lane", key.lane(), "bound", key.bound().name().toLowerCase(Locale.ROOT), "job", key.job());
        return key.outcome() == null ? tags : tags.and("outcome", key.outcome().tag());
    }

    private static String description(String meter) {
        return switch (meter) {
            case ENQUEUED -> "Jobs stored to run, by enqueues and schedules on this node";
            case STARTED -> "Runs started on this node";
            case FINISHED -> "Runs ended on this node, and waiting jobs cancelled or recovered here, by outcome";
            case RUN -> "Wall time of the runs ended on this node";
            case WAIT -> "Time from when a job was due until its run started on this node";
            default -> throw new IllegalArgumentException("Unknown meter " + meter);
        };
    }
}
