package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobFailedException;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancellation ends a waiting job at once and reaches a running one on whichever node runs it. */
class CancellationTest {

    public static class Cancellable {
        final AtomicInteger laterRuns = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Job
        public void later() {
            laterRuns.incrementAndGet();
        }

        @Job
        public void sentinel() {}

        /** Stops by returning, as a well-behaved long job does, once it sees the request. */
        @Job
        public String loopUntilCancelled(JobContext context) {
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!context.isCancellationRequested()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cancellation never arrived");
                }
                // parkNanos does not throw on interrupt: only the context tells the job to stop.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            return "stopped early";
        }

        /** Fails on its own, its only attempt, once the test releases it. */
        @Job(maxAttempts = 1)
        public void failWhenReleased() throws InterruptedException {
            started.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            throw new IllegalStateException("gave up");
        }

        /** Stops by throwing, through the context's helper. */
        @Job
        public void throwWhenCancelled(JobContext context) {
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                context.throwIfCancellationRequested();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            throw new IllegalStateException("cancellation never arrived");
        }
    }

    private final Cancellable cancellable = new Cancellable();
    private HikariDataSource dataSource;
    private TestEngine engine;
    private TestEngine other;

    @BeforeEach
    void createDatabase() {
        dataSource = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
        }
        engine.close();
        dataSource.close();
    }

    @Test
    void cancelledQueuedJobEndsCancelledAndNeverRuns() {
        MutableClock clock = MutableClock.atNow();
        engine = TestEngine.start(
                dataSource, TestSettings.onTestClock(), clock, RandomGenerator.getDefault(), cancellable);
        JobHandle<Void> later = engine.jobs().schedule(Cancellable::later).in(Duration.ofMinutes(1));

        assertThat(engine.jobs().cancel(later.id())).isTrue();

        assertThat(engine.info(later.id()).state()).isEqualTo(JobState.CANCELLED);
        clock.advance(Duration.ofMinutes(2));
        // Due before the sentinel, so a claim that would take the cancelled job takes it first.
        engine.jobs().enqueue(Cancellable::sentinel).await(Duration.ofSeconds(20));
        JobInfo cancelled = engine.info(later.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.attempt()).isZero();
        assertThat(cancellable.laterRuns.get()).isZero();
        assertThatThrownBy(() -> later.await(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(
                        JobFailedException.class, e -> assertThat(e.state()).isEqualTo(JobState.CANCELLED));
        assertThat(engine.jobs().cancel(later.id())).as("already final").isFalse();
    }

    @Test
    void runningJobThatChecksItsContextEndsCancelled() throws InterruptedException {
        engine = TestEngine.start(dataSource, TestSettings.fast(), cancellable);
        JobHandle<String> handle = engine.jobs().enqueue(Cancellable::loopUntilCancelled);
        assertThat(cancellable.started.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(engine.jobs().cancel(handle.id())).isTrue();

        assertCancelled(handle);
        assertThat(engine.attempts(handle.id()))
                .extracting(AttemptInfo::outcome)
                .containsExactly("CANCELLED");
    }

    @Test
    void runningJobThatThrowsWhenCancelledEndsCancelledNotRetried() throws InterruptedException {
        engine = TestEngine.start(dataSource, TestSettings.fast(), cancellable);
        JobHandle<Void> handle = engine.jobs().enqueue(Cancellable::throwWhenCancelled);
        assertThat(cancellable.started.await(20, TimeUnit.SECONDS)).isTrue();

        engine.jobs().cancel(handle.id());

        assertCancelled(handle);
        assertThat(engine.info(handle.id()).attempt()).isEqualTo(1);
    }

    @Test
    void cancellationFromAnotherNodeReachesTheRunningNodeThroughNotify() throws InterruptedException {
        // Heartbeats far apart: within the wait below, only the NOTIFY can carry the request.
        TaskboundSettings slowHeartbeat = TaskboundSettings.defaults()
                .withTimings(
                        Duration.ofMillis(200), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(5));
        engine = TestEngine.start(dataSource, slowHeartbeat, cancellable);
        other = TestEngine.start(TestDatabase.anotherPool(dataSource), slowHeartbeat);
        JobHandle<String> handle = engine.jobs().enqueue(Cancellable::loopUntilCancelled);
        assertThat(cancellable.started.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(other.jobs().cancel(handle.id())).isTrue();

        assertThat(engine.awaitInfo(handle.id(), info -> info.state().isFinal()).state())
                .isEqualTo(JobState.CANCELLED);
    }

    @Test
    void cancellationFromAnotherNodeReachesAPollingNodeThroughItsHeartbeat() throws InterruptedException {
        TaskboundSettings polling = TestSettings.pollOnly(TestSettings.fast());
        engine = TestEngine.start(dataSource, polling, cancellable);
        other = TestEngine.start(TestDatabase.anotherPool(dataSource), polling);
        JobHandle<String> handle = engine.jobs().enqueue(Cancellable::loopUntilCancelled);
        assertThat(cancellable.started.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(other.jobs().cancel(handle.id())).isTrue();

        assertThat(engine.awaitInfo(handle.id(), info -> info.state().isFinal()).state())
                .isEqualTo(JobState.CANCELLED);
    }

    @Test
    void failedLastRunOfAJobWhoseCancellationWasRequestedEndsCancelledForItsWaitersToo() throws InterruptedException {
        // Neither NOTIFY nor a heartbeat within the test: the request stays in the table only.
        TaskboundSettings unreachable = TestSettings.pollOnly(TaskboundSettings.defaults()
                .withTimings(
                        Duration.ofMillis(200), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofSeconds(5)));
        engine = TestEngine.start(dataSource, unreachable, cancellable);
        other = TestEngine.start(TestDatabase.anotherPool(dataSource), unreachable);
        JobHandle<Void> handle = engine.jobs().enqueue(Cancellable::failWhenReleased);
        assertThat(cancellable.started.await(20, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> waiting = handle.future();

        assertThat(other.jobs().cancel(handle.id())).isTrue();
        cancellable.release.countDown();

        assertThat(engine.awaitState(handle.id(), JobState.CANCELLED).error()).contains("gave up");
        assertThatThrownBy(() -> waiting.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(JobFailedException.class)
                .cause()
                .satisfies(e -> assertThat(((JobFailedException) e).state()).isEqualTo(JobState.CANCELLED));
    }

    private void assertCancelled(JobHandle<?> handle) {
        assertThatThrownBy(() -> handle.await(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(
                        JobFailedException.class, e -> assertThat(e.state()).isEqualTo(JobState.CANCELLED));
        JobInfo cancelled = engine.info(handle.id());
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        UUID id = handle.id();
        assertThat(engine.jobs().cancel(id)).isFalse();
    }
}
