package io.taskbound.autoconfigure;

import io.taskbound.Bound;
import io.taskbound.JobState;
import io.taskbound.process.ProcessSettings;
import io.taskbound.run.JobLines;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of Taskbound. Unset values take the defaults of {@link TaskboundSettings} and
 * {@link LaneSettings}, which live in the engine once. The {@link DefaultValue}s quote those
 * constants (compile-time constants, as annotations need), so that the binder and the generated
 * configuration metadata, which IDEs show, give the engine's defaults; the record built without the
 * binder, with nulls, gets the same from {@link #toSettings}.
 *
 * @param enabled whether to run the engine on this instance
 * @param nodeName name of this instance in the nodes table; defaults to {@code host:pid}
 * @param pollInterval how often this instance looks for work and schedule changes it was not
 *     notified of, when it cannot be notified (poll-only, or its LISTEN connection down); while it
 *     listens, every 30 seconds or this, whichever is longer
 * @param pollOnly whether to rely on polling alone, without LISTEN/NOTIFY, as behind PgBouncer in
 *     transaction mode
 * @param heartbeatInterval how often this instance records that it is alive
 * @param deadNodeTimeout how old an instance's heartbeat may get before its running jobs are
 *     re-queued; at least twice the heartbeat interval
 * @param shutdownTimeout how long a graceful shutdown waits for running jobs before re-queuing
 *     them
 * @param completionBatchSize most job outcomes written in one statement
 * @param completionWriters how many statements writing job outcomes may be under way at once on
 *     each instance, each on a connection of its own; when unset, a quarter of the cores, at least 2
 *     and at most 8
 * @param networkTimeout how long one of Taskbound's own statements may wait for the database to
 *     answer before its connection counts as broken, so that a connection that silently stops
 *     carrying traffic never hangs the engine
 * @param figuresInterval how often this instance publishes its lanes' figures for the dashboard and
 *     {@code JobQueries.lanes()}, and how often queued jobs are counted while someone reads them
 * @param lanes lanes by name: the eleven defaults (one per bound type) can be changed and new ones
 *     added
 * @param routes the lane of each bound type, where it is not the lane of the same name
 * @param retention how long finished jobs are kept
 * @param schema how the job store's tables are created and migrated
 * @param scheduling how recurring schedules fire
 * @param jobLogger prefix of the SLF4J loggers that jobs' JobContext log lines are also written to,
 *     at info, as {@code <prefix>.<job name>}, with the job in the MDC; empty to keep them only in
 *     the jobs' stored logs
 */
@ConfigurationProperties("taskbound")
public record TaskboundProperties(
        @DefaultValue("true") @Nullable Boolean enabled,
        @Nullable String nodeName,

        @DefaultValue(TaskboundSettings.DEFAULT_POLL_INTERVAL_SECONDS + "s") @Nullable
        Duration pollInterval,

        @DefaultValue("" + TaskboundSettings.DEFAULT_POLL_ONLY) @Nullable
        Boolean pollOnly,

        @DefaultValue(TaskboundSettings.DEFAULT_HEARTBEAT_INTERVAL_SECONDS + "s") @Nullable
        Duration heartbeatInterval,

        @DefaultValue(TaskboundSettings.DEFAULT_DEAD_NODE_TIMEOUT_SECONDS + "s") @Nullable
        Duration deadNodeTimeout,

        @DefaultValue(TaskboundSettings.DEFAULT_SHUTDOWN_TIMEOUT_SECONDS + "s") @Nullable
        Duration shutdownTimeout,

        @DefaultValue("" + TaskboundSettings.DEFAULT_COMPLETION_BATCH_SIZE) @Nullable
        Integer completionBatchSize,

        @Nullable Integer completionWriters,

        @DefaultValue(TaskboundSettings.DEFAULT_NETWORK_TIMEOUT_SECONDS + "s") @Nullable
        Duration networkTimeout,

        @DefaultValue(TaskboundSettings.DEFAULT_FIGURES_INTERVAL_SECONDS + "s") @Nullable
        Duration figuresInterval,

        @Nullable Map<String, Lane> lanes,
        @Nullable Map<Bound, String> routes,
        @Nullable Retention retention,
        @Nullable Schema schema,
        @Nullable Scheduling scheduling,
        @DefaultValue(JobLines.DEFAULT_PREFIX) @Nullable String jobLogger) {

    /**
     * One lane. Unset values of a default lane keep its default; a new lane must set at least its
     * executor and concurrency.
     *
     * @param executor executor that runs the lane's jobs: virtual (a virtual thread per job), platform
     *     (a pool of platform threads), process (a pool of worker JVMs, one job each at a time), or
     *     the bean name of a JobExecutor of the application's
     * @param concurrency jobs the lane runs at once on each instance, whatever its executor; jobs
     *     claimed beyond it wait on the instance for a free slot
     * @param priority precedence of the lane, 0 to 100; a hint for its threads' scheduling
     * @param batchSize most jobs claimed in one statement, and most held on each instance when larger
     *     than concurrency. When unset on a default lane whose concurrency is set, the lane's default
     *     batch size scaled by the new concurrency over its default concurrency, rounded up; when
     *     unset on a new lane, its concurrency, at most 100
     * @param timeout how long a run may take before it is interrupted; unset for no limit
     * @param maxAttempts attempts before a job is dead, the first run included
     * @param initialBackoff delay before the first retry; each next retry waits twice as long
     * @param maxBackoff longest delay between retries
     * @param process the worker JVMs of a lane whose executor is process; set on any other lane, it
     *     fails start-up
     */
    public record Lane(
            @Nullable String executor,
            @Nullable Integer concurrency,
            @Nullable Integer priority,
            @Nullable Integer batchSize,
            @Nullable Duration timeout,
            @Nullable Integer maxAttempts,
            @Nullable Duration initialBackoff,
            @Nullable Duration maxBackoff,
            @Nullable ProcessWorkers process) {}

    /**
     * The worker JVMs of a lane on the {@code process} executor. Unset values keep the defaults of
     * {@link ProcessSettings#defaults}, which live in the engine once.
     *
     * @param workers worker JVMs at most, each running one job at a time; when unset, the lane's
     *     concurrency
     * @param heap each worker's heap, as -Xmx takes it: a whole number with an optional k, m, g or t,
     *     such as 256m or 2g; when unset, {@value ProcessSettings#DEFAULT_HEAP}
     * @param jvmOptions further options for each worker's JVM, such as -XX:+UseSerialGC
     * @param eagerStart whether the workers start with the lane rather than at its first jobs
     * @param maxJobsPerWorker jobs a worker runs before a fresh one replaces it, so that what jobs leak
     *     does not pile up; when unset, {@value ProcessSettings#DEFAULT_MAX_JOBS_PER_WORKER}
     * @param startTimeout how long a worker may take to say it is ready before it counts as failed;
     *     when unset, {@link ProcessSettings#DEFAULT_START_TIMEOUT}
     * @param recycleAboveHeap heap in use after a job above which the worker is replaced by a fresh
     *     one, written as heap is (200m); below heap. When unset, workers are not recycled for it
     * @param idleTimeout how long a worker may wait for a job before it is closed (a lazy lane) or
     *     replaced by a fresh one (an eager lane, for a worker that ran jobs). When unset, idle
     *     workers are kept
     * @param aotCache a directory where the lane keeps a JDK AOT cache of its workers' classes: it
     *     records one with its first worker and makes it once that worker has exited, and the workers
     *     started after that use it. Needs JDK 24 or later and an application started from jars (not
     *     from class directories, and not as an executable jar: extract it first). When unset, the
     *     workers use the application's own AOT or class-data cache, if it has one
     */
    public record ProcessWorkers(
            @Nullable Integer workers,
            @Nullable String heap,
            @Nullable List<String> jvmOptions,
            @Nullable Boolean eagerStart,
            @Nullable Integer maxJobsPerWorker,
            @Nullable Duration startTimeout,
            @Nullable String recycleAboveHeap,
            @Nullable Duration idleTimeout,
            @Nullable Path aotCache) {

        /**
         * {@code defaults} with what is set here applied over them; a value the engine would refuse
         * fails naming its property, {@code taskbound.lanes.<lane>.process.<name>}.
         */
        ProcessSettings over(String lane, ProcessSettings defaults) {
            String prefix = "taskbound.lanes." + lane + ".process.";
            ProcessSettings settings = defaults;
            settings = apply(settings, workers, ProcessSettings::withWorkers, prefix + "workers");
            settings = apply(settings, heap, ProcessSettings::withHeap, prefix + "heap");
            settings = apply(settings, jvmOptions, ProcessSettings::withJvmOptions, prefix + "jvm-options");
            settings = apply(settings, eagerStart, ProcessSettings::withEagerStart, prefix + "eager-start");
            settings = apply(
                    settings, maxJobsPerWorker, ProcessSettings::withMaxJobsPerWorker, prefix + "max-jobs-per-worker");
            settings = apply(settings, startTimeout, ProcessSettings::withStartTimeout, prefix + "start-timeout");
            settings = apply(
                    settings, recycleAboveHeap, ProcessSettings::withRecycleAboveHeap, prefix + "recycle-above-heap");
            settings = apply(settings, idleTimeout, ProcessSettings::withIdleTimeout, prefix + "idle-timeout");
            return apply(settings, aotCache, ProcessSettings::withAotCache, prefix + "aot-cache");
        }

        // The engine's record holds the rules, once; this only says which property broke one.
        private static <T> ProcessSettings apply(
                ProcessSettings settings,
                @Nullable T value,
                BiFunction<ProcessSettings, T, ProcessSettings> with,
                String property) {
            if (value == null) {
                return settings;
            }
            try {
                return with.apply(settings, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid " + property + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * How long finished jobs are kept before they are deleted.
     *
     * @param succeeded retention of succeeded jobs
     * @param cancelled retention of cancelled jobs
     * @param dead retention of dead jobs, which failed their last attempt
     * @param pruneInterval how often expired jobs are deleted
     */
    public record Retention(
            @DefaultValue(TaskboundSettings.DEFAULT_SUCCEEDED_RETENTION_DAYS + "d") @Nullable
            Duration succeeded,

            @DefaultValue(TaskboundSettings.DEFAULT_CANCELLED_RETENTION_DAYS + "d") @Nullable
            Duration cancelled,

            @DefaultValue(TaskboundSettings.DEFAULT_DEAD_RETENTION_DAYS + "d") @Nullable
            Duration dead,

            @DefaultValue(TaskboundSettings.DEFAULT_PRUNE_INTERVAL_MINUTES + "m") @Nullable
            Duration pruneInterval) {}

    /**
     * The job store's tables.
     *
     * @param migrate whether Taskbound creates and migrates its tables with its own Flyway run at
     *     start-up; off when the application applies the SQL itself
     */
    public record Schema(@DefaultValue("true") @Nullable Boolean migrate) {}

    /**
     * Recurring schedules.
     *
     * @param misfireThreshold how late a schedule's only due fire time may be when a node fires it
     *     and still count as on time; when it is later, or when several fire times are due at once,
     *     the schedule's misfire policy decides which of them fire
     */
    public record Scheduling(
            @DefaultValue(TaskboundSettings.DEFAULT_MISFIRE_THRESHOLD_MINUTES + "m") @Nullable
            Duration misfireThreshold) {}

    /** Whether the engine runs on this instance. */
    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    /** Whether Taskbound migrates its own tables at start-up. */
    public boolean migratesSchema() {
        return schema == null || schema.migrate() == null || schema.migrate();
    }

    /**
     * The worker JVMs of {@code lane}, a lane on the {@code process} executor: {@code defaults}, which
     * the engine derives from the lane's concurrency, with the lane's process properties applied over
     * them. Fits {@link io.taskbound.engine.TaskboundEngine.Builder#processWorkers}.
     */
    public ProcessSettings processWorkers(String lane, ProcessSettings defaults) {
        Lane properties = lanes == null ? null : lanes.get(lane);
        return properties == null || properties.process() == null
                ? defaults
                : properties.process().over(lane, defaults);
    }

    /** The engine's settings: the defaults, with what is set here applied over them. */
    public TaskboundSettings toSettings(int cores) {
        TaskboundSettings defaults = TaskboundSettings.defaults(cores);
        Map<String, LaneSettings> laneSettings = new LinkedHashMap<>(defaults.lanes());
        if (lanes != null) {
            lanes.forEach((name, lane) -> laneSettings.put(name, merge(name, laneSettings.get(name), lane)));
        }
        Map<Bound, String> routed = new EnumMap<>(defaults.routes());
        if (routes != null) {
            routed.putAll(routes);
        }
        Retention kept = retention != null ? retention : new Retention(null, null, null, null);
        Map<JobState, Duration> retained = new EnumMap<>(JobState.class);
        retained.putAll(defaults.retention());
        put(retained, JobState.SUCCEEDED, kept.succeeded());
        put(retained, JobState.CANCELLED, kept.cancelled());
        put(retained, JobState.DEAD, kept.dead());
        return new TaskboundSettings(
                nodeName,
                or(pollInterval, defaults.pollInterval()),
                or(pollOnly, defaults.pollOnly()),
                or(heartbeatInterval, defaults.heartbeatInterval()),
                or(deadNodeTimeout, defaults.deadNodeTimeout()),
                or(shutdownTimeout, defaults.shutdownTimeout()),
                or(completionBatchSize, defaults.completionBatchSize()),
                or(completionWriters, defaults.completionWriters()),
                laneSettings,
                routed,
                retained,
                or(kept.pruneInterval(), defaults.pruneInterval()),
                or(scheduling == null ? null : scheduling.misfireThreshold(), defaults.misfireThreshold()),
                or(networkTimeout, defaults.networkTimeout()),
                or(figuresInterval, defaults.figuresInterval()));
    }

    private static LaneSettings merge(String name, @Nullable LaneSettings base, Lane lane) {
        if (base == null && (lane.executor() == null || lane.concurrency() == null)) {
            throw new IllegalArgumentException(
                    "New lane taskbound.lanes." + name
                            + " must set at least executor (virtual, platform, process or a JobExecutor bean's name) and concurrency");
        }
        LaneSettings merged = mergeLane(name, base, lane);
        if (lane.process() != null) {
            checkProcess(name, merged, lane.process());
        }
        return merged;
    }

    private static LaneSettings mergeLane(String name, @Nullable LaneSettings base, Lane lane) {
        try {
            // A lane given only a new concurrency claims in proportion to it: the default batch of a
            // thousand-thread lane would otherwise be held by a lane of a few.
            LaneSettings scaled =
                    base == null || lane.concurrency() == null ? base : base.withConcurrency(lane.concurrency());
            return new LaneSettings(
                    or(lane.executor(), base == null ? null : base.executor()),
                    or(lane.concurrency(), base == null ? null : base.concurrency()),
                    or(lane.priority(), base == null ? 50 : base.priority()),
                    or(lane.batchSize(), scaled == null ? Math.min(100, lane.concurrency()) : scaled.batchSize()),
                    lane.timeout() != null ? lane.timeout() : base == null ? null : base.timeout(),
                    or(lane.maxAttempts(), base == null ? LaneSettings.DEFAULT_MAX_ATTEMPTS : base.maxAttempts()),
                    or(
                            lane.initialBackoff(),
                            base == null ? LaneSettings.DEFAULT_INITIAL_BACKOFF : base.initialBackoff()),
                    or(lane.maxBackoff(), base == null ? LaneSettings.DEFAULT_MAX_BACKOFF : base.maxBackoff()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid taskbound.lanes." + name + ": " + e.getMessage(), e);
        }
    }

    // Worker settings on a lane that runs no workers would be silently ignored, most likely because
    // the executor was forgotten or mistyped: that is a misconfiguration, and a warning in a start-up
    // log is easy to miss, so it fails like a lane naming an executor that does not exist.
    private static void checkProcess(String name, LaneSettings merged, ProcessWorkers process) {
        if (merged.executorKind().filter(kind -> kind == ExecutorKind.PROCESS).isEmpty()) {
            throw new IllegalArgumentException("taskbound.lanes." + name + ".process is set, but lane \"" + name
                    + "\" runs on executor \"" + merged.executor()
                    + "\", which has no worker JVMs: set taskbound.lanes."
                    + name + ".executor=process, or remove taskbound.lanes." + name + ".process.*");
        }
        // Checked now, against the defaults the engine will give the lane, so that a bad value fails
        // start-up rather than the lane's start.
        process.over(name, ProcessSettings.defaults(merged.concurrency()));
    }

    private static void put(Map<JobState, Duration> retained, JobState state, @Nullable Duration value) {
        if (value != null) {
            retained.put(state, value);
        }
    }

    private static <T> T or(@Nullable T value, T fallback) {
        return value != null ? value : fallback;
    }
}
