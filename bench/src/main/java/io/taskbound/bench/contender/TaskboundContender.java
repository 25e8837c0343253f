package io.taskbound.bench.contender;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobRequest;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.bench.AppLane;
import io.taskbound.bench.Contender;
import io.taskbound.bench.CronProbe;
import io.taskbound.bench.Fault;
import io.taskbound.bench.JobKind;
import io.taskbound.bench.Probe;
import io.taskbound.bench.QueriesBench;
import io.taskbound.bench.Scenario;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.process.ProcessSettings;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.StandalonePersistence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * Taskbound as a user would run it: default settings, jobs declared with their bound types. As
 * {@value #WITH_METRICS}, the same with Micrometer metrics bound to its engine, and as {@value
 * #TRACED} with observations and traces of every enqueue and run too, for what they cost.
 */
public final class TaskboundContender implements Contender {

    /** The contender with Micrometer metrics: throughput and latency only, beside plain Taskbound. */
    public static final String WITH_METRICS = "taskbound-metrics";

    /**
     * The contender with metrics and observations whose one handler does nothing: throughput and
     * latency only, beside plain Taskbound.
     */
    public static final String OBSERVED = "taskbound-observed";

    /**
     * The contender with metrics, observations and traces, one in ten sampled: throughput and latency
     * only, beside plain Taskbound.
     */
    public static final String TRACED = "taskbound-traced";

    /** The same with every trace sampled. */
    public static final String TRACED_ALL = "taskbound-traced-all";

    /** The benchmark's jobs, each declared with the bound type that describes it. */
    public static class BenchJobs {
        @Job(name = "bench.noop")
        public void noop(int index) throws InterruptedException {
            Probe.run(JobKind.NOOP, index);
        }

        // Ten thousand simultaneous one-second waits: the concurrency-bound case, whose lane allows
        // 10,000 at once per node (the io lane allows 1,000).
        @Job(name = "bench.sleep", bound = Bound.CONCURRENCY)
        public void sleep(int index) throws InterruptedException {
            Probe.run(JobKind.SLEEP_1S, index);
        }

        @Job(name = "bench.cpu", bound = Bound.CPU)
        public void cpu(int index) throws InterruptedException {
            Probe.run(JobKind.CPU_50MS, index);
        }

        // The soak's stream: the same no-op job as the throughput scenario's, on the same lane.
        @Job(name = "bench.soak")
        public void soak(int index) throws InterruptedException {
            Probe.run(JobKind.SOAK, index);
        }

        // The faults scenario's job: records its effect, then waits 2 s; a default @Job (bound IO).
        @Job(name = "bench.effect")
        public void effect(int index) throws InterruptedException {
            Probe.run(JobKind.EFFECT, index);
        }

        @Job(name = "bench.probe", bound = Bound.LATENCY)
        public void probe(int index) throws InterruptedException {
            Probe.run(JobKind.LATENCY_PROBE, index);
        }

        // The memory scenario's ordinary jobs: a default @Job (bound IO), off the memory lane.
        @Job(name = "bench.ordinary")
        public void ordinary(int index) throws InterruptedException {
            Probe.run(JobKind.ORDINARY, index);
        }

        // The memory-bound jobs of the process-lane scenarios, on the memory lane, whose executor the
        // scenario sets: process (worker JVMs) or platform (in the application, its default).
        @Job(name = "bench.memory.runaway", bound = Bound.MEMORY)
        public void runaway(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_RUNAWAY, index);
        }

        @Job(name = "bench.memory.halt", bound = Bound.MEMORY)
        public void halt(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_HALT, index);
        }

        @Job(name = "bench.memory.hold", bound = Bound.MEMORY)
        public void hold(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_HOLD, index);
        }

        @Job(name = "bench.memory.churn", bound = Bound.MEMORY)
        public void churn(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_CHURN, index);
        }

        @Job(name = "bench.memory.noop", bound = Bound.MEMORY)
        public void memoryNoop(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_NOOP, index);
        }
    }

    /** The cron scenario's job: what a user would declare, with the default bound. */
    public static class CronJobs {
        @Job(name = "bench.cron")
        public void fire(JobContext context) throws Exception {
            long started = System.currentTimeMillis();
            CronProbe.fired(context.fireTime().orElse(null), started);
        }
    }

    /** The cron scenario's schedule id. */
    static final String CRON_SCHEDULE = "bench-cron";

    private static final int BULK_CHUNK = 10_000;

    private final Observability.Level observed;
    private BiFunction<String, ProcessSettings, ProcessSettings> processWorkers = (lane, defaults) -> defaults;
    private StandalonePersistence persistence;
    private TaskboundEngine engine;
    private Jobs jobs;
    private Observability observability;

    public TaskboundContender() {
        this(Observability.Level.NONE);
    }

    private TaskboundContender(Observability.Level observed) {
        this.observed = observed;
    }

    /** The {@value #WITH_METRICS} contender. */
    public static TaskboundContender withMetrics() {
        return new TaskboundContender(Observability.Level.METRICS);
    }

    /** The {@value #OBSERVED} contender. */
    public static TaskboundContender observed() {
        return new TaskboundContender(Observability.Level.OBSERVED);
    }

    /** The {@value #TRACED} contender, or with every trace sampled {@value #TRACED_ALL}. */
    public static TaskboundContender traced(boolean everyTrace) {
        return new TaskboundContender(everyTrace ? Observability.Level.TRACED_ALL : Observability.Level.TRACED);
    }

    @Override
    public String name() {
        return switch (observed) {
            case NONE -> "taskbound";
            case METRICS -> WITH_METRICS;
            case OBSERVED -> OBSERVED;
            case TRACED -> TRACED;
            case TRACED_ALL -> TRACED_ALL;
        };
    }

    @Override
    public String settings() {
        return Observability.describe(observed) + plainSettings();
    }

    private static String plainSettings() {
        return "defaults (poll 1 s with LISTEN/NOTIFY; lanes io 1,000 virtual threads, cpu = cores, latency 256);"
                + " jobs declared with their bound: no-op IO, 1 s waits CONCURRENCY (10,000 per node), CPU, LATENCY; bulk enqueue with jobs.enqueueAll, 10,000 per statement."
                + " Cron: jobs.recurring(\"" + CRON_SCHEDULE + "\").cron(\"* * * * * *\").call(CronJobs::fire), created"
                + " once through the API from node 0 with the schedule defaults (misfire FIRE_ONCE, overlap SKIP, no"
                + " jitter; scheduling poll = the 1 s poll interval, but each node's firer sleeps until the next fire"
                + " time by the database's clock); every node fires it, racing for the schedule's row, no leader;"
                + " the job is a default @Job (bound IO) and reads its fire time from JobContext.fireTime()."
                + " Soak: the defaults but succeeded jobs kept " + Scenario.SOAK_RETENTION.toSeconds() + " s"
                + " (default 1 day) and the pruner every " + Scenario.SOAK_PRUNE_INTERVAL.toSeconds() + " s"
                + " (default 1 min); it deletes up to 1,000 finished jobs per statement, again at once while"
                + " batches come back full; the job is a default @Job (bound IO) like the no-op job."
                + " Idle: the defaults, a node that has registered every bench job and runs none."
                + " Faults: the defaults, whose dead-node timeout is the scenario's target: heartbeat every "
                + TaskboundSettings.DEFAULT_HEARTBEAT_INTERVAL.toSeconds() + " s, a node dead after "
                + TaskboundSettings.DEFAULT_DEAD_NODE_TIMEOUT.toSeconds() + " s without one, when every other"
                + " node's dead-node sweep gives its running jobs back to the queue (attempt lost, retried at"
                + " once); the job is a default @Job (bound IO, io lane of 1,000 virtual threads, so at these"
                + " sizes nothing waits claimed ahead); enqueueOnce is jobs.schedule(...).uniqueKey(\"bench-effect-"
                + "<index>\").enqueue(), which returns the stored job instead of a second one while the first is"
                + " queued, retrying or running."
                + " Queries: the defaults but succeeded jobs kept " + (QueriesBench.DAYS + 1) + " days (default 1"
                + " day), so that none of the store's " + QueriesBench.DAYS + " days is pruned while measured; the"
                + " engine started with every lane paused (jobs.lanes().pause) so that no job changes state; calls"
                + " through jobs.queries(), on the worker's Hikari pool of 20 connections as in every scenario."
                + " Api: the queries store, served by a Spring Boot web application in the worker JVM with"
                + " taskbound-spring-boot-starter and spring-boot-starter-webmvc (embedded Tomcat), its defaults"
                + " (Hikari pool of 10, open-in-view on) but a random port, HTTP Basic"
                + " (taskbound.dashboard.username/password) and succeeded jobs kept " + (QueriesBench.DAYS + 1)
                + " days; its engine is the node that serves, with every lane paused; calls through"
                + " java.net.http.HttpClient."
                + " Memory and gc-isolation: the defaults in an application JVM of -Xmx512m, the memory-bound jobs"
                + " @Job(bound = MEMORY) on the memory lane (concurrency 1, 5 attempts, backoff from 1 s), its"
                + " executor set to process (worker JVMs: 1 worker of -Xmx" + AppLane.WORKER_HEAP + ", started at"
                + " the lane's first job in memory, with the lane in gc-isolation, the defaults otherwise, through TaskboundEngine.Builder.processWorkers) or,"
                + " for gc-isolation's in-app case, platform (its default until now: 1 thread in the application);"
                + " the ordinary jobs are a default @Job (bound IO, io lane of virtual threads)."
                + " Process-overhead: see the scenario";
    }

    /**
     * Every scenario, idle included: its goal is Taskbound's own. With metrics, throughput and
     * latency only, which the metrics must not slow.
     */
    @Override
    public Optional<String> notAvailable(Scenario scenario) {
        if (scenario == Scenario.THROUGHPUT_WARM) {
            return Optional.empty();
        }
        if (observed != Observability.Level.NONE && scenario != Scenario.THROUGHPUT && scenario != Scenario.LATENCY) {
            return Optional.of(METRICS_ONLY);
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> notAvailable(Fault fault) {
        return observed != Observability.Level.NONE ? Optional.of(METRICS_ONLY) : Optional.empty();
    }

    private static final String METRICS_ONLY =
            "the metrics and traced variants measure what they cost in throughput and latency only";

    @Override
    public List<String> jobTables() {
        return List.of("taskbound_job", "taskbound_job_attempt", "taskbound_job_log");
    }

    @Override
    public void prepare(DataSource dataSource) {
        build(dataSource, false, TaskboundSettings.defaults());
    }

    @Override
    public void prepareSoak(DataSource dataSource) {
        build(dataSource, false, soakSettings());
    }

    @Override
    public void prepareQueries(DataSource dataSource) {
        build(dataSource, false, queriesSettings());
    }

    /** The API this node offers, for the queries scenario's calls of its read side. */
    public Jobs jobs() {
        return jobs;
    }

    /** The defaults with a short retention of succeeded jobs and a short pruning period. */
    private static TaskboundSettings soakSettings() {
        return withSucceededRetention(Scenario.SOAK_RETENTION, Scenario.SOAK_PRUNE_INTERVAL);
    }

    /**
     * The defaults, but succeeded jobs kept a day longer than the queries store spans (default 1
     * day): nothing of the store is pruned while it is measured. Dead (30 days) and cancelled (7
     * days) jobs keep their defaults, which the store's span is within.
     */
    private static TaskboundSettings queriesSettings() {
        return withSucceededRetention(
                Duration.ofDays(QueriesBench.DAYS + 1),
                TaskboundSettings.defaults().pruneInterval());
    }

    private static TaskboundSettings withSucceededRetention(Duration succeeded, Duration pruneInterval) {
        TaskboundSettings defaults = TaskboundSettings.defaults();
        Map<JobState, Duration> retention = new EnumMap<>(defaults.retention());
        retention.put(JobState.SUCCEEDED, succeeded);
        return new TaskboundSettings(
                defaults.nodeName(),
                defaults.pollInterval(),
                defaults.pollOnly(),
                defaults.heartbeatInterval(),
                defaults.deadNodeTimeout(),
                defaults.shutdownTimeout(),
                defaults.completionBatchSize(),
                defaults.completionWriters(),
                defaults.lanes(),
                defaults.routes(),
                retention,
                pruneInterval,
                defaults.misfireThreshold(),
                defaults.networkTimeout(),
                defaults.figuresInterval());
    }

    /**
     * The defaults, with the memory lane on {@code lane}'s executor and, on the process executor,
     * its workers' heap the scenario's 256 MB budget and the JVM options the application passes
     * (the database its jobs record in), started with the lane if {@code lane} says so; everything
     * else about the workers is the default (1 worker, the lane's concurrency; no class-data cache).
     */
    @Override
    public void prepareApp(DataSource dataSource, AppLane lane) {
        TaskboundSettings defaults = TaskboundSettings.defaults();
        LaneSettings memory = defaults.lane(Bound.MEMORY.defaultLane());
        LaneSettings onExecutor = new LaneSettings(
                lane.executor(),
                memory.concurrency(),
                memory.priority(),
                memory.batchSize(),
                memory.timeout(),
                memory.maxAttempts(),
                memory.initialBackoff(),
                memory.maxBackoff());
        processWorkers =
                (name, workers) -> workers.withHeap(AppLane.WORKER_HEAP).withJvmOptions(lane.workerJvmOptions());
        build(dataSource, false, defaults.withLane(Bound.MEMORY.defaultLane(), onExecutor));
    }

    /** The job's state, its attempts, and the error the store keeps of its last failed attempt. */
    @Override
    public String jobOutcome(DataSource dataSource, JobKind kind) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select state, attempt, max_attempts, error from taskbound_job where name = ?")) {
            select.setString(1, jobName(kind));
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return "no job stored";
                }
                String error = rows.getString(4);
                return rows.getString(1) + " after attempt " + rows.getInt(2) + " of " + rows.getInt(3)
                        + (error == null ? "; no error stored" : "; error: " + error);
            }
        }
    }

    private static String jobName(JobKind kind) {
        return switch (kind) {
            case MEMORY_RUNAWAY -> "bench.memory.runaway";
            case MEMORY_HALT -> "bench.memory.halt";
            case MEMORY_HOLD -> "bench.memory.hold";
            case MEMORY_CHURN -> "bench.memory.churn";
            default -> "bench." + kind.name().toLowerCase(Locale.ROOT);
        };
    }

    private void build(DataSource dataSource, boolean cron, TaskboundSettings settings) {
        persistence = StandalonePersistence.open(dataSource);
        JobRegistry registry = new JobRegistry(settings);
        registry.register(new BenchJobs(), BenchJobs.class);
        if (cron) {
            registry.register(new CronJobs(), CronJobs.class);
        }
        TaskboundEngine.Builder builder = TaskboundEngine.builder()
                .registry(registry)
                .dataSource(dataSource)
                .entityManagerFactory(persistence.entityManagerFactory())
                .transactionManager(persistence.transactionManager())
                .processWorkers(processWorkers);
        observability = new Observability(observed);
        observability.configure(builder, registry);
        engine = builder.build();
        observability.started(engine);
        jobs = engine.jobs();
    }

    @Override
    public void prepareCron(DataSource dataSource, boolean createSchedule) {
        build(dataSource, true, TaskboundSettings.defaults());
        if (createSchedule) {
            jobs.recurring(CRON_SCHEDULE).cron("* * * * * *").call(CronJobs::fire);
        }
    }

    @Override
    public void start() {
        engine.start();
    }

    @Override
    public void holdJobs(boolean held) {
        for (TaskboundEngine.LaneStatus lane : engine.lanes()) {
            if (held) {
                jobs.lanes().pause(lane.name());
            } else {
                jobs.lanes().resume(lane.name());
            }
        }
    }

    @Override
    public void enqueueBulk(JobKind kind, int from, int count) {
        for (int chunk = from; chunk < from + count; chunk += BULK_CHUNK) {
            List<JobRequest<Void>> requests = new ArrayList<>(BULK_CHUNK);
            for (int i = chunk; i < Math.min(from + count, chunk + BULK_CHUNK); i++) {
                requests.add(request(kind, i));
            }
            jobs.enqueueAll(requests);
        }
    }

    private JobRequest<Void> request(JobKind kind, int index) {
        return switch (kind) {
            case NOOP -> jobs.schedule(BenchJobs::noop, index);
            case SLEEP_1S -> jobs.schedule(BenchJobs::sleep, index);
            case CPU_50MS -> jobs.schedule(BenchJobs::cpu, index);
            case LATENCY_PROBE -> jobs.schedule(BenchJobs::probe, index);
            case SOAK -> jobs.schedule(BenchJobs::soak, index);
            case EFFECT -> jobs.schedule(BenchJobs::effect, index);
            case ORDINARY -> jobs.schedule(BenchJobs::ordinary, index);
            case MEMORY_RUNAWAY -> jobs.schedule(BenchJobs::runaway, index);
            case MEMORY_HALT -> jobs.schedule(BenchJobs::halt, index);
            case MEMORY_HOLD -> jobs.schedule(BenchJobs::hold, index);
            case MEMORY_CHURN -> jobs.schedule(BenchJobs::churn, index);
            case MEMORY_NOOP -> jobs.schedule(BenchJobs::memoryNoop, index);
        };
    }

    @Override
    public void enqueue(JobKind kind, int index) {
        switch (kind) {
            case NOOP -> jobs.enqueue(BenchJobs::noop, index);
            case SLEEP_1S -> jobs.enqueue(BenchJobs::sleep, index);
            case CPU_50MS -> jobs.enqueue(BenchJobs::cpu, index);
            case LATENCY_PROBE -> jobs.enqueue(BenchJobs::probe, index);
            case SOAK -> jobs.enqueue(BenchJobs::soak, index);
            case EFFECT -> jobs.enqueue(BenchJobs::effect, index);
            default -> request(kind, index).enqueue();
        }
    }

    /** With a unique key per index: a retry returns the job a first call stored instead of a second one. */
    @Override
    public void enqueueOnce(JobKind kind, int index) {
        request(kind, index)
                .uniqueKey("bench-" + kind.name().toLowerCase(Locale.ROOT) + "-" + index)
                .enqueue();
    }

    @Override
    public long finishedInStore(DataSource dataSource, long enqueued) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("select count(*) from taskbound_job where state = 'SUCCEEDED'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.stop();
        }
        if (observability != null) {
            observability.close();
        }
        if (persistence != null) {
            persistence.close();
        }
    }
}
