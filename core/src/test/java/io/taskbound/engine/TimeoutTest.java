package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobFailedException;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A run that outlives its job's timeout is interrupted and recorded as timed out. */
class TimeoutTest {

    public static class Slow {
        final CountDownLatch interrupted = new CountDownLatch(1);

        @Job(timeout = "PT0.5S", maxAttempts = 1)
        public void sleepOnVirtualThread() throws InterruptedException {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }

        @Job(bound = Bound.CPU, timeout = "PT0.5S", maxAttempts = 1)
        public void sleepOnPlatformThread() throws InterruptedException {
            Thread.sleep(30_000);
        }
    }

    private static final Slow slow = new Slow();
    private static HikariDataSource dataSource;
    private static TestEngine engine;

    @BeforeAll
    static void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), slow);
    }

    @AfterAll
    static void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void runLongerThanItsTimeoutIsInterruptedAndRecordedAsTimedOut() throws InterruptedException {
        long start = System.nanoTime();
        JobHandle<Void> handle = engine.jobs().enqueue(Slow::sleepOnVirtualThread);

        assertThatThrownBy(() -> handle.await(Duration.ofSeconds(15)))
                .isInstanceOfSatisfying(
                        JobFailedException.class, e -> assertThat(e.state()).isEqualTo(JobState.DEAD))
                .hasMessageContaining("timed out after PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(slow.interrupted.getCount()).as("the job saw the interrupt").isZero();

        assertTimedOut(engine.info(handle.id()), "Slow.sleepOnVirtualThread");
    }

    @Test
    void timeoutInterruptsAJobOnAPlatformThreadToo() {
        JobHandle<Void> handle = engine.jobs().enqueue(Slow::sleepOnPlatformThread);

        assertTimedOut(engine.awaitState(handle.id(), JobState.DEAD), "Slow.sleepOnPlatformThread");
    }

    private static void assertTimedOut(JobInfo job, String name) {
        String error = "io.taskbound.JobTimeoutException: Job \"" + name + "\" timed out after PT0.5S";
        assertThat(job.state()).isEqualTo(JobState.DEAD);
        assertThat(job.error()).isEqualTo(error);
        // The run is measured from just after its timer is set, so it may show a hair under 0.5 s.
        assertThat(job.wallTime()).isBetween(Duration.ofMillis(450), Duration.ofSeconds(15));
        List<AttemptInfo> attempts = engine.attempts(job.id());
        assertThat(attempts).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("TIMED_OUT");
            assertThat(attempt.error()).isEqualTo(error);
            assertThat(attempt.stackTrace())
                    .as("the interrupt the timeout caused is the cause")
                    .contains("Caused by: java.lang.InterruptedException");
        });
    }
}
