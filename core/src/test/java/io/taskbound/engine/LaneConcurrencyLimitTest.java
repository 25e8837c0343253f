package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobState;
import io.taskbound.engine.TaskboundEngine.LaneStatus;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.JobSnapshot;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A lane never runs more jobs at once than its concurrency, whatever its executor: jobs claimed
 * ahead wait on the node (held) and start as slots free up, and the lane's status says how many
 * run and how many are held.
 */
class LaneConcurrencyLimitTest {

    private static final int CONCURRENCY = 25;
    private static final int BATCH = 500;
    private static final int JOBS = 100;

    public static class Blocked {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        @Job(lane = "limited", maxAttempts = 1)
        public void waitForRelease() throws InterruptedException {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            started.incrementAndGet();
            try {
                if (!release.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private final Blocked blocked = new Blocked();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @AfterEach
    void stop() {
        blocked.release.countDown();
        engine.close();
        dataSource.close();
    }

    // The process executor's workers are other JVMs, which cannot count on this test's shared state;
    // its own tests are in io.taskbound.process.
    @ParameterizedTest
    @EnumSource(
            value = ExecutorKind.class,
            names = {"VIRTUAL", "PLATFORM"})
    void laneRunsAtMostItsConcurrencyAndHoldsTheJobsItClaimedAhead(ExecutorKind executor) {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, limitedLane(executor), blocked);

        List<UUID> ids = new ArrayList<>();
        engine.transactions().executeWithoutResult(status -> {
            for (int i = 0; i < JOBS; i++) {
                ids.add(engine.jobs().enqueue(Blocked::waitForRelease).id());
            }
        });

        LaneStatus full = await("the lane full and holding jobs claimed ahead")
                .atMost(Duration.ofSeconds(30))
                .until(this::limitedLane, lane -> lane.running() == CONCURRENCY && lane.held() > 0);
        assertThat(full.capacity()).isEqualTo(CONCURRENCY);
        assertThat(full.executor()).isEqualTo(executor.name());
        assertThat(blocked.maxRunning.get())
                .as("jobs started at once, with %d claimed", full.running() + full.held())
                .isEqualTo(CONCURRENCY);

        blocked.release.countDown();
        await("all jobs succeeded").atMost(Duration.ofSeconds(30)).until(() -> succeeded(ids) == JOBS);
        assertThat(blocked.started.get()).isEqualTo(JOBS);
        assertThat(blocked.maxRunning.get()).as("most jobs running at once").isLessThanOrEqualTo(CONCURRENCY);
        assertThat(limitedLane())
                .extracting(LaneStatus::running, LaneStatus::held)
                .containsExactly(0, 0);
    }

    private static TaskboundSettings limitedLane(ExecutorKind executor) {
        return TestSettings.fast()
                .withLane(
                        "limited",
                        new LaneSettings(
                                executor,
                                CONCURRENCY,
                                50,
                                BATCH,
                                null,
                                LaneSettings.DEFAULT_MAX_ATTEMPTS,
                                LaneSettings.DEFAULT_INITIAL_BACKOFF,
                                LaneSettings.DEFAULT_MAX_BACKOFF));
    }

    private LaneStatus limitedLane() {
        return engine.engine().lanes().stream()
                .filter(lane -> lane.name().equals("limited"))
                .findFirst()
                .orElseThrow();
    }

    private long succeeded(List<UUID> ids) {
        return engine.engine().store().snapshots(ids).values().stream()
                .map(JobSnapshot::state)
                .filter(JobState.SUCCEEDED::equals)
                .count();
    }
}
