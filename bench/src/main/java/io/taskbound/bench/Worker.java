package io.taskbound.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.bench.contender.TaskboundContender;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * One worker JVM: runs scenarios for one contender, each on its own fresh database, and prints one
 * {@code RESULT} line per figure. In the scale scenario several workers share one database; node 0
 * enqueues and measures, the others only work.
 */
public final class Worker {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Cron: fire times are counted from this long after every node started, past start-up effects. */
    static final Duration CRON_SETTLE = Duration.ofSeconds(5);

    /** Cron: how long after the end a run may still start and count; one not started by then is missed. */
    static final Duration CRON_GRACE = Duration.ofSeconds(3);

    /**
     * Soak: one bulk enqueue per tick. Thousands of jobs a second cannot be one transaction each
     * (a durable commit per job caps any PostgreSQL queue near 1,700 jobs/s here), so the stream is
     * a small batch every 10 ms, which is also how an application feeding a queue that fast would
     * have to do it.
     */
    static final Duration SOAK_TICK = Duration.ofMillis(10);

    /** Soak: how long after the stream's end the jobs of its last minute may still start. */
    static final Duration SOAK_DRAIN = Duration.ofSeconds(60);

    /**
     * Soak: each contender's throughput scenario in the committed full run (bench/results, 2 runs,
     * medians), for runs where its throughput was not measured first in the same worker. A quick
     * run always uses these: its 1,000-job throughput is dominated by start-up and polls.
     */
    static final Map<String, Double> SOAK_REFERENCE_JOBS_PER_S =
            Map.of("taskbound", 30_199.0, "jobrunr", 2_772.0, "db-scheduler", 9_356.0, "raw-floor", 68_719.0);

    private final String contenderName;
    private final boolean quick;
    private final Duration cap;
    /** No-op jobs run before a measurement; none in a quick run, where each costs JobRunr a poll. */
    private final int warmUpJobs;
    /** The throughput scenario's figure, when it ran in this worker (a full run only); the soak streams at half. */
    private @Nullable Double throughputJobsPerS;

    private Worker(String contenderName, boolean quick) {
        this.contenderName = contenderName;
        this.quick = quick;
        this.cap = quick ? Duration.ofSeconds(60) : Duration.ofMinutes(10);
        this.warmUpJobs = quick ? 0 : 20;
    }

    /**
     * {@code worker <contender> <quick> <node> <nodes> <task>=<jdbc-url>...}: each task is a
     * single-node scenario id (run only with one node), a part of the scale scenario,
     * {@code scale-throughput} or {@code scale-io-fanout}, {@code cron}, or {@code faults}; all
     * nodes run those last ones together.
     */
    public static void main(String[] args) throws Exception {
        Worker worker = new Worker(args[0], Boolean.parseBoolean(args[1]));
        int node = Integer.parseInt(args[2]);
        int nodes = Integer.parseInt(args[3]);
        for (int i = 4; i < args.length; i++) {
            String[] taskAndUrl = args[i].split("=", 2);
            String task = taskAndUrl[0];
            if (task.startsWith("scale-")) {
                worker.scale(task.substring("scale-".length()), taskAndUrl[1], node, nodes);
                continue;
            }
            if (task.equals(Scenario.CRON.id())) {
                worker.cron(taskAndUrl[1], node, nodes);
                continue;
            }
            if (task.equals(Scenario.FAULTS.id())) {
                worker.faults(taskAndUrl[1], node);
                continue;
            }
            Scenario scenario = Scenario.byId(task);
            try {
                worker.single(scenario, taskAndUrl[1]);
            } catch (Exception e) {
                // One scenario that fails or overruns its cap must not cost the others' figures.
                e.printStackTrace();
                worker.failed(scenario.id(), e);
            }
        }
        System.exit(0);
    }

    private void single(Scenario scenario, String url) throws Exception {
        Probe.reset();
        if (scenario == Scenario.IDLE) {
            // Before the pool opens its connections: the server counts the sessions opened after.
            IdleProbe.track(url);
        }
        try (HikariDataSource dataSource = dataSource(url);
                Contender contender = Contenders.create(contenderName)) {
            if (scenario == Scenario.CPU) {
                Probe.calibrate(Duration.ofMillis(50));
            }
            if (scenario == Scenario.SOAK) {
                contender.prepareSoak(dataSource);
            } else if (scenario == Scenario.QUERIES || scenario == Scenario.API) {
                // The contender's statements can be captured, to be explained on the store.
                contender.prepareQueries(StatementCapture.wrap(dataSource));
            } else {
                contender.prepare(dataSource);
            }
            switch (scenario) {
                case THROUGHPUT -> throughput(contender, dataSource, scenario.size(quick));
                case THROUGHPUT_WARM -> throughputWarm(contender, dataSource, scenario.size(quick));
                case LATENCY -> latency(contender, scenario.size(quick));
                case IO_FANOUT -> ioFanout(contender, dataSource, scenario.size(quick));
                case CPU -> cpu(contender, scenario.size(quick));
                case ISOLATION -> isolation(contender, scenario.size(quick));
                case SOAK -> soak(contender, dataSource, scenario.size(quick));
                case QUERIES -> queries(contender, dataSource, scenario.size(quick));
                case API -> api(contender, dataSource, scenario.size(quick));
                case IDLE -> idle(contender, dataSource, scenario.size(quick));
                default -> throw new IllegalArgumentException(scenario.id() + " is not a single-node scenario");
            }
        }
    }

    private void throughput(Contender contender, HikariDataSource dataSource, int jobs) throws Exception {
        contender.enqueueBulk(JobKind.NOOP, 0, jobs);
        long start = System.nanoTime();
        long cpuAtStart = processCpuNanos();
        contender.start();
        awaitFinished(() -> Probe.finished(JobKind.NOOP), jobs, start);
        // Drained means stored as finished, not only run: wait for the last completions to land.
        long elapsed = awaitFinished(() -> finishedInStore(contender, dataSource, jobs), jobs, start);
        long cpu = processCpuNanos() - cpuAtStart;
        throughputJobsPerS = quick ? null : jobs / seconds(elapsed);
        emit(contender, Scenario.THROUGHPUT, "jobs_per_s", jobs / seconds(elapsed), null);
        emit(contender, Scenario.THROUGHPUT, APP_CPU_PER_JOB, cpu / 1e3 / jobs, null);
    }

    // The same drain, measured once the engine has drained as many jobs before: the JIT is done.
    private void throughputWarm(Contender contender, HikariDataSource dataSource, int jobs) throws Exception {
        contender.enqueueBulk(JobKind.NOOP, 0, jobs);
        long warmUp = System.nanoTime();
        contender.start();
        awaitFinished(() -> Probe.finished(JobKind.NOOP), jobs, warmUp);
        awaitFinished(() -> finishedInStore(contender, dataSource, jobs), jobs, warmUp);
        contender.holdJobs(true);
        contender.enqueueBulk(JobKind.NOOP, jobs, jobs);
        long start = System.nanoTime();
        long cpuAtStart = processCpuNanos();
        contender.holdJobs(false);
        awaitFinished(() -> Probe.finished(JobKind.NOOP), 2L * jobs, start);
        long elapsed = awaitFinished(() -> finishedInStore(contender, dataSource, 2L * jobs), 2L * jobs, start);
        long cpu = processCpuNanos() - cpuAtStart;
        emit(contender, Scenario.THROUGHPUT_WARM, "jobs_per_s", jobs / seconds(elapsed), null);
        emit(contender, Scenario.THROUGHPUT_WARM, APP_CPU_PER_JOB, cpu / 1e3 / jobs, null);
    }

    /**
     * The CPU time the worker JVM spent over a drain per job drained, in microseconds: every thread of
     * the application's JVM (the library's, the JIT's, the collector's, and the bench's own polling,
     * alike for every contender), none of the database's. On a machine the database shares, what a
     * variant costs the application shows here apart from how the two divide the cores.
     */
    static final String APP_CPU_PER_JOB = "app_cpu_us_per_job";

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private void latency(Contender contender, int seconds) throws Exception {
        contender.start();
        warmUp(contender);
        double[] latencies = stream(contender, 100, seconds, 1_000);
        emit(contender, Scenario.LATENCY, "latency_p50_ms", percentile(latencies, 50), null);
        emit(contender, Scenario.LATENCY, "latency_p99_ms", percentile(latencies, 99), null);
    }

    /**
     * Starts the contender with nothing to do, leaves it {@link Scenario#IDLE_SETTLE}, then counts the
     * statements its database receives for {@code seconds}. Set {@code BENCH_IDLE_DUMP=dir} to get
     * them by statement as CSV.
     */
    private void idle(Contender contender, HikariDataSource dataSource, int seconds) throws Exception {
        contender.start();
        warmUp(contender);
        Thread.sleep(Scenario.IDLE_SETTLE.toMillis());
        Map<String, Long> before = IdleProbe.statements(dataSource);
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        Map<String, Long> after = IdleProbe.statements(dataSource);
        long elapsed = System.nanoTime() - start;
        Map<String, Long> sent = IdleProbe.between(before, after);
        long statements = sent.values().stream().mapToLong(Long::longValue).sum();
        String dump = System.getenv("BENCH_IDLE_DUMP");
        if (dump != null && !dump.isBlank()) {
            IdleProbe.dump(sent, Path.of(dump, "idle-" + contenderName + "-" + System.currentTimeMillis() + ".csv"));
        }
        emit(contender, Scenario.IDLE, "idle_statements_per_s", statements / seconds(elapsed), null);
    }

    private void ioFanout(Contender contender, HikariDataSource dataSource, int jobs) throws Exception {
        contender.start();
        warmUp(contender);
        long start = System.nanoTime();
        contender.enqueueBulk(JobKind.SLEEP_1S, 0, jobs);
        awaitFinished(() -> Probe.finished(JobKind.SLEEP_1S), jobs, start);
        long elapsed = awaitFinished(
                () -> finishedInStore(contender, dataSource, jobs + warmUpJobs), jobs + warmUpJobs, start);
        emit(contender, Scenario.IO_FANOUT, "wall_s", seconds(elapsed), null);
    }

    private void cpu(Contender contender, int jobs) throws Exception {
        contender.start();
        warmUp(contender);
        long start = System.nanoTime();
        contender.enqueueBulk(JobKind.CPU_50MS, 0, jobs);
        long elapsed = awaitFinished(() -> Probe.finished(JobKind.CPU_50MS), jobs, start);
        double ideal = jobs * 0.050 / CORES;
        emit(contender, Scenario.CPU, "efficiency", ideal / seconds(elapsed), null);
        emit(contender, Scenario.CPU, "wall_s", seconds(elapsed), null);
    }

    private void isolation(Contender contender, int seconds) throws Exception {
        contender.start();
        warmUp(contender);
        double idleP99 = percentile(stream(contender, 50, seconds, 10_000), 99);
        // Enough CPU jobs to keep every core busy for the whole loaded stream and then some.
        int load = (int) Math.ceil(CORES * (seconds + 2) / 0.050);
        contender.enqueueBulk(JobKind.CPU_50MS, 0, load);
        awaitFinished(() -> Probe.finished(JobKind.CPU_50MS), Math.min(load, CORES * 4L), System.nanoTime());
        double loadedP99 = percentile(stream(contender, 50, seconds, 20_000), 99);
        emit(contender, Scenario.ISOLATION, "p99_ratio", loadedP99 / idleP99, null);
        emit(contender, Scenario.ISOLATION, "latency_p99_ms", loadedP99, null);
    }

    private void soak(Contender contender, HikariDataSource dataSource, int minutes) throws Exception {
        double throughput =
                throughputJobsPerS != null ? throughputJobsPerS : SOAK_REFERENCE_JOBS_PER_S.get(contender.name());
        int perTick = (int) Math.max(1, Math.round(throughput / 2 * SOAK_TICK.toNanos() / 1e9));
        int ticksPerMinute = (int) (Duration.ofMinutes(1).toNanos() / SOAK_TICK.toNanos());
        contender.start();
        warmUp(contender);
        SoakProbe.Recording recording = SoakProbe.begin(perTick, ticksPerMinute, minutes);
        try {
            double[] tableMb = soakStream(contender, dataSource, recording, ticksPerMinute);
            long enqueuedFor = System.nanoTime() - recording.startNanos();
            Scenario soak = Scenario.SOAK;
            emit(contender, soak, "target_jobs_per_s", perTick * 1e9 / SOAK_TICK.toNanos(), null);
            double enqueued = (double) recording.batches() * perTick;
            emit(contender, soak, "enqueued_jobs_per_s", enqueued / seconds(enqueuedFor), null);
            emit(contender, soak, "table_mb_first_minute", tableMb[0], null);
            emit(contender, soak, "table_mb_end", tableMb[1], null);
            // Both minutes' windows are over: the stream ran to its planned end.
            emit(contender, soak, "jobs_per_s_first_minute", recording.jobsPerSecond(0), null);
            emit(contender, soak, "jobs_per_s_last_minute", recording.jobsPerSecond(minutes - 1), null);
            long deadline = System.nanoTime() + SOAK_DRAIN.toNanos();
            double[] first = recording.latenciesMillis(false, deadline);
            emit(contender, soak, "latency_p99_ms_first_minute", percentile(first, 99), null);
            double[] last = recording.latenciesMillis(true, deadline);
            emit(contender, soak, "latency_p99_ms_last_minute", percentile(last, 99), null);
        } finally {
            SoakProbe.end();
        }
    }

    /** The queries scenario: Taskbound's read side over a store of {@code jobs} jobs; see {@link QueriesBench}. */
    private void queries(Contender contender, HikariDataSource dataSource, int jobs) throws Exception {
        if (!(contender instanceof TaskboundContender taskbound)) {
            throw new IllegalStateException(contender.name() + " has no queries scenario");
        }
        new QueriesBench(dataSource, taskbound.jobs(), jobs, quick, queriesOutput(contender, Scenario.QUERIES))
                .run(() -> {
                    contender.start();
                    return null;
                });
    }

    /**
     * The api scenario: the queries scenario's store, served by a web application with the starter
     * in this JVM, timed over HTTP; see {@link ApiBench}. The contender's own engine made the schema
     * and pauses the lanes but is never started: the application's is the node that serves.
     */
    private void api(Contender contender, HikariDataSource dataSource, int jobs) throws Exception {
        if (!(contender instanceof TaskboundContender taskbound)) {
            throw new IllegalStateException(contender.name() + " has no api scenario");
        }
        QueriesBench.Output output = queriesOutput(contender, Scenario.API);
        ApiBench api = new ApiBench(dataSource, jobs, quick, output);
        AtomicReference<@Nullable ConfigurableApplicationContext> application = new AtomicReference<>();
        try {
            new QueriesBench(dataSource, taskbound.jobs(), jobs, quick, output)
                    .run(
                            () -> {
                                long start = System.nanoTime();
                                application.set(api.start(dataSource.getJdbcUrl()));
                                output.metric("application_start_s", seconds(System.nanoTime() - start));
                                return null;
                            },
                            api::measure);
        } finally {
            ConfigurableApplicationContext started = application.get();
            if (started != null) {
                started.close();
            }
        }
    }

    private QueriesBench.Output queriesOutput(Contender contender, Scenario scenario) {
        return new QueriesBench.Output() {
            @Override
            public void metric(String metric, double value) {
                emit(contender, scenario, metric, value, null);
            }

            @Override
            public void plan(String call, String text) {
                System.out.println(
                        Plan.PREFIX + JSON.writeValueAsString(new Plan(scenario.id(), contender.name(), call, text)));
                System.out.flush();
            }

            @Override
            public void log(String line) {
                System.out.println(Plan.NOTE_PREFIX + line);
                System.out.flush();
            }
        };
    }

    /**
     * Enqueues the soak's batches on a fixed schedule, one per tick (a batch whose time has passed
     * goes at once, so a slow enqueue shortens the pauses; only enqueues that cannot keep up at all
     * make the stream run past its planned end), and returns the size of the contender's job tables
     * after the first minute and at the end of the stream, in MB.
     */
    private static double[] soakStream(
            Contender contender, DataSource dataSource, SoakProbe.Recording recording, int ticksPerMinute)
            throws Exception {
        double[] tableMb = new double[2];
        int perBatch = recording.perBatch();
        long tick = SOAK_TICK.toNanos();
        long start = System.nanoTime();
        recording.start(start);
        for (int batch = 0; batch <= recording.batches(); batch++) {
            long wait = start + batch * tick - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (batch == ticksPerMinute) {
                tableMb[0] = SoakProbe.tableMegabytes(dataSource, contender.jobTables());
            }
            if (batch == recording.batches()) {
                break;
            }
            recording.enqueuing(batch);
            contender.enqueueBulk(JobKind.SOAK, batch * perBatch, perBatch);
        }
        tableMb[1] = SoakProbe.tableMegabytes(dataSource, contender.jobTables());
        return tableMb;
    }

    private void warmUp(Contender contender) throws Exception {
        long before = Probe.finished(JobKind.NOOP);
        for (int i = 0; i < warmUpJobs; i++) {
            contender.enqueue(JobKind.NOOP, 60_000 + i);
        }
        awaitFinished(() -> Probe.finished(JobKind.NOOP) - before, warmUpJobs, System.nanoTime());
    }

    /** Enqueues latency probes one at a time at {@code perSecond}, and returns their latencies in ms. */
    private double[] stream(Contender contender, int perSecond, int seconds, int firstIndex) throws Exception {
        int count = perSecond * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Probe.enqueuing(firstIndex + i);
            contender.enqueue(JobKind.LATENCY_PROBE, firstIndex + i);
        }
        long deadline = System.nanoTime() + cap.toNanos();
        double[] latencies = new double[count];
        for (int i = 0; i < count; i++) {
            long latency;
            while ((latency = Probe.latencyNanos(firstIndex + i)) < 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(contenderName + ": probe " + i + " never started within " + cap);
                }
                Thread.sleep(1);
            }
            latencies[i] = latency / 1e6;
        }
        return latencies;
    }

    private void failed(String scenario, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        System.out.println(Failure.PREFIX + JSON.writeValueAsString(new Failure(scenario, contenderName, reason)));
        System.out.flush();
    }

    private void scale(String part, String url, int node, int nodes) throws Exception {
        Probe.reset();
        try (HikariDataSource dataSource = dataSource(url);
                Contender contender = Contenders.create(contenderName)) {
            scale(contender, dataSource, part, node, nodes);
        } catch (Exception e) {
            if (node == 0) {
                failed("scale", e);
            }
            throw e;
        }
    }

    private void scale(Contender contender, HikariDataSource dataSource, String part, int node, int nodes)
            throws Exception {
        Barrier barrier = new Barrier(dataSource, node, nodes);
        boolean throughput = part.equals("throughput");
        int jobs = throughput ? Scenario.THROUGHPUT.size(quick) : Scenario.IO_FANOUT.size(quick);
        JobKind kind = throughput ? JobKind.NOOP : JobKind.SLEEP_1S;
        // Node 0 creates the schema first; the others prepare their clients on it afterwards.
        if (node == 0) {
            barrier.create();
            contender.prepare(dataSource);
            barrier.arrive("schema");
        } else {
            barrier.awaitPhase("schema");
            contender.prepare(dataSource);
        }
        if (throughput && node == 0) {
            contender.enqueueBulk(kind, 0, jobs);
        }
        barrier.arrive("prepared");
        barrier.awaitAll("prepared");
        long start = System.nanoTime();
        contender.start();
        barrier.arrive("started");
        if (node == 0) {
            if (!throughput) {
                barrier.awaitAll("started");
                start = System.nanoTime();
                contender.enqueueBulk(kind, 0, jobs);
            }
            long elapsed = awaitFinished(() -> finishedInStore(contender, dataSource, jobs), jobs, start);
            Result result = throughput
                    ? result(contender, Scenario.SCALE, "jobs_per_s", jobs / seconds(elapsed), nodes)
                    : result(contender, Scenario.SCALE, "wall_s", seconds(elapsed), nodes);
            barrier.arrive("done");
            print(result);
        }
        barrier.awaitPhase("done");
    }

    private void cron(String url, int node, int nodes) throws Exception {
        try (HikariDataSource dataSource = dataSource(url);
                Contender contender = Contenders.create(contenderName)) {
            cron(contender, dataSource, node, nodes);
        } catch (Exception e) {
            if (node == 0) {
                failed(Scenario.CRON.id(), e);
            }
            throw e;
        }
    }

    /**
     * Node 0 creates the run table and the schedule; every node registers the recurring job and
     * starts; once all have started, node 0 waits out the duration (and the grace for late runs),
     * then counts the runs recorded for the fire times of the window: from {@link #CRON_SETTLE}
     * after the last node started to the end of the duration.
     */
    private void cron(Contender contender, HikariDataSource dataSource, int node, int nodes) throws Exception {
        Barrier barrier = new Barrier(dataSource, node, nodes);
        CronProbe.use(dataSource, node);
        if (node == 0) {
            barrier.create();
            CronProbe.createTable(dataSource);
            contender.prepareCron(dataSource, true);
            barrier.arrive("schema");
        } else {
            barrier.awaitPhase("schema");
            contender.prepareCron(dataSource, false);
        }
        barrier.arrive("prepared");
        barrier.awaitAll("prepared");
        contender.start();
        barrier.arrive("started");
        if (node == 0) {
            barrier.awaitAll("started");
            long started = System.currentTimeMillis();
            long from = ceilToSecond(started + CRON_SETTLE.toMillis());
            long to = started + TimeUnit.SECONDS.toMillis(Scenario.CRON.size(quick));
            sleepUntil(to + CRON_GRACE.toMillis());
            CronProbe.Window window = CronProbe.window(dataSource, from, to, contender.cronInterval());
            String dump = System.getenv("BENCH_CRON_DUMP");
            if (dump != null && !dump.isBlank()) {
                CronProbe.dump(
                        dataSource,
                        Path.of(dump, "cron-" + contenderName + "-" + window.first() + "-" + window.end() + ".csv"));
            }
            barrier.arrive("done");
            Scenario cron = Scenario.CRON;
            emit(contender, cron, "expected_fires", window.expected(), nodes);
            emit(contender, cron, "fires", window.fires(), nodes);
            emit(contender, cron, "missed", window.missed(), nodes);
            emit(contender, cron, "duplicates", window.duplicates(), nodes);
            emit(contender, cron, "early", window.early(), nodes);
            emit(contender, cron, "off_grid", window.offGrid(), nodes);
            if (window.runs() > 0) {
                double[] lateness = window.latenessMillis();
                emit(contender, cron, "lateness_p50_ms", percentile(lateness, 50), nodes);
                emit(contender, cron, "lateness_p99_ms", percentile(lateness, 99), nodes);
            }
        }
        barrier.awaitPhase("done");
    }

    /**
     * Faults: this node of a fault case. The orchestrator has created the contender's schema and
     * enqueues, breaks things and counts; the node prepares with the faults' dead-node settings,
     * starts, says so, and runs jobs until the orchestrator kills it. It halts if the orchestrator
     * goes away, so that a bench that dies leaves no worker behind.
     */
    private void faults(String url, int node) throws Exception {
        ProcessHandle.current()
                .parent()
                .ifPresent(parent ->
                        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        FaultProbe.use(url, node);
        HikariDataSource dataSource = dataSource(url);
        Contender contender = Contenders.create(contenderName);
        contender.prepareFaults(dataSource);
        contender.start();
        FaultProbe.arrive(dataSource, node, "started");
        new CountDownLatch(1).await();
    }

    private static long ceilToSecond(long millis) {
        return Math.floorDiv(millis + 999, 1000) * 1000;
    }

    private static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait;
        while ((wait = epochMillis - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(wait, 100));
        }
    }

    private static long finishedInStore(Contender contender, HikariDataSource dataSource, long jobs) {
        try {
            return contender.finishedInStore(dataSource, jobs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long awaitFinished(LongSupplier finished, long target, long start) throws InterruptedException {
        long deadline = start + cap.toNanos();
        while (finished.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        contenderName + " finished " + finished.getAsLong() + " of " + target + " jobs within " + cap);
            }
            Thread.sleep(1);
        }
        return System.nanoTime() - start;
    }

    private void emit(Contender contender, Scenario scenario, String metric, double value, Integer nodes) {
        print(result(contender, scenario, metric, value, nodes));
    }

    private Result result(Contender contender, Scenario scenario, String metric, double value, Integer nodes) {
        return new Result(scenario.id(), contender.name(), metric, value, nodes, null, contender.settings());
    }

    private static void print(Result result) {
        System.out.println(Result.PREFIX + JSON.writeValueAsString(result));
        System.out.flush();
    }

    static double percentile(double[] values, double percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static HikariDataSource dataSource(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        config.setPoolName("bench");
        return new HikariDataSource(config);
    }

    /** Phases shared by the nodes of a scale run, in a table of the run's database. */
    private static final class Barrier {
        private final HikariDataSource dataSource;
        private final int node;
        private final int nodes;

        Barrier(HikariDataSource dataSource, int node, int nodes) {
            this.dataSource = dataSource;
            this.node = node;
            this.nodes = nodes;
        }

        void create() throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("create table if not exists bench_barrier (node int, phase text)");
                statement.execute("insert into bench_barrier values (-1, 'created')");
            }
        }

        void arrive(String phase) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("insert into bench_barrier values (?, ?)")) {
                insert.setInt(1, node);
                insert.setString(2, phase);
                insert.executeUpdate();
            }
        }

        void awaitAll(String phase) throws Exception {
            awaitCount(phase, nodes);
        }

        void awaitPhase(String phase) throws Exception {
            awaitCount(phase, 1);
        }

        private void awaitCount(String phase, int count) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(12);
            while (System.nanoTime() < deadline) {
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement select =
                                connection.prepareStatement("select count(*) from bench_barrier where phase = ?")) {
                    select.setString(1, phase);
                    try (ResultSet rows = select.executeQuery()) {
                        rows.next();
                        if (rows.getInt(1) >= count) {
                            return;
                        }
                    }
                } catch (SQLException e) {
                    if (!e.getMessage().toLowerCase(Locale.ROOT).contains("bench_barrier")) {
                        throw e;
                    }
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("Node " + node + " waited too long for phase " + phase);
        }
    }
}
