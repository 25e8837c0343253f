package io.taskbound.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job counters and timers on a real engine: each outcome counted once under the job's lane,
 * bound and name, and names this node does not run counted as {@code other}.
 */
class JobMetricsTest {

    public static class Work {
        final CountDownLatch waiting = new CountDownLatch(1);

        @Job(name = "metrics.quick")
        public void quick() {}

        @Job(name = "metrics.alwaysFails", maxAttempts = 2, bound = Bound.CPU)
        public void alwaysFails() {
            throw new IllegalStateException("broken");
        }

        @Job(name = "metrics.overruns", maxAttempts = 2, timeout = "PT0.2S")
        public void overruns() throws InterruptedException {
            // The timeout interrupts the wait.
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        }

        @Job(name = "metrics.waitsForCancellation")
        public void waitsForCancellation() throws InterruptedException {
            waiting.countDown();
            new CountDownLatch(1).await(60, TimeUnit.SECONDS);
        }
    }

    /** A job only another node runs. */
    public static class Elsewhere {
        @Job(name = "metrics.elsewhere")
        public void run() {}
    }

    private final MutableClock clock = MutableClock.atNow();
    private final Work work = new Work();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private HikariDataSource dataSource;
    private TestEngine engine;
    private volatile JobMetrics metrics;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.startWith(
                dataSource,
                TestSettings.onTestClock(),
                clock,
                // The catalog is the engine's registry, which exists only once the engine is built.
                builder -> builder.listener(event -> metrics.onEvent(event)),
                work);
        metrics = new JobMetrics(meters, engine.engine().registry());
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void aJobThatSucceedsIsCountedEnqueuedStartedAndSucceededAndItsRunAndWaitAreTimed() {
        engine.jobs().enqueue(Work::quick);

        awaitCount(JobMetrics.FINISHED, 1, "job", "metrics.quick", "outcome", "succeeded");
        assertThat(count(JobMetrics.ENQUEUED, "job", "metrics.quick", "lane", "io", "bound", "io"))
                .isEqualTo(1);
        assertThat(count(JobMetrics.STARTED, "job", "metrics.quick")).isEqualTo(1);
        assertThat(timer(JobMetrics.RUN, "job", "metrics.quick").count()).isEqualTo(1);
        Timer waited = timer(JobMetrics.WAIT, "job", "metrics.quick");
        assertThat(waited.count()).isEqualTo(1);
        assertThat(waited.totalTime(TimeUnit.NANOSECONDS))
                .as("due at once on a still clock")
                .isZero();
        assertThat(meters.find(JobMetrics.FINISHED).tag("job", "metrics.quick").counters())
                .as("no other outcome")
                .hasSize(1);
    }

    @Test
    void aFailedAttemptCountsFailedWillRetryAndTheLastOneDead() {
        UUID id = engine.jobs().enqueue(Work::alwaysFails).id();

        awaitCount(JobMetrics.FINISHED, 1, "job", "metrics.alwaysFails", "outcome", "failed-will-retry");
        retryNow(id, "cpu");
        awaitCount(JobMetrics.FINISHED, 1, "job", "metrics.alwaysFails", "outcome", "dead");

        assertThat(count(JobMetrics.FINISHED, "job", "metrics.alwaysFails", "lane", "cpu", "bound", "cpu"))
                .isEqualTo(2);
        assertThat(count(JobMetrics.STARTED, "job", "metrics.alwaysFails")).isEqualTo(2);
        assertThat(timer(JobMetrics.RUN, "job", "metrics.alwaysFails").count()).isEqualTo(2);
    }

    @Test
    void aRunThatOverrunsItsTimeoutCountsTimedOutAndOnItsLastAttemptDead() {
        UUID id = engine.jobs().enqueue(Work::overruns).id();

        awaitCount(JobMetrics.FINISHED, 1, "job", "metrics.overruns", "outcome", "timed-out");
        assertThat(count(JobMetrics.FINISHED, "job", "metrics.overruns", "outcome", "failed-will-retry"))
                .isZero();
        retryNow(id, "io");
        awaitCount(JobMetrics.FINISHED, 1, "job", "metrics.overruns", "outcome", "dead");
        assertThat(count(JobMetrics.FINISHED, "job", "metrics.overruns", "outcome", "timed-out"))
                .isEqualTo(1);
    }

    @Test
    void aCancelledRunAndACancelledWaitingJobCountCancelled() throws InterruptedException {
        UUID waiting =
                engine.jobs().schedule(Work::quick).in(Duration.ofHours(1)).id();
        UUID running = engine.jobs().enqueue(Work::waitsForCancellation).id();
        assertThat(work.waiting.await(20, TimeUnit.SECONDS)).isTrue();

        assertThat(engine.jobs().cancel(waiting)).isTrue();
        assertThat(engine.jobs().cancel(running)).isTrue();

        awaitCount(JobMetrics.FINISHED, 1, "job", "metrics.quick", "outcome", "cancelled");
        awaitCount(JobMetrics.FINISHED, 1, "job", "metrics.waitsForCancellation", "outcome", "cancelled");
        assertThat(timer(JobMetrics.RUN, "job", "metrics.waitsForCancellation").count())
                .isEqualTo(1);
        assertThat(meters.find(JobMetrics.RUN).tag("job", "metrics.quick").timer())
                .as("a job cancelled while waiting never ran")
                .isNull();
    }

    @Test
    void aJobNameThatThisNodeDoesNotRunIsCountedAsOther() {
        // Another node, which runs nothing, enqueues a job this node does not know; this node cancels it.
        UUID foreign;
        try (TestEngine other = TestEngine.create(
                dataSource, TestSettings.onTestClock(), clock, RandomGenerator.getDefault(), new Elsewhere())) {
            foreign = other.jobs().enqueue(Elsewhere::run).id();
        }
        assertThat(engine.jobs().cancel(foreign)).isTrue();

        awaitCount(JobMetrics.FINISHED, 1, "job", JobMetrics.OTHER, "outcome", "cancelled");
        assertThat(meters.find(JobMetrics.FINISHED)
                        .tag("job", "metrics.elsewhere")
                        .meters())
                .isEmpty();
    }

    private void retryNow(UUID id, String lane) {
        JobInfo retrying = engine.awaitState(id, JobState.RETRYING);
        clock.set(retrying.runAt());
        engine.engine().wake(lane);
    }

    private void awaitCount(String meter, double expected, String... tags) {
        await(meter + " " + String.join(",", tags))
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> count(meter, tags), count -> count == expected);
    }

    private double count(String meter, String... tags) {
        return meters.find(meter).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private Timer timer(String meter, String... tags) {
        Timer timer = meters.find(meter).tags(tags).timer();
        assertThat(timer).as(meter + " " + String.join(",", tags)).isNotNull();
        return timer;
    }
}
