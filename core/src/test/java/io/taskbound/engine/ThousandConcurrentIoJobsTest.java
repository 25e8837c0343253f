package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobState;
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
import org.junit.jupiter.api.Test;

/** The I/O lane's default concurrency is real: a thousand waiting jobs wait at the same time. */
class ThousandConcurrentIoJobsTest {

    private static final int JOBS = 1_000;

    public static class Waiter {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger onPlatformThreads = new AtomicInteger();
        final CountDownLatch allRunning = new CountDownLatch(JOBS);

        /** Waits until every one of the thousand is running: only possible if they all run at once. */
        @Job(bound = Bound.IO, maxAttempts = 1)
        public void waitForTheOthers() throws InterruptedException {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (!Thread.currentThread().isVirtual()) {
                onPlatformThreads.incrementAndGet();
            }
            try {
                allRunning.countDown();
                if (!allRunning.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Only " + maxRunning + " jobs ran at once");
                }
            } finally {
                running.decrementAndGet();
            }
        }
    }

    private HikariDataSource dataSource;
    private TestEngine engine;

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void thousandWaitingIoJobsRunAtOnceOnVirtualThreads() throws InterruptedException {
        Waiter waiter = new Waiter();
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), waiter);

        List<UUID> ids = new ArrayList<>();
        engine.transactions().executeWithoutResult(status -> {
            for (int i = 0; i < JOBS; i++) {
                ids.add(engine.jobs().enqueue(Waiter::waitForTheOthers).id());
            }
        });

        assertThat(waiter.allRunning.await(60, TimeUnit.SECONDS))
                .as("all %d jobs running at once (at most %d were)", JOBS, waiter.maxRunning.get())
                .isTrue();
        assertThat(waiter.maxRunning.get()).isGreaterThanOrEqualTo(JOBS);
        assertThat(waiter.onPlatformThreads.get()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> engine.engine().store().snapshots(ids).values().stream()
                                .map(JobSnapshot::state)
                                .filter(JobState.SUCCEEDED::equals)
                                .count()
                        == JOBS);
    }
}
