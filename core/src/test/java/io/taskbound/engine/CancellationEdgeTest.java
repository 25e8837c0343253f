package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobFailedException;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancellation reaches a job wherever it is between its claim and its end, and takes effect
 * whatever becomes of the caller's transaction.
 */
class CancellationEdgeTest {

    /** One thread, but up to ten jobs held: the ones beyond the first wait on this node for it. */
    private static final TaskboundSettings CLAIMING_AHEAD = TestSettings.fast()
            .withLane(
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

    public static class Queue {
        final CountDownLatch blockerStarted = new CountDownLatch(1);
        final CountDownLatch releaseBlocker = new CountDownLatch(1);
        final AtomicInteger waitingRuns = new AtomicInteger();

        /** Holds the lane's only thread until released. */
        @Job(lane = "ahead")
        public String blocker() throws InterruptedException {
            blockerStarted.countDown();
            if (!releaseBlocker.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return "blocker";
        }

        @Job(lane = "ahead")
        public String waiting() {
            waitingRuns.incrementAndGet();
            return "ran";
        }
    }

    private final Queue queue = new Queue();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, CLAIMING_AHEAD, queue);
    }

    @AfterEach
    void stop() {
        queue.releaseBlocker.countDown();
        engine.close();
        dataSource.close();
    }

    @Test
    void jobClaimedAheadAndWaitingForAThreadEndsCancelledWithoutRunning() throws InterruptedException {
        JobHandle<String> blocker = engine.jobs().enqueue(Queue::blocker);
        assertThat(queue.blockerStarted.await(20, TimeUnit.SECONDS)).isTrue();
        JobHandle<String> waiting = engine.jobs().enqueue(Queue::waiting);
        // Claimed by this node (RUNNING in the store), but queued behind the blocker for the thread.
        engine.awaitState(waiting.id(), JobState.RUNNING);
        assertThat(queue.waitingRuns.get()).isZero();

        assertThat(engine.jobs().cancel(waiting.id())).isTrue();
        queue.releaseBlocker.countDown();

        assertThat(blocker.await(Duration.ofSeconds(20))).isEqualTo("blocker");
        assertThatThrownBy(() -> waiting.await(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(
                        JobFailedException.class, e -> assertThat(e.state()).isEqualTo(JobState.CANCELLED));
        JobInfo cancelled = engine.info(waiting.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.resultJson()).isNull();
        assertThat(queue.waitingRuns.get()).as("its body never ran").isZero();
    }

    @Test
    void cancelInsideATransactionThatRollsBackStillCancelsBecauseItRunsInItsOwnTransaction() {
        JobHandle<String> later = engine.jobs().schedule(Queue::waiting).in(Duration.ofHours(1));

        engine.transactions().executeWithoutResult(status -> {
            assertThat(engine.jobs().cancel(later.id())).isTrue();
            status.setRollbackOnly();
        });

        JobInfo cancelled = engine.info(later.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(engine.jobs().cancel(later.id())).as("already final").isFalse();
    }
}
