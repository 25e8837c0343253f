package io.taskbound.engine;

import io.taskbound.JobExecutor;
import io.taskbound.JobListener;
import io.taskbound.Jobs;
import io.taskbound.WorkerInfo;
import io.taskbound.advice.Advisor;
import io.taskbound.advice.LaneLoad;
import io.taskbound.cluster.DatabaseClock;
import io.taskbound.cluster.DeadNodeSweeper;
import io.taskbound.cluster.Heartbeat;
import io.taskbound.cluster.NotificationListener;
import io.taskbound.cluster.Reachability;
import io.taskbound.command.CommandJob;
import io.taskbound.event.EventQueue;
import io.taskbound.event.EventStats;
import io.taskbound.event.JobEvents;
import io.taskbound.figures.FiguresCollector;
import io.taskbound.figures.FiguresReader;
import io.taskbound.figures.RunTally;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.JobCatalog;
import io.taskbound.lane.Dispatcher;
import io.taskbound.lane.DueWorkPoller;
import io.taskbound.lane.LaneExecutors;
import io.taskbound.loop.Loop;
import io.taskbound.loop.LoopSupervisor;
import io.taskbound.process.ProcessSettings;
import io.taskbound.process.WorkerBoot;
import io.taskbound.query.StoreQueries;
import io.taskbound.registry.JobRegistry;
import io.taskbound.run.Completer;
import io.taskbound.run.JobLines;
import io.taskbound.run.JobRunner;
import io.taskbound.run.ResultWaiters;
import io.taskbound.run.RunningJobs;
import io.taskbound.schedule.FirePlanner;
import io.taskbound.schedule.ScheduleFirer;
import io.taskbound.schedule.ScheduleReconciler;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.FigureStore;
import io.taskbound.store.JobAdministration;
import io.taskbound.store.JobStore;
import io.taskbound.store.NodeStore;
import io.taskbound.store.RetentionPruner;
import io.taskbound.store.ScheduleStore;
import io.taskbound.store.StoreSession;
import io.taskbound.trace.JobTracing;
import jakarta.persistence.EntityManagerFactory;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine on one node: a dispatcher and executor per lane, the poller that looks for every lane's
 * unannounced work, the completer, the heartbeat, the dead-node sweeper, the retention pruner and
 * the LISTEN connection. Build it with {@link #builder()}; Spring starts and stops it as a {@link
 * SmartLifecycle}.
 */
public final class TaskboundEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskboundEngine.class);

    private final TaskboundSettings settings;
    private final JobRegistry registry;
    private final DataSource dataSource;
    private final JobStore store;
    private final NodeStore nodes;
    private final UUID nodeId = UUID.randomUUID();
    private final String nodeName;
    private final RunningJobs running = new RunningJobs();
    private final ResultWaiters waiters;
    private final Completer completer;
    private final FiguresCollector figures;
    private final JobRunner runner;
    private final DefaultJobs jobs;
    private final ScheduleStore schedules;
    private final RandomGenerator random;
    private final DatabaseClock databaseClock;
    private final List<Supplier<? extends Collection<? extends JobListener>>> listeners;
    private final int eventQueueCapacity;
    private final InstantSource eventClock;
    private final @Nullable Advisor advisor;
    private final JobTracing tracing;
    private volatile @Nullable JobEvents events;
    private final LaneExecutors laneExecutors;
    // With a test clock that jumps, timers set from the database's time mean nothing: only looking
    // finds work made due by moving the clock, so the node looks every poll interval.
    private final boolean movedClock;
    private final Wakeups wakeups;
    private final Map<String, Dispatcher> dispatchers = new LinkedHashMap<>();
    private final List<Loop> services = new ArrayList<>();
    private @Nullable LoopSupervisor supervisor;
    private volatile boolean started;
    private final boolean autoStartup;

    private TaskboundEngine(Builder builder) {
        this.registry = Objects.requireNonNull(builder.registry, "registry");
        this.settings = registry.settings();
        // On every engine, so that any node enqueues commands and every node that runs jobs runs them.
        registry.registerBuiltIn(new CommandJob(), CommandJob.class);
        // At build time, so that a lane naming an executor nobody registered fails the start-up.
        this.laneExecutors = new LaneExecutors(builder.executors, registry, builder.processWorkers, builder.workerBoot);
        laneExecutors.check(settings.lanes());
        this.dataSource = Objects.requireNonNull(builder.dataSource, "dataSource");
        StoreSession session = new StoreSession(
                dataSource,
                Objects.requireNonNull(builder.entityManagerFactory, "entityManagerFactory"),
                Objects.requireNonNull(builder.transactionManager, "transactionManager"),
                builder.clock,
                settings.networkTimeout());
        this.store = new JobStore(session);
        this.nodes = new NodeStore(session);
        this.databaseClock = new DatabaseClock(nodes, builder.wallClock);
        this.wakeups = new Wakeups(dispatchers, databaseClock, running, settings.pollInterval(), builder.clock != null);
        this.nodeName = settings.nodeName() != null ? settings.nodeName() : defaultNodeName();
        ArgumentCodec codec = new ArgumentCodec(builder.mapper);
        Duration resultPoll = settings.pollInterval().compareTo(Duration.ofMillis(200)) < 0
                ? settings.pollInterval()
                : Duration.ofMillis(200);
        this.waiters = new ResultWaiters(store, resultPoll);
        this.completer =
                new Completer(store, waiters, nodeId, settings.completionBatchSize(), settings.completionWriters());
        InstantSource testClock = builder.clock;
        RunTally tally = new RunTally(
                testClock != null
                        ? () -> ChronoUnit.MICROS.between(Instant.EPOCH, testClock.instant())
                        : databaseClock::nowMicros);
        this.runner = new JobRunner(
                registry,
                codec,
                settings,
                completer,
                running,
                tally,
                session::localNow,
                builder.random,
                builder.jobLines);
        FigureStore figureStore = new FigureStore(session);
        this.figures = new FiguresCollector(tally, running::loads, figureStore, nodeId, settings.figuresInterval());
        this.schedules = new ScheduleStore(session, store);
        this.random = builder.random;
        JobAdministrator administrator = new JobAdministrator(
                new JobAdministration(session, store),
                store,
                running,
                settings.lanes().keySet());
        this.advisor = builder.advisor == null ? null : new Advisor(registry, builder.advisor);
        runner.advise(advisor);
        this.tracing = builder.tracing.apply(registry);
        runner.trace(tracing);
        this.jobs = new DefaultJobs(
                advisor == null ? Advisor.off() : advisor,
                registry,
                codec,
                store,
                waiters,
                running,
                schedules,
                new StoreQueries(session, store, new FiguresReader(figureStore, figures, settings.figuresInterval())),
                administrator,
                (lane, dueAtNanos) -> wakeups.wakeAt(lane, dueAtNanos),
                tracing);
        this.listeners = List.copyOf(builder.listeners);
        this.eventQueueCapacity = builder.eventQueueCapacity;
        this.eventClock = builder.clock != null ? builder.clock : databaseClock::now;
        this.movedClock = builder.clock != null;
        this.autoStartup = builder.autoStartup;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The programmatic API. */
    public Jobs jobs() {
        return jobs;
    }

    public UUID nodeId() {
        return nodeId;
    }

    public String nodeName() {
        return nodeName;
    }

    public TaskboundSettings settings() {
        return settings;
    }

    public JobRegistry registry() {
        return registry;
    }

    public JobStore store() {
        return store;
    }

    public NodeStore nodes() {
        return nodes;
    }

    @Override
    public void start() {
        if (started) {
            return;
        }
        // A node without jobs of its own only enqueues: it runs no lanes, so not even the built-in
        // command job (a web-only node does not run commands on its host), and it must not
        // reconcile schedules: as the newest code seen, its empty set would delete every declared one.
        boolean runsJobs = !registry.applicationNames().isEmpty();
        ScheduleReconciler reconciler = runsJobs
                ? new ScheduleReconciler(schedules, registry.recurring(), nodeId, settings.deadNodeTimeout())
                : null;
        // Before the LISTEN connection starts: announcements of delayed jobs are timed by it.
        databaseClock.read();
        // Registered first, with the schedules its code declares: a node of other code starting
        // meanwhile then sees this one when it reconciles, whichever takes the lock first.
        nodes.register(nodeId, nodeName, reconciler == null ? null : reconciler.scheduleSet());
        if (reconciler != null) {
            try {
                reconciler.reconcile();
            } catch (RuntimeException e) {
                nodes.deregister(nodeId);
                throw e;
            }
        }
        startEvents();
        runner.start();
        if (runsJobs && advisor != null) {
            advisor.start();
        }
        if (runsJobs) {
            // Every lane claims every job this node knows: a job's lane may be chosen per call.
            settings.lanes().forEach((lane, laneSettings) -> dispatchers.put(lane, dispatcher(lane, laneSettings)));
            List<Dispatcher> lanes = List.copyOf(dispatchers.values());
            completer.whenClaimsResume(() -> lanes.forEach(Dispatcher::wake));
            DueWorkPoller poller = new DueWorkPoller(store, dispatchers, registry.names(), wakeups::pollInterval);
            services.add(poller);
            ScheduleFirer firer = new ScheduleFirer(
                    schedules,
                    registry.names(),
                    new FirePlanner(registry, settings, random, tracing),
                    wakeups::pollInterval,
                    jobs::wakeAfterCommit);
            services.add(firer);
            wakeups.lookWith(poller, firer);
            if (advisor != null) {
                services.add(advisor.watchLanes(this::laneLoads, jobs.lanes()::paused));
            }
        }
        services.add(waiters);
        services.addAll(completer.writers());
        // Known only now: the application's @Job methods may be registered after the engine was
        // built (Spring registers them once every bean exists). A node that runs no jobs runs no lanes.
        Map<String, Integer> capacities = new LinkedHashMap<>();
        dispatchers.forEach(
                (lane, dispatcher) -> capacities.put(lane, dispatcher.settings().concurrency()));
        figures.runLanes(capacities, this::workers);
        // The node's row is new: its figures are written at the first tick, changed or not.
        figures.republish();
        services.add(figures);
        Reachability reachability = new Reachability();
        services.add(new Heartbeat(
                nodes,
                store,
                running,
                completer::unwrittenJobIds,
                nodeId,
                nodeName,
                reconciler == null ? null : reconciler.scheduleSet(),
                databaseClock,
                settings.heartbeatInterval(),
                settings.networkTimeout().plusSeconds(1),
                reachability,
                () -> {
                    figures.republish();
                    wakeups.lookForWork();
                }));
        services.add(new DeadNodeSweeper(
                nodes,
                settings.deadNodeTimeout(),
                settings.heartbeatInterval(),
                movedClock ? settings.heartbeatInterval() : settings.deadNodeTimeout(),
                reachability,
                wakeups::lookForWork));
        services.add(new RetentionPruner(store, settings.retention(), settings.pruneInterval()));
        if (!settings.pollOnly()) {
            NotificationListener listener = new NotificationListener(
                    dataSource,
                    settings.networkTimeout(),
                    wakeups::laneAnnounced,
                    wakeups::cancelledElsewhere,
                    wakeups::schedulesChanged,
                    wakeups::notificationsMissed,
                    wakeups::notificationsMissed);
            services.add(listener);
            wakeups.listenWith(listener);
        }
        JobEvents current = events;
        if (current != null) {
            services.add(current.queue());
        }
        services.forEach(Loop::start);
        dispatchers.values().forEach(Loop::start);
        List<Loop> supervised = new ArrayList<>(services);
        supervised.addAll(dispatchers.values());
        supervisor = new LoopSupervisor(() -> supervised, Duration.ofSeconds(1));
        supervisor.start();
        started = true;
        log.info(
                "Taskbound node {} ({}) started: {} job(s) on lanes {}",
                nodeName,
                nodeId,
                registry.names().size(),
                dispatchers.keySet());
    }

    // Listeners are resolved now rather than when the engine was built: a listener bean may itself
    // depend on Jobs. The events are observed before anything runs; their loop starts with the others.
    private void startEvents() {
        List<JobListener> all = new ArrayList<>();
        listeners.forEach(source -> all.addAll(source.get()));
        events = JobEvents.attach(all, eventQueueCapacity, registry, eventClock, store, nodes, runner, completer);
    }

    private void detachEvents() {
        JobEvents current = events;
        if (current != null) {
            current.detach();
        }
    }

    private Dispatcher dispatcher(String lane, LaneSettings laneSettings) {
        return new Dispatcher(
                lane,
                laneSettings,
                laneExecutors.forLane(lane, laneSettings),
                store,
                registry.names(),
                nodeId,
                settings.pollInterval(),
                runner::hold,
                completer::acceptsClaims);
    }

    /**
     * Stops gracefully: no more claims, then up to {@code shutdownTimeout} for running jobs to end,
     * then the rest, and jobs claimed ahead that never started, are re-queued without charging the
     * attempt. The engine can be started again afterwards.
     */
    @Override
    public void stop() {
        if (!started) {
            return;
        }
        started = false;
        Duration grace = settings.shutdownTimeout();
        stopSupervisor();
        try {
            runner.stopStartingRuns();
            dispatchers.values().forEach(d -> d.stop(Duration.ofSeconds(5)));
            dispatchers.values().forEach(Dispatcher::close);
            long deadline = System.nanoTime() + grace.toNanos();
            boolean allEnded = true;
            for (JobExecutor executor : executors()) {
                try {
                    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                    allEnded &= executor.shutdown(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    allEnded = false;
                } catch (RuntimeException e) {
                    log.warn("Executor {} failed to shut down", executor, e);
                    allEnded = false;
                }
            }
            if (!allEnded) {
                runner.discardOutcomes();
                executors().forEach(JobExecutor::stopAll);
            }
            completer.stop(Duration.ofSeconds(5));
            completer.flush();
            int requeued = store.requeueRunning(nodeId);
            if (requeued > 0) {
                log.info("Re-queued {} job(s) not finished at shutdown (timeout {})", requeued, grace);
            }
        } finally {
            // Whatever failed above, the loops stop and the node leaves: the sweep of another node
            // recovers anything left running once this node's heartbeat is gone. The events loop
            // delivers what is queued as it stops.
            detachEvents();
            services.forEach(service -> service.stop(Duration.ofSeconds(5)));
            runner.stop();
            if (advisor != null) {
                advisor.stop();
            }
            running.clear();
            services.clear();
            dispatchers.clear();
            wakeups.detach();
            try {
                nodes.deregister(nodeId);
            } catch (RuntimeException e) {
                log.warn("Could not deregister node {} ({}); it will be swept as dead", nodeName, nodeId, e);
            }
        }
        log.info("Taskbound node {} ({}) stopped", nodeName, nodeId);
    }

    /**
     * Stops after the web server: requests in flight may still enqueue and await jobs while the
     * server drains them (Boot's graceful shutdown runs at {@code DEFAULT_PHASE - 1024}).
     */
    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /**
     * Stops at once, as a crash would: threads end, nothing is written, the node's row stays. Its
     * jobs are recovered by other nodes once its heartbeat is older than the dead-node timeout.
     * Meant for tests of crash recovery.
     */
    public void halt() {
        started = false;
        stopSupervisor();
        runner.discardOutcomes();
        detachEvents();
        dispatchers.values().forEach(d -> d.stop(Duration.ZERO));
        services.forEach(service -> service.stop(Duration.ZERO));
        executors().forEach(JobExecutor::stopAll);
        runner.stop();
        if (advisor != null) {
            advisor.stop();
        }
    }

    // Each executor once, though several lanes may share one registered by name.
    private Set<JobExecutor> executors() {
        Set<JobExecutor> executors = Collections.newSetFromMap(new IdentityHashMap<>());
        dispatchers.values().forEach(d -> executors.add(d.executor()));
        return executors;
    }

    private void stopSupervisor() {
        LoopSupervisor current = supervisor;
        if (current != null) {
            current.stop(Duration.ofSeconds(5));
            supervisor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }

    /**
     * The engine's background loops on this node (dispatchers, poller, completer, heartbeat, sweeper,
     * scheduler, listener, pruner, supervisor): whether each runs, and when its last iteration
     * succeeded. A loop that should run but whose thread ended is {@linkplain Loop.Status#dead()
     * dead} until the supervisor starts it again.
     */
    public List<Loop.Status> loops() {
        List<Loop.Status> loops = new ArrayList<>();
        dispatchers.values().forEach(loop -> loops.add(loop.status()));
        services.forEach(loop -> loops.add(loop.status()));
        LoopSupervisor current = supervisor;
        if (current != null) {
            loops.add(current.status());
        }
        return loops;
    }

    /** Wakes this node's dispatcher of {@code lane}, if it has one. */
    public void wake(String lane) {
        wakeups.wake(lane);
    }

    /**
     * Looks now, instead of at the next poll, for jobs that are due and for schedules whose fire time
     * has come. Nothing announces work that becomes due because a test moved the {@linkplain
     * Builder#clock clock}: a test that moved it calls this rather than wait up to a poll interval.
     */
    public void lookNow() {
        wakeups.notificationsMissed();
    }

    /**
     * Job events on this node since it started: queued, delivered, and dropped because the
     * listeners fell behind. {@link EventStats#NONE} without listeners.
     */
    public EventStats eventStats() {
        JobEvents current = events;
        return current == null ? EventStats.NONE : current.queue().stats();
    }

    /**
     * How far this node's wall clock runs behind the database's (negative: ahead), as last measured.
     * Taskbound's timers follow the database's clock whatever this says.
     */
    public Duration wallClockSkew() {
        return databaseClock.wallClockSkew();
    }

    /** Running and held jobs and capacity of each lane on this node, highest priority first. */
    public List<LaneStatus> lanes() {
        List<LaneStatus> lanes = new ArrayList<>();
        settings.lanes().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, LaneSettings> e) ->
                                -e.getValue().priority())
                        .thenComparing(Map.Entry::getKey))
                .forEach(entry -> {
                    String name = entry.getKey();
                    LaneSettings lane = entry.getValue();
                    Dispatcher dispatcher = dispatchers.get(name);
                    lanes.add(new LaneStatus(
                            name,
                            lane.executor(),
                            dispatcher == null ? 0 : dispatcher.running(),
                            dispatcher == null ? 0 : dispatcher.held(),
                            lane.concurrency(),
                            workers(name)));
                });
        return lanes;
    }

    // What each lane's dispatcher is doing now, for the advisor's lane watch.
    private List<LaneLoad> laneLoads() {
        return dispatchers.values().stream()
                .map(d -> new LaneLoad(d.lane(), d.settings().concurrency(), d.running(), d.held(), d.workWaiting()))
                .toList();
    }

    // The worker processes of a lane's executor on this node; none while the lane does not run.
    private List<WorkerInfo> workers(String lane) {
        Dispatcher dispatcher = dispatchers.get(lane);
        if (dispatcher == null) {
            return List.of();
        }
        try {
            return dispatcher.executor().workers();
        } catch (RuntimeException e) {
            // An executor of the application's that fails to say must not fail health or figures.
            log.debug("Executor {} of lane {} could not list its workers", dispatcher.executor(), lane, e);
            return List.of();
        }
    }

    /**
     * One lane on this node.
     *
     * @param name the lane's name
     * @param executor its executor: {@code VIRTUAL}, {@code PLATFORM} or the name of one registered
     * @param running jobs started here and not yet finished; never more than {@code capacity}
     * @param held jobs claimed by this node ahead of a free slot, not yet started
     * @param capacity jobs the lane runs at once here: its concurrency
     * @param workers the processes its executor runs jobs in here (the {@code process} executor's
     *     worker JVMs); none for thread lanes
     */
    public record LaneStatus(
            String name, String executor, int running, int held, int capacity, List<WorkerInfo> workers) {}

    private static String defaultNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** Assembles an engine from the application's persistence and the job registry. */
    public static final class Builder {

        private @Nullable JobRegistry registry;
        private @Nullable DataSource dataSource;
        private @Nullable EntityManagerFactory entityManagerFactory;
        private @Nullable PlatformTransactionManager transactionManager;
        private ObjectMapper mapper = JsonMapper.builder().build();
        private @Nullable InstantSource clock;
        private InstantSource wallClock = InstantSource.system();
        private RandomGenerator random = RandomGenerator.getDefault();
        private final List<Supplier<? extends Collection<? extends JobListener>>> listeners = new ArrayList<>();
        private int eventQueueCapacity = EventQueue.DEFAULT_CAPACITY;
        private final Map<String, JobExecutor> executors = new LinkedHashMap<>();
        private BiFunction<String, ProcessSettings, ProcessSettings> processWorkers = (lane, defaults) -> defaults;
        private WorkerBoot workerBoot = WorkerBoot.PLAIN;
        private boolean autoStartup = true;
        private JobLines jobLines = JobLines.under(JobLines.DEFAULT_PREFIX);
        private Advisor.@Nullable Settings advisor = Advisor.Settings.defaults();
        private Function<JobCatalog, JobTracing> tracing = catalog -> JobTracing.NONE;

        private Builder() {}

        /** Adds a listener told about the state changes of jobs on this node; see {@link JobListener}. */
        public Builder listener(JobListener listener) {
            Objects.requireNonNull(listener, "listener");
            listeners.add(() -> List.of(listener));
            return this;
        }

        /**
         * Adds the listeners {@code listeners} supplies when the engine starts, rather than now: for
         * listeners that are built after the engine (Spring beans that depend on {@code Jobs}).
         */
        public Builder listeners(Supplier<? extends Collection<? extends JobListener>> listeners) {
            this.listeners.add(Objects.requireNonNull(listeners, "listeners"));
            return this;
        }

        /**
         * How many job events wait for slow listeners before new ones are dropped; {@value
         * EventQueue#DEFAULT_CAPACITY} by default.
         */
        public Builder eventQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("The job event queue must hold at least 1 event, was " + capacity);
            }
            this.eventQueueCapacity = capacity;
            return this;
        }

        /**
         * Registers an executor of your own under {@code name}, for the lanes whose settings name it
         * ({@code taskbound.lanes.<lane>.executor=<name>}). Every lane naming it shares this one
         * instance; the engine shuts it down when it stops. The names {@code virtual}, {@code
         * platform} and {@code process} belong to the built-in executors.
         */
        public Builder executor(String name, JobExecutor executor) {
            executors.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(executor, "executor"));
            return this;
        }

        /**
         * The worker JVMs of each lane on the {@code process} executor: {@code customizer} takes the
         * lane's name and its defaults (as many workers as the lane's concurrency, {@value
         * ProcessSettings#DEFAULT_HEAP} of heap each, started at the lane's first jobs, replaced
         * after {@value ProcessSettings#DEFAULT_MAX_JOBS_PER_WORKER} jobs) and returns the settings.
         */
        public Builder processWorkers(BiFunction<String, ProcessSettings, ProcessSettings> customizer) {
            this.processWorkers = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * How the worker JVMs of process lanes make their jobs' objects: {@link WorkerBoot#PLAIN}
         * (each job class's public no-arg constructor) unless told otherwise; the Spring Boot
         * starter boots the application's context in each worker.
         */
        public Builder workerBoot(WorkerBoot workerBoot) {
            this.workerBoot = Objects.requireNonNull(workerBoot, "workerBoot");
            return this;
        }

        /**
         * Whether a Spring context starts the engine with itself; true by default. An engine that
         * is not started runs no jobs, yet its {@link #jobs()} enqueue and query them: what a
         * process lane's worker JVM, which runs only the jobs its lane hands it, needs.
         */
        public Builder autoStartup(boolean autoStartup) {
            this.autoStartup = autoStartup;
            return this;
        }

        public Builder registry(JobRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        public Builder entityManagerFactory(EntityManagerFactory entityManagerFactory) {
            this.entityManagerFactory = entityManagerFactory;
            return this;
        }

        public Builder transactionManager(PlatformTransactionManager transactionManager) {
            this.transactionManager = transactionManager;
            return this;
        }

        /** The JSON mapper for arguments and results; by default a plain Jackson mapper. */
        public Builder objectMapper(ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        /**
         * A clock to use instead of PostgreSQL's {@code now()}, for tests that move time. Every node
         * sharing a database must then use the same clock.
         */
        public Builder clock(@Nullable InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /**
         * This JVM's wall clock, the system clock by default: read only to measure how far it is
         * from the database's clock, never to time jobs. For tests of a node whose clock is off;
         * unlike {@link #clock}, it does not replace the database's time.
         */
        public Builder wallClock(InstantSource wallClock) {
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        /**
         * The prefix of the SLF4J loggers that jobs' {@code JobContext} log lines are also written
         * to, at info, as {@code <prefix>.<job name>}: by default {@value JobLines#DEFAULT_PREFIX};
         * null or blank to keep them only in the jobs' stored logs.
         */
        public Builder jobLogger(@Nullable String prefix) {
            this.jobLines = JobLines.under(prefix);
            return this;
        }

        /**
         * How the bound advisor looks at this node's runs ({@link io.taskbound.BoundAdvisor}); null to
         * turn it off. On by default, with {@link Advisor.Settings#defaults()}.
         */
        public Builder advisor(Advisor.@Nullable Settings advisor) {
            this.advisor = advisor;
            return this;
        }

        /**
         * What observes enqueues and runs, made from the jobs registered on this node: {@code
         * catalog -> new ObservedJobs(observationRegistry, catalog)} for Micrometer observations
         * and, with a tracing handler, spans whose context is stored with each job. None by default.
         */
        public Builder tracing(Function<JobCatalog, JobTracing> tracing) {
            this.tracing = Objects.requireNonNull(tracing, "tracing");
            return this;
        }

        /** The source of retry jitter. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public TaskboundEngine build() {
            return new TaskboundEngine(this);
        }
    }
}
