package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delayed job starts when it is due, not at the next poll: the engines here poll once every ten
 * minutes, so only the timers set at enqueue (here, or on another node through NOTIFY), from a
 * retry's announcement, or from the look a node takes when it starts listening start it.
 */
class DelayedJobsOnTimeTest {

    public static class Ping {
        @Job
        public String ping() {
            return "pong";
        }
    }

    public static class FailsOnce {
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        @Job(name = "fails.once", maxAttempts = 2)
        public String run() {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return "second attempt";
        }
    }

    private static final TaskboundSettings RARELY_POLLING = TaskboundSettings.defaults()
            .withTimings(Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));

    private HikariDataSource dataSource;
    private HikariDataSource otherPool;
    private TestEngine engine;
    private TestEngine other;

    @AfterEach
    void stop() {
        if (other != null) {
            other.close();
            otherPool.close();
        }
        engine.close();
        dataSource.close();
    }

    @Test
    void aJobDelayedOnThisNodeStartsWithinMillisecondsOfItsTime() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, RARELY_POLLING, new Ping());

        JobHandle<String> in = engine.jobs().schedule(Ping::ping).in(Duration.ofMillis(1500));
        JobHandle<String> at =
                engine.jobs().schedule(Ping::ping).at(Instant.now().plusMillis(2500));

        for (JobHandle<String> handle : java.util.List.of(in, at)) {
            JobInfo done = engine.awaitState(handle.id(), JobState.SUCCEEDED);
            assertThat(done.lateness()).isBetween(Duration.ZERO, Duration.ofMillis(200));
        }
    }

    @Test
    void aJobDelayedBeforeThisNodeStartedStartsOnTimeThroughTheLookItTakesWhenItStartsListening() {
        dataSource = TestDatabase.create();
        otherPool = TestDatabase.anotherPool(dataSource);
        other = TestEngine.create(otherPool, RARELY_POLLING, null, new java.util.Random(), new Ping());
        // Announced before this node listens: only the look it takes at start can find it.
        JobHandle<String> handle = other.jobs().schedule(Ping::ping).in(Duration.ofMillis(2500));

        engine = TestEngine.start(dataSource, RARELY_POLLING, new Ping());

        JobInfo done = engine.awaitState(handle.id(), JobState.SUCCEEDED);
        assertThat(done.lateness()).isBetween(Duration.ZERO, Duration.ofMillis(200));
    }

    @Test
    void aRetryStartsWhenItIsDueThroughItsAnnouncementNotAtTheNextPoll() {
        dataSource = TestDatabase.create();
        FailsOnce job = new FailsOnce();
        engine = TestEngine.start(dataSource, RARELY_POLLING, job);

        JobHandle<String> handle = engine.jobs().enqueue(FailsOnce::run);

        JobInfo done = engine.awaitState(handle.id(), JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.lateness())
                .as("the retry's start after its retry time")
                .isBetween(Duration.ZERO, Duration.ofMillis(200));
    }

    @Test
    void aJobDelayedOnAnotherNodeStartsOnTimeHereThroughItsAnnouncement() {
        dataSource = TestDatabase.create();
        otherPool = TestDatabase.anotherPool(dataSource);
        engine = TestEngine.start(dataSource, RARELY_POLLING, new Ping());
        // An engine that only enqueues (not started: no dispatcher, no timer of its own).
        other = TestEngine.create(otherPool, RARELY_POLLING, null, new java.util.Random(), new Ping());

        JobHandle<String> handle = other.jobs().schedule(Ping::ping).in(Duration.ofMillis(1500));

        JobInfo done = engine.awaitState(handle.id(), JobState.SUCCEEDED);
        assertThat(done.lateness()).isBetween(Duration.ZERO, Duration.ofMillis(200));
    }
}
