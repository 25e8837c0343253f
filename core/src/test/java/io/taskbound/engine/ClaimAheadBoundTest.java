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
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lane that may claim far ahead (two threads, batches of 500) holds only a few long jobs beyond
 * the ones it runs, so that another node gets the rest; short jobs it still claims in large batches.
 */
class ClaimAheadBoundTest {

    private static final int THREADS = 2;

    private static final TaskboundSettings SETTINGS = TestSettings.fast()
            .withLane(
                    "batch",
                    new LaneSettings(
                            ExecutorKind.PLATFORM,
                            THREADS,
                            10,
                            500,
                            null,
                            LaneSettings.DEFAULT_MAX_ATTEMPTS,
                            LaneSettings.DEFAULT_INITIAL_BACKOFF,
                            LaneSettings.DEFAULT_MAX_BACKOFF));

    public static class Work {
        final CountDownLatch release = new CountDownLatch(1);

        /** A long job: it runs until the test releases it. */
        @Job(lane = "batch", maxAttempts = 1)
        public void slow() throws InterruptedException {
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        }

        @Job(lane = "batch", maxAttempts = 1)
        public void fast() {}
    }

    private final Work work = new Work();
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private TestEngine a;
    private TestEngine b;

    @AfterEach
    void stop() {
        work.release.countDown();
        if (b != null) {
            b.close();
            poolB.close();
        }
        a.close();
        poolA.close();
    }

    @Test
    void longJobsAreNotHoardedAndANodeStartedLaterGetsWork() {
        poolA = TestDatabase.create();
        a = TestEngine.start(poolA, SETTINGS, work);
        List<UUID> ids = new ArrayList<>();
        a.transactions().executeWithoutResult(status -> {
            for (int i = 0; i < 50; i++) {
                ids.add(a.jobs().enqueue(Work::slow).id());
            }
        });

        await("both threads of the first node busy")
                .atMost(Duration.ofSeconds(20))
                .until(() -> lane(a).running() == THREADS);
        assertThat(lane(a).held())
                .as("held beyond the running jobs, before any run is measured")
                .isLessThanOrEqualTo(THREADS);
        assertThat(count(ids, JobState.RUNNING)).as("claimed by the first node").isLessThanOrEqualTo(2 * THREADS);

        poolB = TestDatabase.anotherPool(poolA);
        b = TestEngine.start(poolB, SETTINGS, work);
        await("the second node running jobs too")
                .atMost(Duration.ofSeconds(20))
                .until(() -> lane(b).running() == THREADS);
        assertThat(count(ids, JobState.RUNNING)).isLessThanOrEqualTo(4 * THREADS);

        work.release.countDown();
        await("all jobs succeeded")
                .atMost(Duration.ofSeconds(30))
                .until(() -> count(ids, JobState.SUCCEEDED) == ids.size());
    }

    @Test
    void shortJobsAreClaimedInLargeBatchesOnceTheirRunsAreMeasured() {
        poolA = TestDatabase.create();
        a = TestEngine.start(poolA, SETTINGS, work);
        List<UUID> ids = a
                .jobs()
                .enqueueAll(IntStream.range(0, 5_000)
                        .mapToObj(i -> a.jobs().schedule(Work::fast))
                        .toList())
                .stream()
                .map(handle -> handle.id())
                .toList();

        await("the lane holding many jobs ahead")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> lane(a).held() > 50);
        await("all jobs succeeded")
                .atMost(Duration.ofSeconds(60))
                .until(() -> count(ids, JobState.SUCCEEDED) == ids.size());
    }

    private static LaneStatus lane(TestEngine engine) {
        return engine.engine().lanes().stream()
                .filter(lane -> lane.name().equals("batch"))
                .findFirst()
                .orElseThrow();
    }

    private long count(List<UUID> ids, JobState state) {
        return a.engine().store().snapshots(ids).values().stream()
                .map(JobSnapshot::state)
                .filter(state::equals)
                .count();
    }
}
