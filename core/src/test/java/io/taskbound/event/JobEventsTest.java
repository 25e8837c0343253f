package io.taskbound.event;

import static io.taskbound.JobEvent.Kind.CANCELLED;
import static io.taskbound.JobEvent.Kind.DEAD;
import static io.taskbound.JobEvent.Kind.ENQUEUED;
import static io.taskbound.JobEvent.Kind.FAILED;
import static io.taskbound.JobEvent.Kind.STARTED;
import static io.taskbound.JobEvent.Kind.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobEvent;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Job events on a test clock: each job's changes arrive in order with their timings, only after
 * their commit, for enqueues, runs, retries, cancellations and schedules.
 */
class JobEventsTest {

    public static class Work {
        final CountDownLatch waiting = new CountDownLatch(1);

        @Job(name = "events.failsOnce", maxAttempts = 3)
        public String failsOnce(JobContext context) {
            if (context.attempt() == 1) {
                throw new IllegalStateException("not yet");
            }
            return "done";
        }

        @Job(name = "events.alwaysFails", maxAttempts = 1, bound = Bound.CPU)
        public void alwaysFails() {
            throw new IllegalStateException("broken");
        }

        @Job(name = "events.quick")
        public void quick() {}

        final CountDownLatch signalled = new CountDownLatch(1);

        @Job(name = "events.signals")
        public void signals() {
            signalled.countDown();
        }

        @Job(name = "events.waitsForCancellation")
        public void waitsForCancellation() throws InterruptedException {
            waiting.countDown();
            // Cancellation interrupts the wait.
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        }
    }

    private final MutableClock clock = MutableClock.atNow();
    private final Work work = new Work();
    private final RecordingListener events = new RecordingListener();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.startWith(
                dataSource, TestSettings.onTestClock(), clock, builder -> builder.listener(events), work);
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void aJobThatFailsOnceIsReportedEnqueuedStartedFailedStartedSucceededWithItsTimings() {
        Instant enqueuedAt = clock.instant();
        UUID id = engine.jobs().enqueue(Work::failsOnce).id();

        events.await(id, FAILED);
        JobInfo retrying = engine.awaitState(id, JobState.RETRYING);
        clock.set(retrying.runAt());
        engine.engine().wake("io");
        events.await(id, SUCCEEDED);

        assertThat(events.kindsOf(id)).containsExactly(ENQUEUED, STARTED, FAILED, STARTED, SUCCEEDED);
        assertThat(events.of(id)).allSatisfy(event -> {
            assertThat(event.name()).isEqualTo("events.failsOnce");
            assertThat(event.lane()).isEqualTo("io");
            assertThat(event.bound()).isEqualTo(Bound.IO);
            assertThat(event.maxAttempts()).isEqualTo(3);
        });
        JobEvent enqueued = events.of(id).get(0);
        assertThat(enqueued.attempt()).isZero();
        assertThat(enqueued.at()).isEqualTo(enqueuedAt);
        assertThat(enqueued.dueAt()).isEqualTo(enqueuedAt);
        assertThat(enqueued.waited()).isNull();
        assertThat(enqueued.runTime()).isNull();

        JobEvent firstStart = events.of(id).get(1);
        assertThat(firstStart.attempt()).isEqualTo(1);
        assertThat(firstStart.at()).isEqualTo(enqueuedAt);
        assertThat(firstStart.dueAt()).isEqualTo(enqueuedAt);
        assertThat(firstStart.waited()).isEqualTo(Duration.ZERO);
        assertThat(firstStart.runTime()).isNull();

        JobEvent failed = events.of(id).get(2);
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: not yet");
        assertThat(failed.runTime()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(failed.kind().isFinal()).isFalse();

        JobEvent secondStart = events.of(id).get(3);
        assertThat(secondStart.attempt()).isEqualTo(2);
        assertThat(secondStart.dueAt()).as("due after the backoff").isEqualTo(retrying.runAt());
        assertThat(secondStart.at()).isEqualTo(retrying.runAt());

        JobEvent succeeded = events.of(id).get(4);
        assertThat(succeeded.attempt()).isEqualTo(2);
        assertThat(succeeded.error()).isNull();
        assertThat(succeeded.runTime()).isNotNull();
        assertThat(succeeded.dueAt()).isEqualTo(retrying.runAt());
        assertThat(succeeded.kind().isFinal()).isTrue();
    }

    @Test
    void aJobThatFailsItsLastAttemptIsReportedDead() {
        UUID id = engine.jobs().enqueue(Work::alwaysFails).id();

        JobEvent dead = events.await(id, DEAD);

        assertThat(events.kindsOf(id)).containsExactly(ENQUEUED, STARTED, DEAD);
        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.lane()).isEqualTo("cpu");
        assertThat(dead.bound()).isEqualTo(Bound.CPU);
        assertThat(dead.error()).isEqualTo("java.lang.IllegalStateException: broken");
    }

    @Test
    void aWaitingJobAndARunningJobAreReportedCancelled() throws InterruptedException {
        UUID waiting =
                engine.jobs().schedule(Work::quick).in(Duration.ofHours(1)).id();
        UUID running = engine.jobs().enqueue(Work::waitsForCancellation).id();
        assertThat(work.waiting.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(engine.jobs().cancel(waiting)).isTrue();
        assertThat(engine.jobs().cancel(running)).isTrue();

        JobEvent cancelledWhileWaiting = events.await(waiting, CANCELLED);
        JobEvent cancelledWhileRunning = events.await(running, CANCELLED);
        assertThat(events.kindsOf(waiting)).containsExactly(ENQUEUED, CANCELLED);
        assertThat(events.kindsOf(running)).containsExactly(ENQUEUED, STARTED, CANCELLED);
        assertThat(cancelledWhileWaiting.attempt()).isZero();
        assertThat(cancelledWhileWaiting.at()).isEqualTo(clock.instant());
        assertThat(cancelledWhileWaiting.dueAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(cancelledWhileWaiting.runTime()).as("it never ran").isNull();
        assertThat(cancelledWhileRunning.attempt()).isEqualTo(1);
        assertThat(cancelledWhileRunning.runTime()).isNotNull();
    }

    @Test
    void anEnqueueInATransactionIsReportedOnlyAfterItCommits() {
        AtomicReference<UUID> committed = new AtomicReference<>();
        AtomicReference<UUID> meanwhile = new AtomicReference<>();
        engine.transactions().executeWithoutResult(status -> {
            committed.set(engine.jobs().enqueue(Work::quick).id());
            // An enqueue on another thread commits meanwhile: its event is queued after anything
            // queued before it, so once it arrives, an event of the first job would have too.
            meanwhile.set(CompletableFuture.supplyAsync(() -> engine.jobs()
                            .schedule(Work::quick)
                            .in(Duration.ofHours(1))
                            .id())
                    .join());
            events.await(meanwhile.get(), ENQUEUED);
            assertThat(events.of(committed.get())).as("nothing before commit").isEmpty();
        });

        events.await(committed.get(), SUCCEEDED);
        assertThat(events.kindsOf(committed.get())).containsExactly(ENQUEUED, STARTED, SUCCEEDED);
        assertThat(events.events.indexOf(events.of(committed.get()).getFirst()))
                .isGreaterThan(events.events.indexOf(events.of(meanwhile.get()).getFirst()));
    }

    @Test
    void aJobThatStartsBeforeItsEnqueuerIsDoneCommittingIsStillReportedEnqueuedFirst() {
        AtomicReference<UUID> id = new AtomicReference<>();
        engine.transactions().executeWithoutResult(status -> {
            // Runs after commit, before Taskbound's own after-commit work, and holds the enqueuing
            // thread there until the job has started on a lane thread.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    try {
                        assertThat(work.signalled.await(20, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            id.set(engine.jobs().enqueue(Work::signals).id());
        });

        events.await(id.get(), SUCCEEDED);
        assertThat(events.kindsOf(id.get())).containsExactly(ENQUEUED, STARTED, SUCCEEDED);
    }

    @Test
    void anEnqueueInATransactionThatRollsBackIsNeverReported() {
        AtomicReference<UUID> rolledBack = new AtomicReference<>();
        engine.transactions().executeWithoutResult(status -> {
            rolledBack.set(engine.jobs().enqueue(Work::quick).id());
            status.setRollbackOnly();
        });
        // Had the rolled-back job been reported, its event would have been queued before this one's.
        UUID after = engine.jobs().enqueue(Work::quick).id();
        events.await(after, SUCCEEDED);

        assertThat(events.of(rolledBack.get())).isEmpty();
        assertThat(engine.jobs().info(rolledBack.get())).isEmpty();
    }

    @Test
    void jobsMadeBySchedulesAreReportedEnqueued() {
        engine.jobs().recurring("tick").every(Duration.ofMinutes(1)).call(Work::quick);
        UUID triggered = engine.jobs().schedules().trigger("tick").id();
        events.await(triggered, SUCCEEDED);
        assertThat(events.kindsOf(triggered)).containsExactly(ENQUEUED, STARTED, SUCCEEDED);

        clock.set(engine.jobs().schedules().find("tick").orElseThrow().nextFireAt());
        JobEvent fired = org.awaitility.Awaitility.await("the schedule's next job")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> events.events.stream()
                                .filter(event -> event.kind() == ENQUEUED
                                        && event.name().equals("events.quick")
                                        && !event.jobId().equals(triggered))
                                .findFirst()
                                .orElse(null),
                        event -> event != null);
        assertThat(fired.dueAt()).isEqualTo(clock.instant());
        events.await(fired.jobId(), SUCCEEDED);
        assertThat(events.kindsOf(fired.jobId())).containsExactly(ENQUEUED, STARTED, SUCCEEDED);
    }
}
