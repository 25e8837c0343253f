package io.taskbound.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * One job system under test, inside a worker JVM. Jobs call {@link Probe#run(JobKind, int)} and do
 * nothing else, so that contenders differ only in how they store, claim and complete jobs.
 */
public interface Contender extends AutoCloseable {

    /** The name used on the command line and in the report. */
    String name();

    /** The settings used, and why they are fair, for the report. */
    String settings();

    /** Creates the contender's schema and client on a fresh database; enqueue works after this. */
    void prepare(DataSource dataSource) throws Exception;

    /**
     * For the soak scenario, instead of {@link #prepare}: prepares as {@link #prepare} does, with
     * finished jobs kept {@link Scenario#SOAK_RETENTION} and deleted every {@link
     * Scenario#SOAK_PRUNE_INTERVAL}, as near as the contender's own settings allow; a contender that
     * keeps no finished jobs prepares as usual. {@link #settings()} says what it does.
     */
    default void prepareSoak(DataSource dataSource) throws Exception {
        prepare(dataSource);
    }

    /**
     * For the queries scenario, instead of {@link #prepare}: prepares as {@link #prepare} does, with
     * finished jobs kept at least as long as the scenario's store spans ({@link QueriesBench#DAYS}),
     * so that none is pruned while it is measured. Only a contender with a read side of its own runs
     * that scenario; the others say why in {@link #notAvailable(Scenario)}.
     */
    default void prepareQueries(DataSource dataSource) throws Exception {
        prepare(dataSource);
    }

    /** The tables that hold this contender's jobs, whose size (with indexes) the soak scenario reports. */
    List<String> jobTables();

    /** Starts processing jobs on this node. */
    void start() throws Exception;

    /** Enqueues {@code count} jobs of {@code kind}, indices {@code from} onwards, as one bulk operation. */
    void enqueueBulk(JobKind kind, int from, int count) throws Exception;

    /** Enqueues one job, as a request handler would. */
    void enqueue(JobKind kind, int index) throws Exception;

    /**
     * Jobs finished as the store sees it, for scenarios with several nodes; {@code enqueued} is how
     * many were enqueued, for stores that delete finished jobs.
     */
    long finishedInStore(DataSource dataSource, long enqueued) throws Exception;

    /**
     * Why this contender cannot run {@code scenario} at all, for the report; empty if it can (a
     * contender that runs a scenario the nearest way it offers says how in {@link #settings()}).
     */
    default Optional<String> notAvailable(Scenario scenario) {
        return switch (scenario) {
            case IDLE -> Optional.of(IDLE_TASKBOUND_ONLY);
            case API -> Optional.of(API_TASKBOUND_ONLY);
            case PROCESS_OVERHEAD -> Optional.of(PROCESS_OVERHEAD_TASKBOUND_ONLY);
            case THROUGHPUT_WARM -> Optional.of(THROUGHPUT_WARM_TASKBOUND_ONLY);
            default -> Optional.empty();
        };
    }

    /** Why the warm throughput scenario is left out for a contender other than Taskbound. */
    String THROUGHPUT_WARM_TASKBOUND_ONLY = "not measured: the warm throughput scenario serves the comparison"
            + " of Taskbound with and without its metrics and traces, and pauses Taskbound's lanes";

    /**
     * Stops starting jobs ({@code held}), or starts again, on every node: the warm throughput
     * scenario queues its measured jobs while they are held.
     *
     * @throws UnsupportedOperationException if the contender cannot
     */
    default void holdJobs(boolean held) throws Exception {
        throw new UnsupportedOperationException(name() + " cannot hold its jobs");
    }

    /** Why the api scenario is left out for a contender other than Taskbound. */
    String API_TASKBOUND_ONLY = "not measured: the api scenario times Taskbound's dashboard API over HTTP on"
            + " the queries scenario's store; the other contenders' dashboards are not measured here";

    /** Why the process-overhead scenario is left out for a contender other than Taskbound. */
    String PROCESS_OVERHEAD_TASKBOUND_ONLY = "not applicable: it measures the start-up and per-job cost of"
            + " Taskbound's worker JVMs; this contender has no executor that runs jobs in another process";

    /**
     * For the memory and gc-isolation scenarios, in the application's JVM (and, never started, in the
     * orchestrator's client), instead of {@link #prepare}: prepares as {@link #prepare} does, with
     * the memory-bound jobs on {@code lane} where the contender has lanes; a contender without them
     * runs every job in the application's JVM and says so in {@link #settings()}.
     */
    default void prepareApp(DataSource dataSource, AppLane lane) throws Exception {
        prepare(dataSource);
    }

    /**
     * The stored state of the one job of {@code kind} (the memory scenario's case) and the error its
     * store keeps, as a line of text for the report; what the contender does not store is said so.
     */
    default String jobOutcome(DataSource dataSource, JobKind kind) throws Exception {
        return "not read from this contender's store";
    }

    /** Why the idle scenario is left out for a contender other than Taskbound. */
    String IDLE_TASKBOUND_ONLY = "not measured: the idle scenario checks Taskbound's own goal of at most one"
            + " statement a second from an idle node; its server-side count would serve any contender, but"
            + " only Taskbound's is run";

    /**
     * For the cron scenario, instead of {@link #prepare}: prepares this node as {@link #prepare} does,
     * with the library's own recurring job registered, whose body calls {@link CronProbe#fired} first
     * thing; with {@code createSchedule} (node 0 only, before any node starts) also stores the
     * schedule, firing every {@link #cronInterval()}. {@link #start()} then runs it on this node.
     *
     * @throws UnsupportedOperationException if the contender has no recurring schedules
     */
    default void prepareCron(DataSource dataSource, boolean createSchedule) throws Exception {
        throw new UnsupportedOperationException(name() + " has no recurring schedules");
    }

    /** How often the schedule of {@link #prepareCron} fires: every second, unless the library refuses it. */
    default Duration cronInterval() {
        return Duration.ofSeconds(1);
    }

    /**
     * For the faults scenario, instead of {@link #prepare}: prepares as {@link #prepare} does, with
     * a node that stops heart-beating declared dead, and its running jobs given back, after {@link
     * Scenario#FAULTS_DEAD_AFTER} or as near as the contender's settings allow; {@link #settings()}
     * says what it set.
     */
    default void prepareFaults(DataSource dataSource) throws Exception {
        prepare(dataSource);
    }

    /**
     * Enqueues one job as {@link #enqueue} does, such that calling it again for the same index after
     * it threw (the database went away, and the first call may have committed) stores no second
     * job, where the contender offers a way; {@link #settings()} says which.
     */
    default void enqueueOnce(JobKind kind, int index) throws Exception {
        enqueue(kind, index);
    }

    /** Why this contender cannot run {@code fault} of the faults scenario, for the report; empty if it can. */
    default Optional<String> notAvailable(Fault fault) {
        return Optional.empty();
    }

    /** Stops processing and releases everything. */
    @Override
    void close() throws Exception;
}
