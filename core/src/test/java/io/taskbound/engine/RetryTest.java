package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobFailedException;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.run.Backoff;
import io.taskbound.settings.LaneSettings;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed runs are retried after an exponential backoff with jitter, on a clock the test moves, and
 * a job that fails its last attempt is dead with the error of every attempt kept.
 */
class RetryTest {

    private static final long SEED = 20_240_601L;

    public static class Flaky {
        final AtomicInteger runs = new AtomicInteger();
        final List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();

        @Job(maxAttempts = 3)
        public void alwaysFails(JobContext context) {
            runs.incrementAndGet();
            attemptsSeen.add(context.attempt());
            throw new IllegalStateException("broken on attempt " + context.attempt());
        }

        @Job(maxAttempts = 5)
        public String failsTwice(JobContext context) {
            if (context.attempt() < 3) {
                throw new IllegalStateException("not yet");
            }
            return "made it on attempt " + context.attempt();
        }
    }

    private final MutableClock clock = MutableClock.atNow();
    private final Flaky flaky = new Flaky();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.onTestClock(), clock, new SplittableRandom(SEED), flaky);
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void retriesWithBackoffAndEndsDeadAfterLastAttempt() {
        // The same seed draws the same jitter the engine draws: the delays are known exactly.
        Backoff expected = new Backoff(
                LaneSettings.DEFAULT_INITIAL_BACKOFF, LaneSettings.DEFAULT_MAX_BACKOFF, new SplittableRandom(SEED));
        Instant start = clock.instant();
        JobHandle<Void> handle = engine.jobs().enqueue(Flaky::alwaysFails);
        UUID id = handle.id();

        JobInfo first = engine.awaitInfo(id, info -> info.state() == JobState.RETRYING);
        Duration firstDelay = expected.delayAfter(1);
        assertThat(firstDelay).isBetween(Duration.ofMillis(750), Duration.ofMillis(1_250));
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.runAt()).isEqualTo(start.plus(firstDelay));
        assertThat(first.error()).isEqualTo("java.lang.IllegalStateException: broken on attempt 1");

        clock.set(first.runAt().minusMillis(1));
        engine.engine().wake("io");
        await("not claimed before its run_at")
                .during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(3))
                .until(() -> flaky.runs.get() == 1 && engine.info(id).state() == JobState.RETRYING);

        clock.set(first.runAt());
        engine.engine().wake("io");
        JobInfo second = engine.awaitInfo(id, info -> info.state() == JobState.RETRYING && info.attempt() == 2);
        Duration secondDelay = expected.delayAfter(2);
        assertThat(secondDelay).isBetween(Duration.ofMillis(1_500), Duration.ofMillis(2_500));
        assertThat(second.runAt()).isEqualTo(first.runAt().plus(secondDelay));

        clock.set(second.runAt());
        engine.engine().wake("io");
        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).isEqualTo(3);
        assertThat(dead.finishedAt()).isEqualTo(second.runAt());
        assertThat(dead.error()).isEqualTo("java.lang.IllegalStateException: broken on attempt 3");
        assertThat(flaky.runs.get()).isEqualTo(3);
        assertThat(flaky.attemptsSeen).containsExactly(1, 2, 3);
        List<AttemptInfo> attempts = engine.attempts(id);
        assertThat(attempts).extracting(AttemptInfo::attempt).containsExactly(1, 2, 3);
        assertThat(attempts).extracting(AttemptInfo::finishedAt).containsExactly(start, first.runAt(), second.runAt());
        assertThat(attempts).allSatisfy(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("FAILED");
            assertThat(attempt.error())
                    .isEqualTo("java.lang.IllegalStateException: broken on attempt " + attempt.attempt());
            assertThat(attempt.stackTrace())
                    .startsWith("java.lang.IllegalStateException: broken on attempt")
                    .contains("RetryTest$Flaky.alwaysFails");
            assertThat(attempt.nodeId()).isEqualTo(engine.engine().nodeId().toString());
        });
        assertThatThrownBy(() -> handle.await(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(
                        JobFailedException.class, e -> assertThat(e.state()).isEqualTo(JobState.DEAD))
                .hasMessageContaining("broken on attempt 3");
    }

    @Test
    void jobThatSucceedsOnARetryEndsSucceededWithItsFailedAttemptsKept() {
        JobHandle<String> handle = engine.jobs().enqueue(Flaky::failsTwice);
        UUID id = handle.id();

        for (int attempt = 1; attempt <= 2; attempt++) {
            int failed = attempt;
            JobInfo retrying =
                    engine.awaitInfo(id, info -> info.state() == JobState.RETRYING && info.attempt() == failed);
            clock.set(retrying.runAt());
            engine.engine().wake("io");
        }

        assertThat(handle.await(Duration.ofSeconds(20))).isEqualTo("made it on attempt 3");
        JobInfo succeeded = engine.info(id);
        assertThat(succeeded.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(succeeded.error()).as("the last error is cleared").isNull();
        assertThat(engine.attempts(id))
                .extracting(AttemptInfo::attempt, AttemptInfo::outcome)
                .containsExactly(tuple(1, "FAILED"), tuple(2, "FAILED"));
    }
}
