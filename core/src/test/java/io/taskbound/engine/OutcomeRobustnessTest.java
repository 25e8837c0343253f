package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever a job throws or returns, and whatever a caller does in a callback on its result, the
 * job ends with a recorded outcome and the node goes on completing the jobs that follow.
 */
class OutcomeRobustnessTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** What a getter of a lazily loaded entity does once its session is closed. */
    public static class Unwritable {
        public List<String> getLines() {
            throw new IllegalStateException("failed to lazily initialize a collection: no Session");
        }
    }

    public static class Fragile {
        final AtomicInteger unwritableRuns = new AtomicInteger();
        final CountDownLatch timeoutInterrupt = new CountDownLatch(1);

        @Job
        public int ok() {
            return 42;
        }

        @Job(maxAttempts = 1)
        public void failWithNul() {
            throw new IllegalStateException("bad \u0000");
        }

        @Job
        public String returnNul() {
            return "a\u0000b";
        }

        @Job(maxAttempts = 1)
        public void outOfMemory() {
            // Thrown, not provoked: exhausting the heap would take the test JVM down with it.
            throw new OutOfMemoryError("Java heap space (simulated)");
        }

        @Job(maxAttempts = 3)
        public Unwritable unwritable() {
            unwritableRuns.incrementAndGet();
            return new Unwritable();
        }

        /** Catches the interrupt its timeout causes, as code that logs and carries on does. */
        @Job(timeout = "PT0.3S", maxAttempts = 1)
        public int swallowTimeout() {
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                timeoutInterrupt.countDown();
            }
            return 7;
        }
    }

    private final Fragile fragile = new Fragile();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), fragile);
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void errorMessageWithANulCharacterIsStoredWithItReplacedAndLaterJobsStillComplete() {
        JobHandle<Void> bad = engine.jobs().enqueue(Fragile::failWithNul);

        JobInfo dead = engine.awaitInfo(bad.id(), info -> info.state().isFinal());

        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.error()).isEqualTo("java.lang.IllegalStateException: bad \uFFFD");
        assertThat(engine.attempts(bad.id())).singleElement().satisfies(attempt -> {
            assertThat(attempt.error()).doesNotContain("\u0000");
            assertThat(attempt.stackTrace()).doesNotContain("\u0000");
        });
        assertThat(engine.jobs().enqueue(Fragile::ok).await(WAIT))
                .as("the completer is not stuck on the outcome")
                .isEqualTo(42);
    }

    @Test
    void resultWithANulCharacterEndsTheJobDeadNamingTheJobAndLaterJobsStillComplete() {
        JobHandle<String> bad = engine.jobs().enqueue(Fragile::returnNul);

        JobInfo dead = engine.awaitInfo(bad.id(), info -> info.state().isFinal());

        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.attempt()).as("not retried: it would return the same").isEqualTo(1);
        assertThat(dead.resultJson()).isNull();
        assertThat(dead.error()).contains("\"Fragile.returnNul\"").contains("NUL");
        assertThat(engine.jobs().enqueue(Fragile::ok).await(WAIT))
                .as("the completer is not stuck on the outcome")
                .isEqualTo(42);
    }

    @Test
    void outOfMemoryErrorEndsTheJobInsteadOfLeavingItRunning() {
        JobHandle<Void> handle = engine.jobs().enqueue(Fragile::outOfMemory);

        JobInfo dead = engine.awaitInfo(handle.id(), info -> info.state().isFinal());

        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.error()).isEqualTo("java.lang.OutOfMemoryError: Java heap space (simulated)");
        assertThat(engine.attempts(handle.id()))
                .extracting(AttemptInfo::outcome)
                .containsExactly("FAILED");
    }

    @Test
    void resultThatCannotBeWrittenAsJsonEndsTheJobDeadAfterOneRun() {
        JobHandle<Unwritable> handle = engine.jobs().enqueue(Fragile::unwritable);

        JobInfo dead = engine.awaitInfo(handle.id(), info -> info.state().isFinal());

        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(fragile.unwritableRuns.get())
                .as("its side effects are not repeated for a result that will never be writable")
                .isEqualTo(1);
        assertThat(dead.error()).contains("\"Fragile.unwritable\"").contains("cannot be written as JSON");
    }

    @Test
    void runThatSwallowsItsTimeoutInterruptAndReturnsCountsAsTimedOut() {
        JobHandle<Integer> handle = engine.jobs().enqueue(Fragile::swallowTimeout);

        JobInfo dead = engine.awaitInfo(handle.id(), info -> info.state().isFinal());

        assertThat(fragile.timeoutInterrupt.getCount())
                .as("the run was interrupted")
                .isZero();
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.resultJson())
                .as("what it returned late is not its result")
                .isNull();
        assertThat(dead.error()).contains("JobTimeoutException").contains("PT0.3S");
        assertThat(engine.attempts(handle.id()))
                .singleElement()
                .extracting(AttemptInfo::outcome)
                .isEqualTo("TIMED_OUT");
    }

    @Test
    void resultCallbackThatInterruptsItsThreadDoesNotStopLaterJobsFromCompleting() throws InterruptedException {
        CountDownLatch callbackRan = new CountDownLatch(1);
        engine.jobs().enqueue(Fragile::ok).future().thenAccept(result -> {
            // Code that caught an InterruptedException and restored the flag, as it should.
            Thread.currentThread().interrupt();
            callbackRan.countDown();
        });
        assertThat(callbackRan.await(20, TimeUnit.SECONDS)).isTrue();

        for (int i = 0; i < 3; i++) {
            assertThat(engine.jobs().enqueue(Fragile::ok).await(WAIT)).isEqualTo(42);
        }
    }

    @Test
    void resultCallbackThatBlocksDoesNotStopLaterJobsFromCompleting() throws InterruptedException {
        CountDownLatch callbackEntered = new CountDownLatch(1);
        CountDownLatch releaseCallback = new CountDownLatch(1);
        try {
            engine.jobs().enqueue(Fragile::ok).future().thenAccept(result -> {
                callbackEntered.countDown();
                try {
                    releaseCallback.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(callbackEntered.await(20, TimeUnit.SECONDS)).isTrue();

            for (int i = 0; i < 3; i++) {
                assertThat(engine.jobs().enqueue(Fragile::ok).await(WAIT)).isEqualTo(42);
            }
        } finally {
            releaseCallback.countDown();
        }
    }
}
