package io.taskbound.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobQueries;
import io.taskbound.LaneFigures;
import io.taskbound.LaneReport;
import io.taskbound.NodeInfo;
import io.taskbound.WorkFigures;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lanes' figures, published by each node and added up across the cluster. */
class LaneFiguresTest {

    public static class Work {
        final CountDownLatch release = new CountDownLatch(1);

        @Job(name = "work.block", lane = "narrow")
        public void block() throws InterruptedException {
            release.await();
        }

        @Job(name = "work.tenth", lane = "narrow")
        public void tenthOfASecond() throws InterruptedException {
            // The job's own run time, which the figures must report; not a wait of the test.
            Thread.sleep(100);
        }

        @Job(name = "work.fail", lane = "narrow", maxAttempts = 2)
        public void fail() {
            throw new IllegalStateException("fails on purpose");
        }
    }

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : closing.reversed()) {
            resource.close();
        }
    }

    /** Fast settings with a lane "narrow" of two slots, whose figures are published every 200 ms. */
    private static TaskboundSettings settings(Duration figuresInterval) {
        TaskboundSettings fast = TestSettings.fast()
                .withLane(
                        "narrow",
                        new LaneSettings(
                                ExecutorKind.VIRTUAL, 2, 50, 2, null, 2, Duration.ofMillis(10), Duration.ofMillis(10)));
        return TestSettings.withFiguresInterval(fast, figuresInterval);
    }

    private TestEngine started(HikariDataSource pool, TaskboundSettings settings, Work work) {
        TestEngine engine = TestEngine.start(pool, settings, work);
        closing.add(engine);
        return engine;
    }

    private HikariDataSource database() {
        HikariDataSource pool = TestDatabase.create();
        closing.add(pool);
        return pool;
    }

    private static LaneFigures narrow(JobQueries queries) {
        return queries.lanes().lane("narrow").orElseThrow();
    }

    @Test
    void runningHeldAndQueuedJobsAreCountedPerLaneAndJobNameAcrossNodes() {
        HikariDataSource poolA = database();
        HikariDataSource poolB = TestDatabase.anotherPool(poolA);
        closing.add(poolB);
        Work work = new Work();
        TestEngine a = started(poolA, settings(Duration.ofMillis(200)), work);
        TestEngine b = started(poolB, settings(Duration.ofMillis(200)), work);
        for (int i = 0; i < 12; i++) {
            a.jobs().enqueue(Work::block);
        }

        // Two slots on each node, all four taken; every job is running, held or waiting.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            LaneFigures lane = narrow(b.jobs().queries());
            assertThat(lane.capacity()).isEqualTo(4);
            assertThat(lane.total().running()).isEqualTo(4);
            assertThat(lane.jobs()).containsKey("work.block");
            WorkFigures blocked = lane.jobs().get("work.block");
            assertThat(blocked.running()).isEqualTo(4);
            assertThat(blocked.running() + blocked.held() + blocked.queued()).isEqualTo(12);
        });
        List<NodeInfo> nodes = a.jobs().queries().nodes();
        assertThat(nodes).hasSize(2).allSatisfy(node -> {
            assertThat(node.version()).isNotBlank();
            assertThat(node.lanes())
                    .filteredOn(lane -> lane.name().equals("narrow"))
                    .singleElement()
                    .satisfies(lane -> {
                        assertThat(lane.capacity()).isEqualTo(2);
                        assertThat(lane.running()).isEqualTo(2);
                    });
        });

        work.release.countDown();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            LaneFigures lane = narrow(a.jobs().queries());
            assertThat(lane.jobs()).containsKey("work.block");
            WorkFigures blocked = lane.jobs().get("work.block");
            assertThat(blocked.succeeded()).isEqualTo(12);
            assertThat(blocked.running() + blocked.held() + blocked.queued()).isZero();
            assertThat(blocked.perSecond()).isPositive();
            assertThat(blocked.runP50()).isNotNull();
            assertThat(lane.total().succeeded()).isEqualTo(12);
        });
    }

    @Test
    void runTimesWaitsAndFailuresAreThoseOfTheRuns() {
        Work work = new Work();
        TestEngine engine = started(database(), settings(Duration.ofMillis(200)), work);
        // Six runs of 100 ms through two slots: three rounds, each waiting about 100 ms longer.
        for (int i = 0; i < 6; i++) {
            engine.jobs().enqueue(Work::tenthOfASecond);
        }
        engine.jobs().enqueue(Work::fail);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            LaneFigures lane = narrow(engine.jobs().queries());
            assertThat(lane.jobs()).containsKeys("work.tenth", "work.fail");
            WorkFigures tenth = lane.jobs().get("work.tenth");
            assertThat(tenth.succeeded()).isEqualTo(6);
            WorkFigures failing = lane.jobs().get("work.fail");
            assertThat(failing.failed()).isEqualTo(2);
            assertThat(failing.succeeded()).isZero();
        });
        WorkFigures tenth = narrow(engine.jobs().queries()).jobs().get("work.tenth");
        // A bucket's middle is within about 12 % of what fell in it.
        assertThat(tenth.runP50()).isBetween(Duration.ofMillis(88), Duration.ofMillis(250));
        assertThat(tenth.runP95()).isGreaterThanOrEqualTo(tenth.runP50());
        // The last round waited for two rounds before it: at least 200 ms, less the buckets' 12 %.
        assertThat(tenth.waitP95()).isGreaterThanOrEqualTo(Duration.ofMillis(176));
        assertThat(tenth.waitP50()).isLessThanOrEqualTo(tenth.waitP95());
    }

    @Test
    void aPausedLaneIsMarkedAndItsWaitingJobsCounted() {
        Work work = new Work();
        TestEngine engine = started(database(), settings(Duration.ofMillis(200)), work);
        engine.jobs().lanes().pause("narrow");
        for (int i = 0; i < 3; i++) {
            engine.jobs().enqueue(Work::tenthOfASecond);
        }
        engine.jobs().enqueue(Work::tenthOfASecond).id();
        engine.jobs().schedule(Work::tenthOfASecond).in(Duration.ofHours(1));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            LaneFigures lane = narrow(engine.jobs().queries());
            assertThat(lane.paused()).isTrue();
            assertThat(lane.total().queued()).isEqualTo(4);
            assertThat(lane.total().scheduled()).isEqualTo(1);
            assertThat(lane.total().running()).isZero();
        });
    }

    @Test
    void readsDoNotCountTheQueueThemselvesMoreThanOncePerInterval() {
        Work work = new Work();
        TestEngine engine = started(database(), settings(Duration.ofHours(1)), work);
        engine.jobs().lanes().pause("narrow");
        engine.jobs().enqueue(Work::tenthOfASecond);

        // Never counted: the first read counts, once for every reader.
        LaneReport first = engine.jobs().queries().lanes();
        assertThat(first.queueCountedAt()).isNotNull();
        assertThat(first.lane("narrow").orElseThrow().total().queued()).isEqualTo(1);

        engine.jobs().enqueue(Work::tenthOfASecond);
        engine.jobs().enqueue(Work::tenthOfASecond);
        for (int i = 0; i < 20; i++) {
            LaneReport again = engine.jobs().queries().lanes();
            Instant countedAt = again.queueCountedAt();
            assertThat(countedAt).isEqualTo(first.queueCountedAt());
            assertThat(again.lane("narrow").orElseThrow().total().queued()).isEqualTo(1);
        }
    }
}
