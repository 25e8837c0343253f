package io.taskbound.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskbound.Job;
import io.taskbound.JobState;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lane and schedule gauges on a real engine: running and capacity from this node, queued and
 * paused from the cluster, a process lane's workers, and how late an unfired schedule is.
 */
class LaneMetricsTest {

    public static class Work {
        final CountDownLatch release = new CountDownLatch(1);

        @Job(name = "lanes.blocks")
        public void blocks() throws InterruptedException {
            release.await(60, TimeUnit.SECONDS);
        }

        @Job(name = "lanes.quick")
        public void quick() {}
    }

    /** Runs in a worker JVM, made there by its no-arg constructor. */
    public static class WorkerJobs {
        @Job(name = "lanes.inWorker", lane = "worker", maxAttempts = 1)
        public int inWorker() {
            return 1;
        }
    }

    /** A job no started engine of the test runs, so that nothing fires its schedule. */
    public static class Unrun {
        @Job(name = "lanes.unrun")
        public void unrun() {}
    }

    private final Work work = new Work();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        TaskboundSettings settings = TestSettings.withFiguresInterval(TestSettings.fast(), Duration.ofMillis(200))
                .withLane(
                        "worker",
                        new LaneSettings("process", 1, 30, 1, null, 1, Duration.ofMillis(10), Duration.ofMillis(10)));
        engine = TestEngine.startWith(
                dataSource,
                settings,
                null,
                builder -> builder.processWorkers((lane, defaults) -> defaults.withHeap("64m")
                        .withJvmOptions(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))),
                work,
                new WorkerJobs());
        // Read at every gauge, so that a test sees each change as soon as the store has it.
        new LaneMetrics(engine.engine(), Duration.ZERO, InstantSource.system(), System::nanoTime).bindTo(meters);
    }

    @AfterEach
    void stop() {
        work.release.countDown();
        engine.close();
        dataSource.close();
    }

    @Test
    void runningFollowsTheLanesJobsOnThisNodeAndCapacityIsItsConcurrency() {
        assertThat(gauge(LaneMetrics.CAPACITY, "io"))
                .isEqualTo(engine.engine().settings().lane("io").concurrency());
        assertThat(gauge(LaneMetrics.RUNNING, "io")).isZero();

        engine.jobs().enqueue(Work::blocks);
        engine.jobs().enqueue(Work::blocks);
        awaitGauge(LaneMetrics.RUNNING, "io", 2);
        assertThat(gauge(LaneMetrics.RUNNING, "cpu")).isZero();

        work.release.countDown();
        awaitGauge(LaneMetrics.RUNNING, "io", 0);
    }

    @Test
    void pausedAndQueuedFollowTheLaneAcrossTheCluster() {
        assertThat(gauge(LaneMetrics.PAUSED, "io")).isZero();

        engine.jobs().lanes().pause("io");
        for (int i = 0; i < 3; i++) {
            engine.jobs().enqueue(Work::quick);
        }
        awaitGauge(LaneMetrics.PAUSED, "io", 1);
        awaitGauge(LaneMetrics.QUEUED, "io", 3);

        engine.jobs().lanes().resume("io");
        awaitGauge(LaneMetrics.PAUSED, "io", 0);
        awaitGauge(LaneMetrics.QUEUED, "io", 0);
    }

    @Test
    void aProcessLaneCountsItsWorkersByStateAndTheirHeap() {
        assertThat(meters.find(LaneMetrics.WORKERS).tag("lane", "io").gauges())
                .as("a thread lane has no workers")
                .isEmpty();
        assertThat(gauge(LaneMetrics.WORKERS, "worker", "state", "idle")).isZero();

        UUID id = engine.jobs().enqueue(WorkerJobs::inWorker).id();
        engine.awaitState(id, JobState.SUCCEEDED);

        awaitGauge(LaneMetrics.WORKERS, "worker", 1, "state", "idle");
        assertThat(gauge(LaneMetrics.WORKERS, "worker", "state", "busy")).isZero();
        assertThat(gauge(LaneMetrics.WORKERS_HEAP, "worker")).isPositive();
    }

    @Test
    void scheduleLatenessSaysHowLongTheMostOverdueScheduleHasGoneUnfired() {
        try (TestEngine idle =
                TestEngine.create(dataSource, TestSettings.fast(), null, RandomGenerator.getDefault(), new Unrun())) {
            SimpleMeterRegistry idleMeters = new SimpleMeterRegistry();
            new LaneMetrics(idle.engine(), Duration.ZERO, InstantSource.system(), System::nanoTime).bindTo(idleMeters);
            idle.jobs().recurring("lanes.late").every(Duration.ofSeconds(1)).call(Unrun::unrun);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> value(idleMeters, LaneMetrics.SCHEDULE_LATENESS), late -> late >= 1.0);

            idle.jobs().schedules().pause("lanes.late");
            assertThat(value(idleMeters, LaneMetrics.SCHEDULE_LATENESS)).isZero();
        }
    }

    private double gauge(String name, String lane, String... tags) {
        Gauge gauge = meters.find(name).tag("lane", lane).tags(tags).gauge();
        assertThat(gauge).as(name + " of lane " + lane).isNotNull();
        return gauge.value();
    }

    private void awaitGauge(String name, String lane, double expected, String... tags) {
        await(name + " of lane " + lane)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> gauge(name, lane, tags), value -> value == expected);
    }

    private static double value(SimpleMeterRegistry registry, String name) {
        return registry.get(name).gauge().value();
    }
}
