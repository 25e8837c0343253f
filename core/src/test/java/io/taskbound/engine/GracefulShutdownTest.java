package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A graceful stop lets running jobs finish within the shutdown timeout and puts the others back in
 * the queue, without charging them an attempt, for another node to run.
 */
class GracefulShutdownTest {

    private static final TaskboundSettings SETTINGS = TaskboundSettings.defaults()
            .withTimings(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(1));

    public static class Work {
        final String node;
        final boolean slowHere;
        final AtomicReference<TaskboundEngine> engine = new AtomicReference<>();
        final CountDownLatch allStarted = new CountDownLatch(3);
        final AtomicInteger interrupts = new AtomicInteger();
        final CountDownLatch letStubbornEnd = new CountDownLatch(1);
        final CountDownLatch stubbornEnded = new CountDownLatch(1);

        Work(String node, boolean slowHere) {
            this.node = node;
            this.slowHere = slowHere;
        }

        /** Finishes during the shutdown: it waits for the stop to begin, then returns. */
        @Job(name = "work.quick")
        public String quick() {
            allStarted.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (slowHere && engine.get().isRunning() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return node;
        }

        /** Outlives the shutdown timeout, and stops when interrupted. */
        @Job(name = "work.slow")
        public String slow() throws InterruptedException {
            allStarted.countDown();
            if (slowHere) {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    interrupts.incrementAndGet();
                    throw e;
                }
            }
            return node;
        }

        /** Outlives the shutdown timeout and ignores interrupts: it runs on after its node stopped. */
        @Job(name = "work.stubborn")
        public String stubborn() {
            allStarted.countDown();
            try {
                while (slowHere) {
                    try {
                        if (letStubbornEnd.await(60, TimeUnit.SECONDS)) {
                            break;
                        }
                    } catch (InterruptedException ignored) {
                        interrupts.incrementAndGet();
                    }
                }
                return node;
            } finally {
                stubbornEnded.countDown();
            }
        }
    }

    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private TestEngine b;

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        poolB.close();
        poolA.close();
    }

    @Test
    void jobsPastTheShutdownTimeoutAreRequeuedWithoutChargingAnAttemptAndRunElsewhere() throws InterruptedException {
        poolA = TestDatabase.create();
        poolB = TestDatabase.anotherPool(poolA);
        Work onA = new Work("a", true);
        TestEngine a = TestEngine.start(poolA, SETTINGS, onA);
        onA.engine.set(a.engine());
        UUID quick = a.jobs().enqueue(Work::quick).id();
        UUID slow = a.jobs().enqueue(Work::slow).id();
        UUID stubborn = a.jobs().enqueue(Work::stubborn).id();
        assertThat(onA.allStarted.await(20, TimeUnit.SECONDS)).isTrue();

        long stopping = System.nanoTime();
        a.close();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);

        assertThat(stopTook).as("waited for the timeout, not for the jobs").isLessThan(Duration.ofSeconds(15));
        b = TestEngine.start(poolB, SETTINGS);
        JobInfo finished = b.info(quick);
        assertThat(finished.state()).as("finished within the timeout").isEqualTo(JobState.SUCCEEDED);
        assertThat(finished.resultJson()).isEqualTo("\"a\"");
        for (UUID requeued : new UUID[] {slow, stubborn}) {
            JobInfo job = b.info(requeued);
            assertThat(job.state()).isEqualTo(JobState.QUEUED);
            assertThat(job.attempt()).as("the attempt is given back").isZero();
            assertThat(job.nodeId()).isNull();
            assertThat(b.attempts(requeued)).isEmpty();
        }
        assertThat(onA.interrupts.get()).as("both were interrupted").isGreaterThanOrEqualTo(2);
        b.close();

        Work onB = new Work("b", false);
        b = TestEngine.start(poolB, SETTINGS, onB);
        JobInfo slowOnB = b.awaitState(slow, JobState.SUCCEEDED);
        JobInfo stubbornOnB = b.awaitState(stubborn, JobState.SUCCEEDED);
        assertThat(slowOnB.resultJson()).isEqualTo("\"b\"");
        assertThat(slowOnB.attempt()).isEqualTo(1);
        assertThat(stubbornOnB.resultJson()).isEqualTo("\"b\"");

        // The stubborn run on the stopped node ends at last: its outcome is dropped.
        onA.letStubbornEnd.countDown();
        assertThat(onA.stubbornEnded.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(b.info(stubborn).resultJson()).isEqualTo("\"b\"");
    }
}
