package io.taskbound.trace;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.taskbound.Bound;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import io.taskbound.job.RunOutcome;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import io.taskbound.store.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer observations of enqueues ({@value #ENQUEUE}) and runs ({@value #RUN}). A tracing
 * handler makes them spans: the enqueue's is the enqueuing code's span's child, and its context is
 * stored with the jobs, so that each run's span links to it ({@link LinkedRunHandler}) or is its
 * child (Micrometer's receiver handler). A meter handler makes them timers.
 *
 * <p>Low-cardinality keys, which become meter tags too: {@code taskbound.job} (the job's name, or
 * {@value JobCatalog#OTHER} for a name not registered on this node, as in the metrics), {@code
 * taskbound.lane}, {@code taskbound.bound}, and of a run {@code taskbound.attempt} and {@code
 * outcome}. High-cardinality ones, on spans only: {@code taskbound.job.id}, the number of jobs an
 * enqueue stores at once ({@code taskbound.jobs}) and the schedule that made them ({@code
 * taskbound.schedule}).
 */
public final class ObservedJobs implements JobTracing {

    /** The name of an enqueue's observation. */
    public static final String ENQUEUE = "taskbound.enqueue";

    /** The name of a run's observation. */
    public static final String RUN = "taskbound.run";

    /**
     * The {@code outcome} of a run whose outcome was not written: its node stopped past the
     * shutdown deadline, and the job runs again.
     */
    public static final String ABANDONED = "abandoned";

    private static final String ATTEMPT = "taskbound.attempt";

    private final ObservationRegistry registry;
    private final JobCatalog catalog;
    private final Map<String, Names> names = new ConcurrentHashMap<>();

    /**
     * @param catalog the jobs registered on this node, which name the {@code taskbound.job} key
     */
    public ObservedJobs(ObservationRegistry registry, JobCatalog catalog) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    @Override
    public <T, X extends Exception> T enqueue(List<NewJob> jobs, Insert<T, X> insert) throws X {
        if (registry.isNoop() || jobs.isEmpty()) {
            return insert.insert(jobs);
        }
        NewJob first = jobs.getFirst();
        Names names = names(first.name(), first.lane(), first.bound());
        EnqueueContext context = new EnqueueContext(first.name(), first.lane(), jobs.size());
        Observation observation = Observation.createNotStarted(ENQUEUE, () -> context, registry)
                .contextualName(names.enqueue())
                .lowCardinalityKeyValues(names.keys())
                .lowCardinalityKeyValue("taskbound.source", first.scheduleId() == null ? "call" : "schedule");
        if (jobs.size() == 1) {
            observation.highCardinalityKeyValue("taskbound.job.id", first.id().toString());
        } else {
            observation.highCardinalityKeyValue("taskbound.jobs", Integer.toString(jobs.size()));
        }
        if (first.scheduleId() != null) {
            observation.highCardinalityKeyValue("taskbound.schedule", first.scheduleId());
        }
        // A failing handler costs the enqueue its observation, never its jobs: only what the insert
        // throws reaches the caller, with the handlers' failures suppressed in it.
        if (!Guard.run("start the observation of an enqueue", () -> observation.start())) {
            return insert.insert(jobs);
        }
        Runnable closeScope = Guard.openScope(registry, observation, "an enqueue");
        try {
            return insert.insert(traced(jobs, TraceHeaders.encode(context.getCarrier())));
        } catch (Throwable e) {
            Guard.run("record the failure of an enqueue", () -> observation.error(e), e);
            throw e;
        } finally {
            if (closeScope != null) {
                closeScope.run();
            }
            Guard.run("stop the observation of an enqueue", observation::stop);
        }
    }

    private static List<NewJob> traced(List<NewJob> jobs, @Nullable String headers) {
        if (headers == null) {
            return jobs;
        }
        List<NewJob> traced = new ArrayList<>(jobs.size());
        for (NewJob job : jobs) {
            traced.add(job.tracedBy(headers));
        }
        return traced;
    }

    @Override
    public Run run(ClaimedJob job) {
        if (registry.isNoop()) {
            return Run.NONE;
        }
        JobDefinition definition = catalog.find(job.name());
        Bound bound = definition == null ? null : definition.bound();
        Names names = names(job.name(), job.lane(), bound);
        RunContext context = new RunContext(
                job.id(), job.name(), job.lane(), bound, job.attempt(), TraceHeaders.decode(job.traceContext()));
        Observation observation = Observation.createNotStarted(RUN, () -> context, registry)
                .contextualName(names.run())
                .lowCardinalityKeyValues(names.runKeys(job.attempt()))
                .highCardinalityKeyValue("taskbound.job.id", job.id().toString())
                .start();
        return new ObservedRun(registry, observation);
    }

    /**
     * The names and keys of the observations of job {@code name} on {@code lane}: made once per
     * registered name (as long as its lane stays the same), at each observation for any other.
     */
    private Names names(String name, String lane, @Nullable Bound bound) {
        Names known = names.get(name);
        if (known != null && known.lane().equals(lane)) {
            return known;
        }
        Names made = new Names(
                lane,
                "enqueue " + name,
                "run " + name,
                KeyValues.of(
                        "taskbound.job",
                        catalog.tag(name),
                        "taskbound.lane",
                        lane,
                        "taskbound.bound",
                        bound == null ? "unknown" : bound.name().toLowerCase(Locale.ROOT)));
        // Only registered names: others come from the store, as many as it holds.
        if (catalog.find(name) != null) {
            names.put(name, made);
        }
        return made;
    }

    private record Names(String lane, String enqueue, String run, KeyValues keys, KeyValues firstRunKeys) {

        Names(String lane, String enqueue, String run, KeyValues keys) {
            this(lane, enqueue, run, keys, keys.and(ATTEMPT, "1"));
        }

        /** The keys of a run of {@code attempt}: made once for the first, which most runs are. */
        KeyValues runKeys(int attempt) {
            return attempt == 1 ? firstRunKeys : keys.and(ATTEMPT, Integer.toString(attempt));
        }
    }

    private record ObservedRun(ObservationRegistry registry, Observation observation) implements Run {

        @Override
        public Scope openScope() {
            Runnable closeScope = Guard.openScope(registry, observation, "a run");
            if (closeScope == null) {
                return Scope.NONE;
            }
            return closeScope::run;
        }

        @Override
        public void ended(@Nullable Completion completion) {
            try {
                RunOutcome outcome = completion == null ? null : RunOutcome.of(completion.state(), completion.error());
                observation.lowCardinalityKeyValue("outcome", outcome == null ? ABANDONED : outcome.tag());
                if (outcome == RunOutcome.FAILED_WILL_RETRY
                        || outcome == RunOutcome.TIMED_OUT
                        || outcome == RunOutcome.DEAD) {
                    observation.error(new RunFailure(completion.error()));
                }
            } finally {
                observation.stop();
            }
        }
    }

    /** A run's failure as the store has it: its text, without the stack trace of where it was thrown. */
    static final class RunFailure extends RuntimeException {
        RunFailure(String error) {
            super(error, null, false, false);
        }
    }
}
