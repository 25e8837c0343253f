package io.taskbound.bench;

import io.taskbound.advice.Advisor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The scenarios of BENCHMARKS.md, with their sizes for a full run and for {@code --quick}. */
public enum Scenario {
    // Quick sizes are for checking that every contender runs every scenario within the 2-minute
    // budget (JobRunr's 5 s minimum poll alone costs seconds per scenario); they prove nothing.
    THROUGHPUT(
            "100,000 no-op jobs inserted in bulk, then drained. app_cpu_us_per_job: the CPU time of the"
                    + " contender's JVM over the drain (every thread; the database's not) per job",
            100_000,
            1_000),
    THROUGHPUT_WARM(
            "Taskbound only: the throughput scenario drained twice by one engine, measuring the second:"
                    + " 100,000 no-op jobs inserted in bulk and drained (the warm-up: the JIT compiles the paths"
                    + " of a run), then every lane paused (jobs.lanes().pause), 100,000 more inserted in bulk,"
                    + " and the time from resuming the lanes until all of them are stored as finished. Unlike"
                    + " the throughput scenario's cold drain, the engine's start and the compiling are not in"
                    + " it; the job table holds the first 100,000 jobs, finished, beside the second."
                    + " app_cpu_us_per_job: as in the throughput scenario, over the second drain",
            100_000,
            1_000),
    LATENCY("jobs enqueued one at a time at 100/s with idle workers; enqueue to start", 20, 1),
    IO_FANOUT("jobs that each wait 1 s, enqueued in bulk; wall time until all are done", 10_000, 100),
    CPU("jobs of about 50 ms of CPU each; ideal (total CPU / cores) over actual wall time", 200, 20),
    ISOLATION("a latency-sensitive stream at 50/s, idle and then while CPU jobs saturate the machine", 10, 1),
    IDLE(
            "a node with nothing to do: started (and warmed up, in a full run), then left alone 5 s, then every"
                    + " statement its database receives is counted by the server (pg_stat_statements, transaction"
                    + " control and SET included, a pool's empty validation query not) for 60 s (10 s in a quick"
                    + " run); idle_statements_per_s: that count per second",
            60,
            10),
    SCALE("throughput and io-fanout with 1, 2 and 3 nodes; ratio to 1 node", 0, 0),
    CRON(
            "a schedule firing every second (or as often as the contender allows, see its settings) for 60 s"
                    + " (20 s in a quick run), created once and run by 3 worker JVMs on one database; counted over"
                    + " the schedule's fire times from 5 s after every node started to the end of the duration."
                    + " A run counts for the fire time at or before the one its library gave it. fires: fire times"
                    + " with a run; missed: fire times without one (a run not started 3 s after the end counts as"
                    + " missed); duplicates: runs beyond one per fire time; early: runs that started before their"
                    + " fire time; off_grid: runs whose library-given fire time was not one of the schedule's;"
                    + " lateness: job start minus fire time",
            60,
            20),
    SOAK(
            "a steady stream of no-op jobs at half the throughput the contender reached in the throughput"
                    + " scenario (just before, in a full run that has it; else in the committed full run), enqueued in bulk"
                    + " every 10 ms, for 10 minutes (1 in a quick run), with finished jobs kept 30 s and pruned every"
                    + " 5 s where the contender keeps them (see its settings). jobs_per_s: job bodies run in the"
                    + " first and in the last minute of the stream, per second; latency: enqueue call (of the job's"
                    + " batch) to job start, p99 over the jobs enqueued in that minute; table_mb: total size of the"
                    + " contender's job tables with their indexes after the first minute and at the end of the"
                    + " stream. target_jobs_per_s: the stream's planned rate; enqueued_jobs_per_s: the rate it"
                    + " kept (lower if enqueues could not keep the 10 ms tick)",
            10,
            1),
    FAULTS(
            "faults while one contender's worker JVMs run jobs on one database, case by case (the fault column):"
                    + " kill-1-of-2 and kill-2-of-3 kill -9 (SIGKILL) the last 1 of 2 or 2 of 3 worker JVMs once a"
                    + " stream of enqueues has ended and each node to be killed is running a job (victims_running:"
                    + " how many were); pg-restart stops the PostgreSQL server (fast shutdown) and starts it again on"
                    + " the same data directory and port while 2 worker JVMs run jobs and enqueues go on. A client"
                    + " that runs no jobs enqueues one at a time at 20/s (kill cases: 300 jobs, 100 in a quick run;"
                    + " pg-restart: for 10 s before the restart and 10 s after it, 5 s and 5 s in a quick run), each"
                    + " through the contender's idempotent enqueue where it has one, retried while it fails. Each job"
                    + " first records its effect (index, node, start time) in a table of the same database with plain"
                    + " JDBC in autocommit, retrying while the database is down, then works 2 s. Every contender"
                    + " declares a silent node dead after 10 s, or as near as its settings allow (see its settings)."
                    + " Counted once every job has an effect and is stored as finished, or 120 s after the fault (60 s"
                    + " in a quick run): jobs: enqueued; lost: enqueued jobs that never had an effect; duplicates:"
                    + " effects beyond one per job; unfinished: jobs not stored as finished; recovery_s: kill cases,"
                    + " from the kill to the start of the last job body to run (re-runs included), only when every job"
                    + " finished; pg-restart, from the moment the server was told to stop to the first job body started"
                    + " after it was up again (outage_s: how long it was down). pg-restart also: nodes_working: worker"
                    + " JVMs that started a job after the restart; app_alive: 1 if every worker JVM is still running"
                    + " and started a job after the restart; enqueue_retries: client enqueues that failed during the"
                    + " outage and were tried again",
            300,
            100),
    QUERIES(
            "the read side over a store of 1,000,000 jobs (100,000 in a quick run) made with bulk SQL over 6 days:"
                    + " mostly SUCCEEDED, 2 % DEAD, 0.5 % CANCELLED, some RETRYING, the newest QUEUED and RUNNING;"
                    + " 200 job names of Zipf-like frequency on the 11 default lanes; argument JSON naming one of"
                    + " 100,000 customers; attempts with stack traces and log lines; every lane paused so that"
                    + " nothing changes while measured. Each call timed 200 times (50 in a quick run) after 20 (5)"
                    + " warm-up calls, p50 and p95 in ms; listings ask for pages of 50. A listing whose matches are"
                    + " sparse is timed as a user pages through it, each call following the cursor of the one"
                    + " before (each call tests at most 10,000 rows), and one walk through it counts the calls to"
                    + " its first row, to 50 rows and to its end (_calls_to_*, _ms_to_*). Goal: p95 at most 50 ms"
                    + " for every call (calls_over_goal: how many miss it). The plans of every call are in"
                    + " queries-plans.md",
            1_000_000, 100_000),
    API(
            "the dashboard's REST API over real HTTP on the queries scenario's store (1,000,000 jobs, 100,000 in a"
                    + " quick run; the count checked before timing): a Spring Boot web application with the"
                    + " Taskbound starter (engine and dashboard) on a random port of this worker JVM, on the store's"
                    + " database, HTTP Basic as configured by taskbound.dashboard.username and password; every lane"
                    + " paused so that nothing changes while measured. Each call is a GET of java.net.http.HttpClient"
                    + " (HTTP/1.1, one connection kept alive, one call at a time), timed from the request to the"
                    + " last byte of the body, 200 times (50 in a quick run) after 20 (5) warm-up calls: p50, p95,"
                    + " p99 and max in ms, bytes the median body. Listings ask for limit=50; listings whose matches"
                    + " are sparse are timed as a user pages through them, each call following the next cursor of"
                    + " the one before, and one walk counts the calls to the first row, to 50 rows and to the end"
                    + " (_calls_to_*, _ms_to_*); list_paging follows the cursors from page 1 to page 50 and again."
                    + " Goal: p95 at most 100 ms for every call (calls_over_goal: how many miss it). Live tabs, last,"
                    + " once the reads of the overview no longer keep the dashboard's snapshots coming: the"
                    + " statements the store's database executes (pg_stat_statements, transaction control included,"
                    + " the bench's own left out) in 31 s with nobody watching, then in 31 s with 10 event streams"
                    + " open (GET /taskbound/api/events, read as a browser's EventSource does, each checked to"
                    + " receive overview events); live_tabs_added_per_s = (watched - idle) / 31 s with the COMMITs"
                    + " pg_stat_statements does not count added (one per BEGIN, *_uncounted_commits; _counted: without"
                    + " them), goal at most 2 (live_tabs_over_goal 1 if missed)",
            1_000_000,
            100_000),
    MEMORY(
            "an application JVM (-Xmx512m, the JVM's defaults otherwise) that runs the contender and a web"
                    + " endpoint (com.sun.net.httpserver, 4 threads, each request builds a 16 KB page), which a"
                    + " client in the orchestrator requests every 10 ms (java.net.http, asynchronous, so a slow"
                    + " answer does not delay the next request; 2 s timeout; measured from 5 s after the application"
                    + " started, its warm-up). Per case (the case column) one job"
                    + " is enqueued, then 100 ordinary jobs (100 ms wait and a 64 KB buffer each, on other lanes"
                    + " where the contender has lanes) at 20/s: runaway allocates and holds 16 KB chunks without"
                    + " end, past its 256 MB budget (and past the application's 512 MB when it runs inside it);"
                    + " halt calls Runtime.getRuntime().halt(137); hold holds 80 % of its JVM's maximum heap for"
                    + " 5 s (in 16 KB chunks, which G1 packs into its regions with under 2 % lost). A case ends when every ordinary job completed and 6 s have passed since the one job"
                    + " started, or 1 s after the application died, or 45 s after the enqueue (30 s in a quick"
                    + " run). app_alive: 1 if the application's JVM still runs at the end and answered a request"
                    + " in the case's last second; completed: ordinary jobs whose body ended, counted in the"
                    + " database (a dead application's too); web_errors and web_requests: requests sent from the"
                    + " one job's first start (its enqueue if it never started) to the case's end that failed"
                    + " (error, timeout or a status other than 200), and all of them; web_p99_ms: p99 of the"
                    + " answered ones in that window; web_p99_before_ms: the same over the 3 s before the enqueue."
                    + " The one job's stored state and error are listed under the table",
            0, 0),
    GC_ISOLATION(
            "web p99 of the memory scenario's application JVM (512 MB heap, the same endpoint and client) while"
                    + " one job allocates 10 GB in total (2 GB in a quick run) in 1 MB chunks it drops at once;"
                    + " the case column says where the job ran: worker (Taskbound's memory lane on the process"
                    + " executor, a worker JVM of -Xmx256m started with the lane, so before the job) or in-app (Taskbound's memory lane on the platform"
                    + " executor, or any contender without process isolation). web_p99_idle_ms: the 10 s (5 s)"
                    + " before the enqueue; web_p99_ms: from the job's start to its end as it recorded them;"
                    + " p99_ratio: web_p99_ms / web_p99_idle_ms of the same application run (goal with the"
                    + " worker: at most 1.5); wall_s: the job's own run time; web_errors as in memory",
            10,
            2),
    PROCESS_OVERHEAD(
            "Taskbound only, in a JVM started from a plain classpath: cold start of a worker JVM as"
                    + " io.taskbound.process.WorkerCommand.command makes it (read by reflection: core has no public way to"
                    + " start one alone), from the process's start to its READY frame, 10 starts (3 in a quick"
                    + " run) per case: no-cache (the JVM's defaults, which map the JDK's own CDS archive), cds (a"
                    + " dynamic AppCDS archive of the worker's classes: -XX:+AutoCreateSharedArchive"
                    + " -XX:SharedArchiveFile, written by one training start first) and aot (JDK 25's AOT cache:"
                    + " -XX:AOTCacheOutput on one training start, -XX:AOTCache after), the options passed through"
                    + " ProcessSettings.jvmOptions; and of a worker that boots a Spring Boot application's context"
                    + " (the bench's ApiApplication: the starter, JPA on the bench's database, as the starter's lane"
                    + " tells a worker, lazily and without a web server), 5 starts (2) per case: spring-no-cache,"
                    + " spring-aot (its AOT cache trained as aot's is) and spring-aot-c1 (the same with"
                    + " -XX:TieredStopAtLevel=1, the client compiler alone); start_p50_ms, start_p99_ms. Per-job round trip of a no-op job"
                    + " on the memory lane, one job at a time, 500 (100 in a quick run) after 20 (5) warm-up jobs,"
                    + " once on the process executor (1 warm worker, started eagerly) and once on the platform"
                    + " executor (1 thread), each wrapped in an executor that times it: run_p50_ms, run_p99_ms,"
                    + " from the run's hand-over to the executor to its outcome; latency_p50_ms, latency_p99_ms,"
                    + " from the enqueue call to the engine's SUCCEEDED event (after commit); case overhead:"
                    + " process minus platform run time at p50 and p99 (goals: at most 1 ms and 5 ms)",
            500,
            100),
    ADVISOR(
            "Taskbound only: the bound advisor's verdict (jobs.advisor().observations()) on the jobs of the cpu"
                    + " (bench.cpu, about 50 ms of one core), io-fanout (bench.sleep, waits 1 s), memory"
                    + " (bench.memory.hold, holds 80 % of its JVM's maximum heap for 5 s: the scenario's one job"
                    + " that completes) and gc-isolation (bench.memory.churn, allocates 2 GB in 1 MB chunks)"
                    + " scenarios, each job once declared as Taskbound's contender declares it (CPU, CONCURRENCY,"
                    + " MEMORY, MEMORY) and once deliberately wrong (IO, CPU, IO, IO). Each case runs in an"
                    + " application JVM of its own (-Xmx512m, as the memory scenario's) on a fresh database, with"
                    + " Taskbound's defaults and the memory lane's worker JVM of -Xmx256m as the memory scenario"
                    + " sets it; the job runs twice the advisor's minimum of runs (its minimum in a quick run), the"
                    + " cpu and io-fanout jobs enqueued in bulk, the memory jobs one at a time; the advisor is read"
                    + " 3 s after the last run succeeded, so that JFR's last samples are in. Expected verdict:"
                    + " flagged (a mismatch, with a suggested bound) when declared wrongly, not flagged when"
                    + " declared correctly; correct? compares the two. Results go to advisor.json and advisor.md",
            2 * Advisor.Settings.DEFAULT_MIN_RUNS, Advisor.Settings.DEFAULT_MIN_RUNS);

    private final String description;
    private final int fullSize;
    private final int quickSize;

    Scenario(String description, int fullSize, int quickSize) {
        this.description = description;
        this.fullSize = fullSize;
        this.quickSize = quickSize;
    }

    /** The id used on the command line and in the report, such as {@code io-fanout}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    /** Worker JVMs, on one database, that run the cron scenario together. */
    public static final int CRON_NODES = 3;

    /** Soak: finished jobs are kept this long, where the contender keeps them at all. */
    public static final Duration SOAK_RETENTION = Duration.ofSeconds(30);

    /** Soak: how often finished jobs past {@link #SOAK_RETENTION} are deleted. */
    public static final Duration SOAK_PRUNE_INTERVAL = Duration.ofSeconds(5);

    /**
     * Faults: how long after its last heartbeat a node is declared dead and its jobs given back,
     * for every contender as near as its settings allow: Taskbound's default dead-node timeout.
     */
    public static final Duration FAULTS_DEAD_AFTER = Duration.ofSeconds(10);

    /** Idle: how long a node is left alone after it started, before its statements are counted. */
    public static final Duration IDLE_SETTLE = Duration.ofSeconds(5);

    /** Jobs (or seconds, for the streams, for idle and for cron; minutes, for soak) in this run. */
    public int size(boolean quick) {
        return quick ? quickSize : fullSize;
    }

    /** Whether the engine can run this scenario yet: all can, now that the process executor exists. */
    public boolean available() {
        return true;
    }

    /** Why an unavailable scenario is not run. */
    public String unavailableReason() {
        return "";
    }

    /**
     * The scenarios of the process lane: each runs an application JVM of its own, started from a
     * plain classpath so that it can start worker JVMs, and writes its results to {@link
     * #PROCESS_LANE_REPORT} rather than to {@code latest}, so that a run of these alone does not
     * replace the committed figures of the others.
     */
    public boolean processLane() {
        return this == MEMORY || this == GC_ISOLATION || this == PROCESS_OVERHEAD;
    }

    /** The base name of the report files of the {@link #processLane()} scenarios. */
    public static final String PROCESS_LANE_REPORT = "memory";

    /**
     * The scenarios a run without {@code --scenarios} includes: all, except soak, faults and queries
     * in a quick run, where soak's one minute per contender, or the faults' three cases of worker
     * JVMs starting and nodes being declared dead, would more than double the quick run's time, and
     * the queries' store of 100,000 jobs with its calls would add about 40 s to a quick run already
     * over its 2 minutes (and the api scenario, the same store and a web application, as much). The
     * process-lane scenarios are left out too: each case starts an application JVM and waits out
     * seconds of jobs, several minutes in all. The advisor scenario runs only when named, in a full
     * run too: it checks Taskbound's advisor rather than comparing contenders, and its eight cases,
     * each in an application JVM of its own, take about 7 minutes at the quick size and 10 to 12 at
     * the full one (measured here), per run. The warm throughput too: it serves the comparison of
     * Taskbound with and without its metrics and traces.
     */
    public static List<Scenario> defaults(boolean quick) {
        return Arrays.stream(values())
                .filter(s -> s != ADVISOR && s != THROUGHPUT_WARM)
                .filter(s -> !quick || (s != SOAK && s != FAULTS && s != QUERIES && s != API && !s.processLane()))
                .toList();
    }

    /** Scenarios that run on one node, each contender in one worker JVM. */
    public boolean singleNode() {
        return available() && this != SCALE && this != CRON && this != FAULTS && this != ADVISOR && !processLane();
    }

    public static Scenario byId(String id) {
        return Arrays.stream(values())
                .filter(s -> s.id().equals(id.strip()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown scenario \"" + id + "\": use one of "
                        + Arrays.stream(values()).map(Scenario::id).toList()));
    }

    public static List<Scenario> parse(String ids) {
        return Arrays.stream(ids.split(","))
                .filter(s -> !s.isBlank())
                .map(Scenario::byId)
                .toList();
    }
}
