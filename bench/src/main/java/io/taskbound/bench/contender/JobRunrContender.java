package io.taskbound.bench.contender;

import io.taskbound.bench.Contender;
import io.taskbound.bench.CronProbe;
import io.taskbound.bench.JobKind;
import io.taskbound.bench.Probe;
import io.taskbound.bench.Scenario;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.ScheduledState;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr OSS on its PostgreSQL storage, configured as its documentation recommends for speed: the
 * shortest poll interval it allows for a SQL store (5 s) and its default worker policy (virtual
 * threads on Java 21+, 16 workers per core). The storage provider and the job scheduler are created
 * in {@link #prepare}, with a background job server that is built but not started
 * ({@code useBackgroundJobServer(configuration, false)}); {@link #start} starts it.
 */
public final class JobRunrContender implements Contender {

    /** JobRunr refuses a shorter poll interval for any store but its in-memory one. */
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    /**
     * The cron scenario's schedule: every 5 s, the finest JobRunr accepts on a SQL store
     * ({@code validateRecurringJobInterval}: "The smallest supported duration between recurring job
     * instances is 5 seconds (because of the smallest supported pollInterval)"); every second
     * ({@code "* * * * * *"}) throws.
     */
    static final String CRON = "*/5 * * * * *";

    static final Duration CRON_INTERVAL = Duration.ofSeconds(5);

    static final String CRON_ID = "bench-cron";

    /**
     * Faults: a server whose heartbeat is this many poll intervals old is timed out, and the
     * PROCESSING jobs not updated for as long are orphaned. 4 is JobRunr's smallest and its default
     * ({@code andServerTimeoutPollIntervalMultiplicand}: "The smallest possible
     * ServerTimeoutPollIntervalMultiplicand is 4 (4 is also the default)"), so with the 5 s poll, 20 s:
     * the nearest JobRunr allows to the scenario's 10 s.
     */
    static final int FAULTS_SERVER_TIMEOUT_MULTIPLICAND = 4;

    /**
     * Soak: how long a job stays DELETED before JobRunr removes its row; short, so that a succeeded
     * job is gone at the pass after the one that marked it deleted, as Taskbound's pruner deletes it.
     */
    static final Duration SOAK_PERMANENTLY_DELETE_AFTER = Duration.ofSeconds(1);

    /**
     * The time each recurring run was scheduled for, by job id: JobRunr's JobContext does not expose
     * it, so a {@link JobServerFilter} (its documented extension point, called on the worker thread
     * just before the job body) reads it from the job's {@link ScheduledState}.
     */
    private static final Map<UUID, Instant> SCHEDULED_AT = new ConcurrentHashMap<>();

    /**
     * The benchmark's job bodies: public static methods, so that JobRunr runs them without a
     * {@code JobActivator}, and each calls only {@link Probe#run}.
     */
    public static final class JobRunrJobs {
        private JobRunrJobs() {}

        public static void noop(int index) throws InterruptedException {
            Probe.run(JobKind.NOOP, index);
        }

        public static void sleep(int index) throws InterruptedException {
            Probe.run(JobKind.SLEEP_1S, index);
        }

        public static void cpu(int index) throws InterruptedException {
            Probe.run(JobKind.CPU_50MS, index);
        }

        public static void effect(int index) throws InterruptedException {
            Probe.run(JobKind.EFFECT, index);
        }

        public static void probe(int index) throws InterruptedException {
            Probe.run(JobKind.LATENCY_PROBE, index);
        }

        public static void soak(int index) throws InterruptedException {
            Probe.run(JobKind.SOAK, index);
        }

        public static void ordinary(int index) throws InterruptedException {
            Probe.run(JobKind.ORDINARY, index);
        }

        public static void runaway(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_RUNAWAY, index);
        }

        public static void halt(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_HALT, index);
        }

        public static void hold(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_HOLD, index);
        }

        public static void churn(int index) throws InterruptedException {
            Probe.run(JobKind.MEMORY_CHURN, index);
        }

        /** The cron scenario's recurring job; JobRunr passes the real context for {@code JobContext.Null}. */
        public static void cron(JobContext context) throws Exception {
            long started = System.currentTimeMillis();
            CronProbe.fired(SCHEDULED_AT.remove(context.getJobId()), started);
        }
    }

    /** Records, as a run starts, the time it was scheduled for, for {@link JobRunrJobs#cron}. */
    static final class ScheduledAtFilter implements JobServerFilter {
        @Override
        public void onProcessing(Job job) {
            job.getLastJobStateOfType(ScheduledState.class)
                    .ifPresent(scheduled -> SCHEDULED_AT.put(job.getId(), scheduled.getScheduledAt()));
        }
    }

    private JobScheduler scheduler;
    private BackgroundJobServer server;
    private DataSource dataSource;

    @Override
    public String name() {
        return "jobrunr";
    }

    @Override
    public Optional<String> notAvailable(Scenario scenario) {
        return scenario == Scenario.QUERIES
                ? Optional.of("not measured here: JobRunr has a read side of its own (its StorageProvider lists jobs"
                        + " by state, finds one by id and counts per state, for its dashboard), but this scenario"
                        + " makes its store of a million jobs with bulk SQL in Taskbound's schema and times"
                        + " Taskbound's API; a store in JobRunr's schema and the same questions through its API are"
                        + " not built")
                : Contender.super.notAvailable(scenario);
    }

    @Override
    public String settings() {
        int cores = Runtime.getRuntime().availableProcessors();
        BackgroundJobServerThreadType threads = BackgroundJobServerThreadType.getDefaultThreadType();
        int workers = threads.getDefaultWorkerCount();
        return "JobRunr OSS 8.7.0 on PostgresStorageProvider (default DatabaseOptions.CREATE: JobRunr creates and"
                + " migrates its own tables, idempotently, so a second node reuses them) with the Jackson 2 JsonMapper."
                + " Poll interval 5 s, the shortest JobRunr accepts for any store but its in-memory one (it throws"
                + " below 5 s); a node still onboards new work at once whenever one of its workers frees up, so the"
                + " interval only delays jobs that reach an idle node."
                + " Default worker policy, untuned: " + threads + ", " + workers + " workers (" + workers / cores
                + " per core on " + cores + " cores), what JobRunr 7+ picks on Java 21+."
                + " Bulk enqueue is JobScheduler.enqueue(Stream, lambda), which JobRunr saves in batches of 5,000;"
                + " single enqueue is JobScheduler.enqueue(lambda); job bodies are static methods calling only Probe.run."
                + " Default retries and shutdown; no dashboard, JMX or metrics."
                + " Isolation: JobRunr OSS has one FIFO queue and no lanes (queues, priority queues, server tags and"
                + " instant processing are JobRunr Pro), so the latency probes wait in the same queue and run on the same"
                + " default workers as the CPU jobs, the nearest its documentation offers."
                + " Cron: scheduleRecurrently(\"" + CRON_ID + "\", \"" + CRON + "\", ...), created once from node 0,"
                + " run by the 3 nodes' background job servers: every 5 s, not every second, because JobRunr refuses"
                + " a recurring interval under 5 s on a SQL store (\"The smallest supported duration between recurring"
                + " job instances is 5 seconds\"), so its expected fires are one per 5 s. A run moves through"
                + " 5 s polls: the master makes each run and enqueues it up to one poll interval ahead of its time"
                + " (JobRunr documents that OSS may run scheduled and recurring jobs a few seconds early; exact-time"
                + " enqueueing is JobRunr Pro), and servers take enqueued work at their own polls, so a run can start"
                + " seconds early or late depending on where the polls fall. The scheduled time of a run is read from its ScheduledState by a"
                + " JobServerFilter.onProcessing (JobContext does not expose it)."
                + " Soak: andDeleteSucceededJobsAfter(" + Scenario.SOAK_RETENTION.toSeconds() + " s) (default 36 h)"
                + " and andPermanentlyDeleteDeletedJobsAfter(" + SOAK_PERMANENTLY_DELETE_AFTER.toSeconds()
                + " s) (default 72 h): JobRunr prunes in two steps, both run by the master server every poll"
                + " interval (5 s, the soak's pruning period): succeeded jobs past the first duration are read and"
                + " saved again in the DELETED state, page by page, and DELETED jobs past the second are deleted"
                + " by one statement; so a succeeded job leaves the table about 30 s plus up to two polls after it"
                + " finished."
                + " Faults: andServerTimeoutPollIntervalMultiplicand(" + FAULTS_SERVER_TIMEOUT_MULTIPLICAND + "),"
                + " JobRunr's smallest and default, so a server is timed out, and a PROCESSING job not updated"
                + " (its server updates its running jobs every poll) is orphaned, after "
                + POLL_INTERVAL.multipliedBy(FAULTS_SERVER_TIMEOUT_MULTIPLICAND).toSeconds() + " s, twice the"
                + " scenario's 10 s, the nearest JobRunr allows; the master finds orphaned jobs at its 5 s poll and"
                + " fails them (\"Orphaned job\"), and its default retry filter (10 retries, exponential back-off)"
                + " schedules them again. enqueueOnce is enqueue(UUID, lambda) with a UUID made from the index; a"
                + " retry whose first call had stored the job fails on the duplicate id, and then counts as"
                + " enqueued once the job is found in jobrunr_jobs."
                + " Memory and gc-isolation: the same settings in an application JVM of -Xmx512m; JobRunr OSS has no"
                + " process isolation, lanes or per-job memory budget, so the memory-bound job runs on the same"
                + " default workers in the application's JVM and heap as the ordinary jobs, the nearest its"
                + " documentation offers (its job state and error as its store keeps them: state, FAILED count,"
                + " last exceptionType and exceptionMessage).";
    }

    @Override
    public List<String> jobTables() {
        return List.of("jobrunr_jobs");
    }

    @Override
    public void prepare(DataSource dataSource) {
        configure(dataSource, false, false);
    }

    @Override
    public void prepareSoak(DataSource dataSource) {
        configure(dataSource, false, true);
    }

    @Override
    public void prepareCron(DataSource dataSource, boolean createSchedule) {
        configure(dataSource, true, false);
        if (createSchedule) {
            scheduler.scheduleRecurrently(CRON_ID, CRON, () -> JobRunrJobs.cron(JobContext.Null));
        }
    }

    @Override
    public Duration cronInterval() {
        return CRON_INTERVAL;
    }

    private void configure(DataSource dataSource, boolean cron, boolean soak) {
        this.dataSource = dataSource;
        BackgroundJobServerConfiguration configuration =
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andPollInterval(POLL_INTERVAL)
                        .andServerTimeoutPollIntervalMultiplicand(FAULTS_SERVER_TIMEOUT_MULTIPLICAND);
        if (soak) {
            configuration
                    .andDeleteSucceededJobsAfter(Scenario.SOAK_RETENTION)
                    .andPermanentlyDeleteDeletedJobsAfter(SOAK_PERMANENTLY_DELETE_AFTER);
        }
        var jobRunr = JobRunr.configure();
        if (cron) {
            jobRunr.withJobFilter(new ScheduledAtFilter());
        }
        var result = jobRunr.useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(new PostgresStorageProvider(dataSource))
                .useBackgroundJobServer(configuration, false)
                .initialize();
        scheduler = result.getJobScheduler();
        server = result.getBackgroundJobServer();
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void enqueueBulk(JobKind kind, int from, int count) {
        Stream<Integer> indices = IntStream.range(from, from + count).boxed();
        switch (kind) {
            case NOOP -> scheduler.enqueue(indices, index -> JobRunrJobs.noop(index));
            case SLEEP_1S -> scheduler.enqueue(indices, index -> JobRunrJobs.sleep(index));
            case CPU_50MS -> scheduler.enqueue(indices, index -> JobRunrJobs.cpu(index));
            case LATENCY_PROBE -> scheduler.enqueue(indices, index -> JobRunrJobs.probe(index));
            case SOAK -> scheduler.enqueue(indices, index -> JobRunrJobs.soak(index));
            case EFFECT -> scheduler.enqueue(indices, index -> JobRunrJobs.effect(index));
        }
    }

    @Override
    public void enqueue(JobKind kind, int index) {
        switch (kind) {
            case NOOP -> scheduler.enqueue(() -> JobRunrJobs.noop(index));
            case SLEEP_1S -> scheduler.enqueue(() -> JobRunrJobs.sleep(index));
            case CPU_50MS -> scheduler.enqueue(() -> JobRunrJobs.cpu(index));
            case LATENCY_PROBE -> scheduler.enqueue(() -> JobRunrJobs.probe(index));
            case SOAK -> scheduler.enqueue(() -> JobRunrJobs.soak(index));
            case EFFECT -> scheduler.enqueue(() -> JobRunrJobs.effect(index));
            case ORDINARY -> scheduler.enqueue(() -> JobRunrJobs.ordinary(index));
            case MEMORY_RUNAWAY -> scheduler.enqueue(() -> JobRunrJobs.runaway(index));
            case MEMORY_HALT -> scheduler.enqueue(() -> JobRunrJobs.halt(index));
            case MEMORY_HOLD -> scheduler.enqueue(() -> JobRunrJobs.hold(index));
            case MEMORY_CHURN -> scheduler.enqueue(() -> JobRunrJobs.churn(index));
            case MEMORY_NOOP -> throw new UnsupportedOperationException("JobRunr has no memory lane");
        }
    }

    /**
     * The job's state, how many times it failed, and the type and message of its last failure, which
     * JobRunr keeps in the job's JSON (its FailedState), read with a pattern rather than a mapper of
     * JobRunr's internal format.
     */
    @Override
    public String jobOutcome(DataSource dataSource, JobKind kind) throws SQLException {
        String method = switch (kind) {
            case MEMORY_RUNAWAY -> "runaway";
            case MEMORY_HALT -> "halt";
            case MEMORY_HOLD -> "hold";
            case MEMORY_CHURN -> "churn";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select state, jobasjson from jobrunr_jobs where jobsignature like ?")) {
            select.setString(1, "%JobRunrJobs." + method + "(%");
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return "no job stored";
                }
                String json = rows.getString(2);
                long failures = Pattern.compile("\"state\"\\s*:\\s*\"FAILED\"")
                        .matcher(json)
                        .results()
                        .count();
                String type = last(json, "exceptionType");
                String message = last(json, "exceptionMessage");
                // The method is called reflectively: what it threw is the stack trace's cause.
                Matcher cause = Pattern.compile("Caused by: ([^\\\\\"]+)").matcher(json);
                String lastCause = null;
                while (cause.find()) {
                    lastCause = cause.group(1);
                }
                return rows.getString(1) + " after " + failures + " failure(s)"
                        + (type == null ? "; no error stored" : "; error: " + type + ": " + message)
                        + (lastCause == null ? "" : " (caused by " + lastCause.strip() + ")");
            }
        }
    }

    private static String last(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(json);
        String found = null;
        while (matcher.find()) {
            found = matcher.group(1);
        }
        return found;
    }

    /**
     * With a job id made from the kind and index. JobRunr stores a new job with one insert, so a
     * retry whose first call had stored the job fails on the duplicate id: then the job is there,
     * and that counts as enqueued.
     */
    @Override
    public void enqueueOnce(JobKind kind, int index) {
        UUID id = UUID.nameUUIDFromBytes(("bench-" + kind.name() + "-" + index).getBytes(StandardCharsets.UTF_8));
        try {
            switch (kind) {
                case NOOP -> scheduler.enqueue(id, () -> JobRunrJobs.noop(index));
                case SLEEP_1S -> scheduler.enqueue(id, () -> JobRunrJobs.sleep(index));
                case CPU_50MS -> scheduler.enqueue(id, () -> JobRunrJobs.cpu(index));
                case LATENCY_PROBE -> scheduler.enqueue(id, () -> JobRunrJobs.probe(index));
                case SOAK -> scheduler.enqueue(id, () -> JobRunrJobs.soak(index));
                case EFFECT -> scheduler.enqueue(id, () -> JobRunrJobs.effect(index));
            }
        } catch (RuntimeException e) {
            if (!stored(id)) {
                throw e;
            }
        }
    }

    /** Whether the job with {@code id} is in the store; false if that cannot be read now. */
    private boolean stored(UUID id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("select count(*) from jobrunr_jobs where id = ?")) {
            select.setString(1, id.toString());
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public long finishedInStore(DataSource dataSource, long enqueued) throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("select count(*) from jobrunr_jobs where state = 'SUCCEEDED'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            // Stops the background job server (if started) and closes the storage provider; the
            // DataSource stays open, it belongs to the worker.
            JobRunr.destroy();
            scheduler = null;
            server = null;
        }
    }
}
