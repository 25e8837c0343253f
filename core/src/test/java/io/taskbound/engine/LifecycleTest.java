package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.NodeInfo;
import io.taskbound.engine.TaskboundEngine.LaneStatus;
import io.taskbound.loop.Loop;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.JobStore;
import io.taskbound.store.NodeStore;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An engine, its node and its background loops, through stop, start again, stray interrupts and
 * being declared dead: work held but not started goes back to the queue, a restarted engine runs
 * jobs as before, only stop() ends a loop, and a node the cluster no longer knows claims nothing.
 */
class LifecycleTest {

    /**
     * The settings with lane "ahead": one thread, but up to ten jobs held (fewer until runs are
     * measured), the ones beyond the first waiting on this node for it.
     */
    private static TaskboundSettings claimingAhead(TaskboundSettings settings) {
        return settings.withLane(
                "ahead",
                new LaneSettings(
                        ExecutorKind.PLATFORM,
                        1,
                        50,
                        10,
                        null,
                        LaneSettings.DEFAULT_MAX_ATTEMPTS,
                        LaneSettings.DEFAULT_INITIAL_BACKOFF,
                        LaneSettings.DEFAULT_MAX_BACKOFF));
    }

    public static class Work {
        final AtomicReference<TaskboundEngine> engine = new AtomicReference<>();
        final CountDownLatch finishingStarted = new CountDownLatch(1);
        final AtomicInteger heldRuns = new AtomicInteger();

        /**
         * Holds the lane's only thread until the engine begins to stop, then finishes its last
         * piece of work well within the shutdown timeout.
         */
        @Job(lane = "ahead")
        public String finishDuringShutdown() {
            finishingStarted.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.get().isRunning() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            // A last second of work: the stop ends the claim loops before it shuts the lane's
            // threads down, so this run ends after that, well within the shutdown timeout, and
            // the held jobs queued behind it must not get its thread then.
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            return "finished";
        }

        @Job(lane = "ahead")
        public String held() {
            heldRuns.incrementAndGet();
            return "ran";
        }

        @Job(timeout = "PT30S")
        public int withTimeout() {
            return 1;
        }

        @Job
        public int plain() {
            return 2;
        }
    }

    private final Work work = new Work();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void createDatabase() {
        dataSource = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void gracefulStopRequeuesJobsClaimedAheadThatNeverStartedWithoutRunningThem() throws InterruptedException {
        engine = TestEngine.start(dataSource, claimingAhead(TestSettings.fast()), work);
        work.engine.set(engine.engine());
        JobHandle<String> finishing = engine.jobs().enqueue(Work::finishDuringShutdown);
        assertThat(work.finishingStarted.await(20, TimeUnit.SECONDS)).isTrue();
        List<UUID> held = List.of(
                engine.jobs().enqueue(Work::held).id(),
                engine.jobs().enqueue(Work::held).id());
        // Claimed by this node and waiting for the thread; before a run is measured the lane holds
        // one job beyond its one thread, so the other stays queued.
        Awaitility.await("a held job")
                .atMost(Duration.ofSeconds(20))
                .until(() -> held.stream().anyMatch(id -> engine.info(id).state() == JobState.RUNNING));
        assertThat(engine.engine().lanes())
                .filteredOn(lane -> lane.name().equals("ahead"))
                .singleElement()
                .extracting(LaneStatus::running, LaneStatus::held)
                .containsExactly(1, 1);

        engine.engine().stop();

        JobInfo finished = engine.info(finishing.id());
        assertThat(finished.state()).as("finished within the shutdown timeout").isEqualTo(JobState.SUCCEEDED);
        assertThat(finished.resultJson()).isEqualTo("\"finished\"");
        for (UUID id : held) {
            JobInfo requeued = engine.info(id);
            assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
            assertThat(requeued.attempt()).as("the attempt is given back").isZero();
            assertThat(requeued.nodeId()).isNull();
            assertThat(engine.attempts(id)).isEmpty();
        }
        assertThat(work.heldRuns.get())
                .as("held jobs did not run on the stopping node")
                .isZero();
    }

    @Test
    void engineStoppedAndStartedAgainRunsJobsWithATimeout() {
        engine = TestEngine.start(dataSource, claimingAhead(TestSettings.fast()), work);

        engine.engine().stop();
        engine.engine().start();

        assertThat(engine.engine().isRunning()).isTrue();
        assertThat(engine.jobs().enqueue(Work::withTimeout).await(Duration.ofSeconds(20)))
                .isEqualTo(1);
        assertThat(engine.jobs().enqueue(Work::plain).await(Duration.ofSeconds(20)))
                .isEqualTo(2);
        assertThat(engine.jobs().queries().nodes())
                .extracting(NodeInfo::id)
                .containsExactly(engine.engine().nodeId());
    }

    @Test
    void nodeDeclaredDeadClaimsNothingUntilItRegistersAgain() {
        // The store of an engine that never starts, on a test clock: only the calls below act.
        MutableClock clock = MutableClock.atNow();
        Duration deadAfter = Duration.ofSeconds(10);
        engine = TestEngine.create(
                dataSource, claimingAhead(TestSettings.onTestClock()), clock, RandomGenerator.getDefault(), work);
        JobStore jobs = engine.engine().store();
        NodeStore nodes = engine.engine().nodes();
        Set<String> names = engine.engine().registry().names();
        UUID paused = UUID.randomUUID();
        UUID alive = UUID.randomUUID();
        nodes.register(paused, "web-1");
        nodes.register(alive, "web-2");
        clock.advance(deadAfter.plusSeconds(1));
        nodes.heartbeat(alive);
        assertThat(nodes.recoverDeadNodes(deadAfter).deadNodes()).isEqualTo(1);
        UUID job = engine.jobs().enqueue(Work::plain).id();

        assertThat(jobs.claim("io", 10, names, paused)).as("declared dead").isEmpty();
        assertThat(engine.info(job).state()).isEqualTo(JobState.QUEUED);

        nodes.register(paused, "web-1");
        assertThat(jobs.claim("io", 10, names, paused))
                .as("registered again")
                .extracting(ClaimedJob::id)
                .containsExactly(job);
        assertThat(engine.info(job).nodeId()).isEqualTo(paused.toString());
    }

    @Test
    void backgroundLoopInterruptedWhileWaitingGoesOnUntilStopped() {
        AtomicInteger iterations = new AtomicInteger();
        Loop loop = new Loop("taskbound-test-interrupted") {
            @Override
            protected Duration runOnce() {
                if (iterations.incrementAndGet() == 1) {
                    // What a caller's code run on a loop's thread does when it restores an interrupt.
                    Thread.currentThread().interrupt();
                }
                return Duration.ofMillis(10);
            }
        };
        loop.start();
        try {
            Awaitility.await("iterations after the interrupt")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> iterations.get() >= 3);
            assertThat(loop.isRunning()).isTrue();
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }
}
