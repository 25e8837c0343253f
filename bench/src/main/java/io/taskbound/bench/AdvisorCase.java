package io.taskbound.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.BoundAdvice;
import io.taskbound.JobRequest;
import io.taskbound.Jobs;
import io.taskbound.bench.contender.TaskboundContender;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.StandalonePersistence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * One case of the advisor scenario, in an application JVM of its own started as the memory
 * scenario's is (-Xmx512m, from a plain classpath, so that the memory lane can start its worker
 * JVMs): {@code app advisor <subject> <correct|wrong> <runs> <url>}. It starts Taskbound with its
 * defaults (the bound advisor's included) and the memory lane's workers as the memory scenario sets
 * them, with the subject's job declared as Taskbound's contender declares it ({@code correct}) or as
 * {@link AdvisorJobs} declares it ({@code wrong}); runs the job {@code runs} times as its scenario
 * does; waits for the advisor's last samples; and prints what {@code jobs.advisor().observations()}
 * says of the job's name as one {@value #PREFIX} line.
 */
public final class AdvisorCase {

    static final String PREFIX = "ADVICE ";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * JFR hands its samples over about once a second, and a run's come at the latest with the
     * second hand-over after its end: the advisor is read this long after the last run.
     */
    private static final Duration SAMPLES_SETTLE = Duration.ofSeconds(3);

    /** The gc-isolation job's allocation per run: its quick size, 2 GB in 1 MB chunks. */
    static final int CHURN_GB = 2;

    /** A scenario's job the advisor is asked about. */
    enum Subject {
        /** The cpu scenario's job: about 50 ms of one core; enqueued in bulk. */
        CPU("cpu", "bench.cpu", JobKind.CPU_50MS, BoundAdvice.Observed.CPU_BOUND, true),
        /** The io-fanout scenario's job: waits 1 s; enqueued in bulk. */
        IO_FANOUT("io-fanout", "bench.sleep", JobKind.SLEEP_1S, BoundAdvice.Observed.IO_BOUND, true),
        /** The memory scenario's hold job, the one that completes; one at a time, as that scenario runs it. */
        MEMORY("memory", "bench.memory.hold", JobKind.MEMORY_HOLD, BoundAdvice.Observed.MEMORY_HEAVY, false),
        /** The gc-isolation scenario's churn job, at {@value #CHURN_GB} GB; one at a time. */
        GC_ISOLATION(
                "gc-isolation", "bench.memory.churn", JobKind.MEMORY_CHURN, BoundAdvice.Observed.MEMORY_HEAVY, false);

        final String id;
        final String jobName;
        final JobKind kind;
        final BoundAdvice.Observed expected;
        final boolean bulk;

        Subject(String id, String jobName, JobKind kind, BoundAdvice.Observed expected, boolean bulk) {
            this.id = id;
            this.jobName = jobName;
            this.kind = kind;
            this.expected = expected;
            this.bulk = bulk;
        }

        String arguments(int index) {
            return "[" + (this == GC_ISOLATION ? CHURN_GB : index) + "]";
        }

        static Subject byId(String id) {
            return Arrays.stream(values())
                    .filter(s -> s.id.equals(id))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalArgumentException("Unknown advisor subject \"" + id + "\": use one of "
                                    + Arrays.stream(values()).map(s -> s.id).toList()));
        }
    }

    /**
     * What the advisor said of one case, with what the bench expected. The figures are the
     * advisor's own ({@link BoundAdvice}); {@code flagged} is {@link BoundAdvice#mismatch()}, and
     * {@code correct} whether it is what the declaration calls for: flagged when wrong, not when
     * correct. {@code loadAverage}: the machine's 1-minute load average when the advisor was read.
     */
    public record Outcome(
            String scenario,
            String declaration,
            String jobName,
            @Nullable String declared,
            @Nullable String lane,
            String expectedObserved,
            @Nullable String observed,
            @Nullable Double confidence,
            @Nullable Long advisorRuns,
            @Nullable Double cpuShare,
            @Nullable Long allocatedBytesPerRun,
            @Nullable Long allocatedBytesPerSecond,
            @Nullable Long peakHeapBytes,
            @Nullable String suggested,
            @Nullable String reason,
            boolean flagged,
            boolean expectedFlagged,
            boolean correct,
            int enqueued,
            long succeeded,
            double wallSeconds,
            double loadAverage,
            @Nullable String failure) {}

    private AdvisorCase() {}

    static void run(String subjectId, String declaration, int runs, String url) throws Exception {
        Subject subject = Subject.byId(subjectId);
        boolean wrong = switch (declaration) {
            case "correct" -> false;
            case "wrong" -> true;
            default ->
                throw new IllegalArgumentException("Unknown declaration \"" + declaration + "\": use correct or wrong");
        };
        // The memory jobs record their start and end where the memory scenario's do, in this JVM and in workers.
        System.setProperty(MemoryProbe.URL_PROPERTY, url);
        try (HikariDataSource dataSource = pool(url)) {
            MemoryProbe.createTables(dataSource);
            if (subject.kind == JobKind.CPU_50MS) {
                Probe.calibrate(Duration.ofMillis(50));
            }
            StandalonePersistence persistence = StandalonePersistence.open(dataSource);
            TaskboundEngine engine = engine(dataSource, persistence, wrong, url);
            try {
                engine.start();
                long start = System.nanoTime();
                String failure = runJobs(engine.jobs(), dataSource, subject, runs);
                double wall = (System.nanoTime() - start) / 1e9;
                Thread.sleep(SAMPLES_SETTLE.toMillis());
                BoundAdvice advice = engine.jobs().advisor().observations().stream()
                        .filter(a -> a.jobName().equals(subject.jobName))
                        .findFirst()
                        .orElse(null);
                long succeeded = states(dataSource, subject.jobName).getOrDefault("SUCCEEDED", 0L);
                System.out.println(PREFIX
                        + JSON.writeValueAsString(
                                outcome(subject, declaration, wrong, advice, runs, succeeded, wall, failure)));
                System.out.flush();
            } finally {
                engine.stop();
                persistence.close();
            }
        }
    }

    /**
     * Taskbound's defaults, as its contender runs the memory scenario: the memory lane on the
     * process executor, its one worker JVM of {@value AppLane#WORKER_HEAP} started at the lane's
     * first job and told the database; the bound advisor with its defaults. Registered: the
     * contender's jobs, or the wrong declarations of the same names.
     */
    private static TaskboundEngine engine(
            DataSource dataSource, StandalonePersistence persistence, boolean wrong, String url) {
        JobRegistry registry = new JobRegistry(TaskboundSettings.defaults());
        if (wrong) {
            registry.register(new AdvisorJobs(), AdvisorJobs.class);
        } else {
            registry.register(new TaskboundContender.BenchJobs(), TaskboundContender.BenchJobs.class);
        }
        List<String> workerOptions = List.of("-D" + MemoryProbe.URL_PROPERTY + "=" + url);
        return TaskboundEngine.builder()
                .registry(registry)
                .dataSource(dataSource)
                .entityManagerFactory(persistence.entityManagerFactory())
                .transactionManager(persistence.transactionManager())
                .processWorkers(
                        (lane, workers) -> workers.withHeap(AppLane.WORKER_HEAP).withJvmOptions(workerOptions))
                .build();
    }

    /**
     * Runs the subject's job {@code runs} times as its scenario does: the cpu and io-fanout jobs
     * enqueued in bulk, the memory jobs one at a time, each once the one before has succeeded (the
     * memory scenario runs one; more at once would only show the heap running out). Returns why not
     * every run succeeded in time, or null.
     */
    private static @Nullable String runJobs(Jobs jobs, DataSource dataSource, Subject subject, int runs)
            throws Exception {
        if (subject.bulk) {
            List<JobRequest<Object>> requests = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                requests.add(jobs.prepare(subject.jobName, subject.arguments(i)));
            }
            jobs.enqueueAll(requests);
            return awaitSucceeded(dataSource, subject.jobName, runs, Duration.ofMinutes(3));
        }
        for (int i = 0; i < runs; i++) {
            jobs.enqueue(subject.jobName, subject.arguments(i));
            String failure = awaitSucceeded(dataSource, subject.jobName, i + 1, Duration.ofMinutes(1));
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private static @Nullable String awaitSucceeded(DataSource dataSource, String jobName, long target, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, Long> states;
        while ((states = states(dataSource, jobName)).getOrDefault("SUCCEEDED", 0L) < target) {
            if (System.nanoTime() > deadline) {
                return "only " + states.getOrDefault("SUCCEEDED", 0L) + " of " + target + " runs of " + jobName
                        + " succeeded within " + within.toSeconds() + " s; its jobs by state: " + states;
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static Map<String, Long> states(DataSource dataSource, String jobName) throws Exception {
        Map<String, Long> states = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select state, count(*) from taskbound_job where name = ? group by state")) {
            select.setString(1, jobName);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return states;
    }

    private static Outcome outcome(
            Subject subject,
            String declaration,
            boolean wrong,
            @Nullable BoundAdvice advice,
            int runs,
            long succeeded,
            double wall,
            @Nullable String failure) {
        boolean flagged = advice != null && advice.mismatch();
        return new Outcome(
                subject.id,
                declaration,
                subject.jobName,
                advice == null ? null : advice.declared().name(),
                advice == null ? null : advice.lane(),
                subject.expected.name(),
                advice == null ? null : advice.observed().name(),
                advice == null ? null : advice.confidence(),
                advice == null ? null : advice.runs(),
                advice == null ? null : advice.cpuShare(),
                advice == null ? null : advice.allocatedBytesPerRun(),
                advice == null ? null : advice.allocatedBytesPerSecond(),
                advice == null ? null : advice.peakHeapBytes(),
                advice == null || advice.suggested() == null
                        ? null
                        : advice.suggested().name(),
                advice == null ? "the advisor had no observation of " + subject.jobName : advice.reason(),
                flagged,
                wrong,
                flagged == wrong,
                runs,
                succeeded,
                wall,
                loadAverage(),
                failure);
    }

    /** The machine's 1-minute load average, or -1 where /proc does not say. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(20);
        config.setPoolName("advisor");
        return new HikariDataSource(config);
    }
}
