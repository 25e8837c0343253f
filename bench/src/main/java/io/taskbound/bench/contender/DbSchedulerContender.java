package io.taskbound.bench.contender;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.taskbound.bench.Contender;
import io.taskbound.bench.CronProbe;
import io.taskbound.bench.JobKind;
import io.taskbound.bench.Probe;
import io.taskbound.bench.Scenario;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * db-scheduler ({@code com.github.kagkarlsson:db-scheduler}) configured as its README and
 * docs/performance.md advise for throughput: the {@code lock-and-fetch} polling strategy
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}, PostgreSQL's single-statement mode) with the "high
 * throughput" fractions, immediate execution, a short polling interval, and one thread pool sized
 * for the I/O-bound scenario. Each job kind is a one-time task; a job is one task instance, deleted
 * by db-scheduler when it completes. Latency probes have a higher task priority than the rest.
 */
public final class DbSchedulerContender implements Contender {

    /** The table's name, db-scheduler's default. */
    private static final String TABLE = "scheduled_tasks";

    /**
     * One fixed pool of platform threads for every kind of job ({@code .threads(n)}; this version has
     * no per-task or per-priority pools), sized for the I/O-bound scenario: 1,000 one-second waits at
     * a time, the I/O concurrency Taskbound's io lane has.
     */
    private static final int THREADS = 1_000;

    /** README, "Polling strategy": "For high throughput (i.e. keep threads busy), set to for example 1.0, 4.0". */
    private static final double LOWER_LIMIT_FRACTION_OF_THREADS = 1.0;

    private static final double UPPER_LIMIT_FRACTION_OF_THREADS = 4.0;

    /** Default 10 s; its maintainer advises against 0 s, so: short, but a sleep between polls. */
    private static final Duration POLLING_INTERVAL = Duration.ofMillis(100);

    /** db-scheduler's PostgreSQL table and indexes (db-scheduler/src/test/resources/postgresql_tables.sql, v15+). */
    private static final List<String> DDL = List.of(
            "create table if not exists " + TABLE + " ("
                    + " task_name text not null,"
                    + " task_instance text not null,"
                    + " task_data bytea,"
                    + " execution_time timestamp with time zone not null,"
                    + " picked boolean not null,"
                    + " picked_by text,"
                    + " last_success timestamp with time zone,"
                    + " last_failure timestamp with time zone,"
                    + " consecutive_failures int,"
                    + " last_heartbeat timestamp with time zone,"
                    + " version bigint not null,"
                    + " priority smallint,"
                    + " primary key (task_name, task_instance))",
            "create index if not exists execution_time_idx on " + TABLE + " (execution_time)",
            "create index if not exists last_heartbeat_idx on " + TABLE + " (last_heartbeat)",
            "create index if not exists priority_execution_time_idx on " + TABLE
                    + " (priority desc, execution_time asc)");

    /**
     * Faults: a heartbeat every 2 s, dead after 5 missed, so that a dead node's executions are
     * revived after the scenario's 10 s (defaults: every 5 min, 6 missed, 30 min).
     */
    private static final Duration FAULTS_HEARTBEAT = Duration.ofSeconds(2);

    private static final int FAULTS_MISSED_HEARTBEATS = 5;

    /** The cron scenario's schedule: its Spring-style six-field cron, every second. */
    static final String CRON = "* * * * * *";

    private final Map<JobKind, OneTimeTask<Void>> tasks = new EnumMap<>(JobKind.class);

    /**
     * The cron scenario's recurring task; its body reads the time the execution was due from the
     * ExecutionContext.
     */
    private final RecurringTask<Void> cronTask = Tasks.recurring("bench-cron", Schedules.cron(CRON))
            .execute((instance, context) -> {
                long started = System.currentTimeMillis();
                try {
                    CronProbe.fired(context.getExecution().executionTime, started);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });

    private Scheduler scheduler;

    public DbSchedulerContender() {
        for (JobKind kind : JobKind.values()) {
            int priority = kind == JobKind.LATENCY_PROBE ? Priority.HIGH : Priority.MEDIUM;
            tasks.put(
                    kind,
                    Tasks.oneTime("bench-" + kind.name().toLowerCase(Locale.ROOT))
                            .defaultPriority(priority)
                            .execute((instance, context) -> run(kind, instance)));
        }
    }

    @Override
    public String name() {
        return "db-scheduler";
    }

    @Override
    public Optional<String> notAvailable(Scenario scenario) {
        return scenario == Scenario.QUERIES
                ? Optional.of("db-scheduler keeps no history to read: a one-time execution's row is deleted when it"
                        + " completes, and its read API (Scheduler.getScheduledExecutions) lists the executions"
                        + " still to run, with no listing of finished or failed jobs, attempts or logs")
                : Contender.super.notAvailable(scenario);
    }

    @Override
    public String settings() {
        return "db-scheduler 16.12.0, one Scheduler per node used as its own SchedulerClient, one one-time task per"
                + " job kind with no task data (default Java serializer), a job's row deleted when it completes;"
                + " table and indexes from its postgresql_tables.sql."
                + " Polling strategy lock-and-fetch (" + LOWER_LIMIT_FRACTION_OF_THREADS + ", "
                + UPPER_LIMIT_FRACTION_OF_THREADS + "), the README's values 'for high throughput': fair because it"
                + " is the fastest mode its authors document (one UPDATE ... FOR UPDATE SKIP LOCKED per batch, then"
                + " one DELETE per job)."
                + " " + THREADS + " platform threads via .threads(n), the same in every scenario: fair because the"
                + " pool is the only concurrency knob it documents, and a user sizing it for one-second I/O waits"
                + " would not keep the default 10 (10,000 waits would take ~1,000 s) but give it the 1,000-way"
                + " concurrency Taskbound's io lane has; CPU jobs share that pool, as it has no per-task pools."
                + " Polling interval " + POLLING_INTERVAL.toMillis() + " ms (default 10 s) with"
                + " enableImmediateExecution(): fair because a schedule() on this node wakes the poller at once and"
                + " a full batch triggers the next fetch, so the interval only bounds how late other nodes see new"
                + " work, and it is far below the 1 s floor its maintainer recommends."
                + " enablePriority() with latency probes at Priority.HIGH and other jobs at Priority.MEDIUM: fair"
                + " because priority is the nearest thing to a lane it offers, though it only orders the fetch and"
                + " picked jobs then share one pool."
                + " Bulk enqueue with scheduleBatch(list, now), which runs one JDBC batch on an auto-commit"
                + " connection (the PostgreSQL driver commits it in chunks of a few hundred rows), and single enqueue"
                + " with schedule(instance, now) outside any transaction, as immediate execution requires: fair"
                + " because these are its own batch and standard APIs, used as documented."
                + " shutdownMaxWait 1 s so that a node stops quickly."
                + " Cron: Tasks.recurring(\"bench-cron\", Schedules.cron(\"" + CRON + "\")) (Spring-style six-field"
                + " cron), a start task of node 0's scheduler only (it stores the one execution row at start-up if"
                + " absent) and a known task of the other two; each node picks it with the same lock-and-fetch"
                + " poll every " + POLLING_INTERVAL.toMillis() + " ms, and on completion db-scheduler reschedules"
                + " the row to the cron's next time after the completion time. Its cron (cron-utils, shaded) keeps"
                + " the milliseconds of the time it is given, so with a seconds field of '*' each execution time is"
                + " the previous completion plus 1 s, off the whole second and drifting later by each run's delay;"
                + " those runs count as off_grid, for the whole second their execution time falls in, and are late"
                + " from that second. The execution time of a run is ExecutionContext.getExecution().executionTime."
                + " Soak: the same settings; db-scheduler deletes a one-time task's row when it completes, so it"
                + " keeps no finished jobs and has nothing to prune (the soak's stream is one more one-time task,"
                + " at Priority.MEDIUM like the no-op job)."
                + " Faults: the same settings with heartbeatInterval(" + FAULTS_HEARTBEAT.toSeconds() + " s) and"
                + " missedHeartbeatsLimit(" + FAULTS_MISSED_HEARTBEATS + "), so that an execution whose heartbeat is"
                + " " + FAULTS_HEARTBEAT.multipliedBy(FAULTS_MISSED_HEARTBEATS).toSeconds()
                + " s old is dead (defaults:"
                + " every 5 min, 6 missed, 30 min) and its default DeadExecutionHandler (ReviveDeadExecution)"
                + " schedules it again to run now; each scheduler looks for dead executions every two heartbeat"
                + " intervals (" + FAULTS_HEARTBEAT.multipliedBy(2).toSeconds() + " s), so revival comes"
                + " " + FAULTS_HEARTBEAT.multipliedBy(FAULTS_MISSED_HEARTBEATS).toSeconds() + "–"
                + FAULTS_HEARTBEAT.multipliedBy(FAULTS_MISSED_HEARTBEATS + 2).toSeconds() + " s after the last"
                + " heartbeat. enqueueOnce is scheduleIfNotExists(instance, now): the task"
                + " instance id (kind and index) is the table's key, so a retry stores no second job."
                + " Memory and gc-isolation: the same settings in an application JVM of -Xmx512m; db-scheduler has no"
                + " process isolation or per-task pools, so the memory-bound job is one more one-time task on the"
                + " same pool of threads in the application's JVM and heap, the nearest it offers (default failure"
                + " handling of a one-time task: retried 5 min later).";
    }

    @Override
    public List<String> jobTables() {
        return List.of(TABLE);
    }

    @Override
    public void prepare(DataSource dataSource) throws SQLException {
        createTables(dataSource);
        scheduler = builder(dataSource, List.of()).build();
    }

    @Override
    public void prepareFaults(DataSource dataSource) throws SQLException {
        createTables(dataSource);
        scheduler = builder(dataSource, List.of())
                .heartbeatInterval(FAULTS_HEARTBEAT)
                .missedHeartbeatsLimit(FAULTS_MISSED_HEARTBEATS)
                .build();
    }

    @Override
    public void prepareCron(DataSource dataSource, boolean createSchedule) throws SQLException {
        createTables(dataSource);
        // Node 0 makes the recurring task a start task: its scheduler stores the task's one execution
        // at start-up if absent. The other nodes only know the task, which is all they need to run it.
        scheduler = createSchedule
                ? builder(dataSource, List.of()).startTasks(cronTask).build()
                : builder(dataSource, List.of(cronTask)).build();
    }

    private static void createTables(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
        }
    }

    private SchedulerBuilder builder(DataSource dataSource, List<Task<?>> moreTasks) {
        List<Task<?>> known = new ArrayList<>(tasks.values());
        known.addAll(moreTasks);
        // The scheduler is also the client: scheduling through it works before start(), and only
        // schedules made through it trigger immediate execution.
        return Scheduler.create(dataSource, known)
                .threads(THREADS)
                .pollUsingLockAndFetch(LOWER_LIMIT_FRACTION_OF_THREADS, UPPER_LIMIT_FRACTION_OF_THREADS)
                .pollingInterval(POLLING_INTERVAL)
                .enableImmediateExecution()
                .enablePriority()
                .schedulerName(new SchedulerName.Fixed(
                        "bench-" + ProcessHandle.current().pid()))
                .shutdownMaxWait(Duration.ofSeconds(1));
    }

    @Override
    public void start() {
        scheduler.start();
    }

    @Override
    public void enqueueBulk(JobKind kind, int from, int count) {
        OneTimeTask<Void> task = tasks.get(kind);
        List<TaskInstance<?>> instances = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            instances.add(task.instance(id(kind, i)));
        }
        // db-scheduler's batch API: one JDBC batch of inserts on an auto-commit connection, which the
        // PostgreSQL driver commits every few hundred rows as it syncs with the server.
        scheduler.scheduleBatch(instances, Instant.now());
    }

    @Override
    public void enqueue(JobKind kind, int index) {
        scheduler.schedule(tasks.get(kind).instance(id(kind, index)), Instant.now());
    }

    @Override
    public void enqueueOnce(JobKind kind, int index) {
        scheduler.scheduleIfNotExists(tasks.get(kind).instance(id(kind, index)), Instant.now());
    }

    @Override
    public long finishedInStore(DataSource dataSource, long enqueued) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from " + TABLE)) {
            rows.next();
            return enqueued - rows.getLong(1);
        }
    }

    /**
     * The execution's row as db-scheduler keeps it: none once a one-time task succeeded (the row is
     * deleted), else whether it is picked, its consecutive failures and when it runs next. It stores
     * no error text: a failure is only logged.
     */
    @Override
    public String jobOutcome(DataSource dataSource, JobKind kind) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select picked, consecutive_failures,"
                        + " last_failure, execution_time from " + TABLE + " where task_name = ?")) {
            select.setString(1, tasks.get(kind).getName());
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return "row deleted: the one-time task completed (or was never stored)";
                }
                return (rows.getBoolean(1) ? "picked (running, or its node died running it)" : "waiting")
                        + ", consecutive_failures " + rows.getInt(2) + ", last_failure " + rows.getTimestamp(3)
                        + ", next execution_time " + rows.getTimestamp(4)
                        + "; no error stored (db-scheduler only logs a failure's exception)";
            }
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    /** A task instance id unique per job: the kind, then the index (the task name also differs per kind). */
    private static String id(JobKind kind, int index) {
        return kind.ordinal() + "-" + index;
    }

    private static void run(JobKind kind, TaskInstance<Void> instance) {
        String id = instance.getId();
        int index = Integer.parseInt(id, id.indexOf('-') + 1, id.length(), 10);
        try {
            Probe.run(kind, index);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + id, e);
        }
    }
}
