package io.taskbound.testing;

import io.taskbound.AttemptInfo;
import io.taskbound.JobDetails;
import io.taskbound.JobExecutor;
import io.taskbound.JobInfo;
import io.taskbound.JobLogLine;
import io.taskbound.JobQueries;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.loop.Loop;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.StandalonePersistence;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One engine over a database, as an application instance would run it, without Spring Boot: a JPA
 * persistence unit with the job store's entities, a JPA transaction manager, and the given beans'
 * {@code @Job} methods registered.
 */
public final class TestEngine implements AutoCloseable {

    private final TaskboundEngine engine;
    private final StandalonePersistence persistence;

    private TestEngine(
            DataSource dataSource,
            TaskboundSettings settings,
            @Nullable InstantSource clock,
            InstantSource wallClock,
            RandomGenerator random,
            Map<String, JobExecutor> executors,
            Object... beans) {
        this(dataSource, settings, clock, wallClock, random, builder -> executors.forEach(builder::executor), beans);
    }

    private TestEngine(
            DataSource dataSource,
            TaskboundSettings settings,
            @Nullable InstantSource clock,
            InstantSource wallClock,
            RandomGenerator random,
            Consumer<TaskboundEngine.Builder> customizer,
            Object... beans) {
        this.persistence = StandalonePersistence.open(dataSource);
        JobRegistry registry = new JobRegistry(settings);
        for (Object bean : beans) {
            registry.register(bean, bean.getClass());
        }
        TaskboundEngine.Builder builder = TaskboundEngine.builder()
                .registry(registry)
                .dataSource(dataSource)
                .entityManagerFactory(persistence.entityManagerFactory())
                .transactionManager(persistence.transactionManager())
                .clock(clock)
                .wallClock(wallClock)
                .random(random);
        customizer.accept(builder);
        this.engine = builder.build();
    }

    /**
     * An engine that is built but not started: its store and {@link #jobs()} work, nothing runs.
     * For store contract tests, and for jobs enqueued "before an engine exists".
     */
    public static TestEngine create(
            DataSource dataSource,
            TaskboundSettings settings,
            @Nullable InstantSource clock,
            RandomGenerator random,
            Object... beans) {
        return new TestEngine(dataSource, settings, clock, InstantSource.system(), random, Map.of(), beans);
    }

    /** An engine with {@code settings} and executors registered by name, built but not started. */
    public static TestEngine createWithExecutors(
            DataSource dataSource, TaskboundSettings settings, Map<String, JobExecutor> executors, Object... beans) {
        return new TestEngine(
                dataSource, settings, null, InstantSource.system(), RandomGenerator.getDefault(), executors, beans);
    }

    /** An engine with {@code settings} and executors registered by name, started. */
    public static TestEngine startWithExecutors(
            DataSource dataSource, TaskboundSettings settings, Map<String, JobExecutor> executors, Object... beans) {
        TestEngine engine = createWithExecutors(dataSource, settings, executors, beans);
        engine.engine.start();
        return engine;
    }

    /** An engine with {@code settings}, started. */
    public static TestEngine start(DataSource dataSource, TaskboundSettings settings, Object... beans) {
        return start(dataSource, settings, null, RandomGenerator.getDefault(), beans);
    }

    public static TestEngine start(
            DataSource dataSource,
            TaskboundSettings settings,
            @Nullable InstantSource clock,
            RandomGenerator random,
            Object... beans) {
        TestEngine engine =
                new TestEngine(dataSource, settings, clock, InstantSource.system(), random, Map.of(), beans);
        engine.engine.start();
        return engine;
    }

    /**
     * An engine on a node whose wall clock is {@code wallClock} (say, the system clock 5 s ahead)
     * while the database keeps its own, started.
     */
    public static TestEngine startWithWallClock(
            DataSource dataSource, TaskboundSettings settings, InstantSource wallClock, Object... beans) {
        TestEngine engine =
                new TestEngine(dataSource, settings, null, wallClock, RandomGenerator.getDefault(), Map.of(), beans);
        engine.engine.start();
        return engine;
    }

    /**
     * An engine with {@code settings} on {@code clock} (null: the database's), whose builder {@code
     * customizer} changes before it is built (to add job listeners, say), started.
     */
    public static TestEngine startWith(
            DataSource dataSource,
            TaskboundSettings settings,
            @Nullable InstantSource clock,
            Consumer<TaskboundEngine.Builder> customizer,
            Object... beans) {
        TestEngine engine = new TestEngine(
                dataSource, settings, clock, InstantSource.system(), RandomGenerator.getDefault(), customizer, beans);
        engine.engine.start();
        return engine;
    }

    /** An engine with default settings, started. */
    public static TestEngine start(DataSource dataSource, Object... beans) {
        return start(dataSource, TaskboundSettings.defaults(), beans);
    }

    public Jobs jobs() {
        return engine.jobs();
    }

    public TaskboundEngine engine() {
        return engine;
    }

    /** What is stored about a job; fails if it is not stored. */
    public JobInfo info(UUID jobId) {
        return engine.jobs().info(jobId).orElseThrow(() -> new AssertionError("Job " + jobId + " is not stored"));
    }

    /** The failed attempts of a job, oldest first, through the public read side. */
    public List<AttemptInfo> attempts(UUID jobId) {
        return engine.jobs().queries().details(jobId).map(JobDetails::attempts).orElse(List.of());
    }

    /** Every log line of a job, oldest first, through the public read side. */
    public List<JobLogLine> logs(UUID jobId) {
        return engine.jobs()
                .queries()
                .logs(jobId, null, JobQueries.MAX_PAGE_SIZE)
                .items();
    }

    /** Waits until the job's stored state matches {@code condition}, and returns it. */
    public JobInfo awaitInfo(UUID jobId, Predicate<JobInfo> condition) {
        return Awaitility.await("job " + jobId)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> engine.jobs().info(jobId).orElse(null), info -> info != null && condition.test(info));
    }

    /** Waits until the job is in {@code state}, and returns what is stored about it. */
    public JobInfo awaitState(UUID jobId, JobState state) {
        return awaitInfo(jobId, info -> info.state() == state);
    }

    public TransactionTemplate transactions() {
        return new TransactionTemplate(persistence.transactionManager());
    }

    public EntityManagerFactory entityManagerFactory() {
        return persistence.entityManagerFactory();
    }

    /** Stops the engine gracefully and closes its persistence unit. */
    @Override
    public void close() {
        engine.stop();
        persistence.close();
    }

    /** Stops the engine as a crash would, leaving its node row and running jobs behind. */
    public void crash() {
        engine.halt();
        // A crashed node beats no more: wait until its heartbeat's thread has ended, or a heartbeat it
        // had under way could land after the test has made the node's heartbeat old.
        Awaitility.await("the crashed node's heartbeat to end")
                .atMost(Duration.ofSeconds(30))
                .until(() -> engine.loops().stream()
                        .filter(loop -> loop.name().contains("heartbeat"))
                        .noneMatch(Loop.Status::alive));
        persistence.close();
    }
}
