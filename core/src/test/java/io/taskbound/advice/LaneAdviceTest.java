package io.taskbound.advice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.LaneAdvice;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The advisor's lane advice on a real engine: jobs that sleep queue up behind a lane of concurrency
 * 1 while the CPU idles, and the lane is flagged with a higher concurrency to set; the same jobs on a
 * lane with room for them all are not, nor is the lane once paused.
 */
class LaneAdviceTest {

    private static final int BATCH = 50;

    public static class Sleepers {

        @Job(name = "lanes.narrow", lane = "narrow")
        public void narrow() throws InterruptedException {
            Thread.sleep(50);
        }

        @Job(name = "lanes.roomy", lane = "roomy")
        public void roomy() throws InterruptedException {
            Thread.sleep(50);
        }
    }

    private final HikariDataSource dataSource = TestDatabase.create();
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger watchLog = (Logger) LoggerFactory.getLogger(LaneWatch.class);
    private TestEngine engine;

    @AfterEach
    void stop() {
        watchLog.detachAppender(warnings);
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void aLaneWhoseSleepingJobsQueueBehindConcurrencyOneIsFlaggedAndARoomyOneIsNot() {
        warnings.start();
        watchLog.addAppender(warnings);
        watchLog.setLevel(Level.INFO);
        TaskboundSettings settings =
                TestSettings.fast().withLane("narrow", lane(1, 10)).withLane("roomy", lane(2 * BATCH, 2 * BATCH));
        // A window of 2 s looked at every 50 ms: judged after 1 s, on the last 1 to 2 s.
        Advisor.Settings advisor = new Advisor.Settings(
                Duration.ofSeconds(2),
                Advisor.Settings.DEFAULT_MIN_RUNS,
                Advisor.Settings.DEFAULT_MEMORY_HEAVY_BYTES,
                null,
                new LaneWatch.Settings(Duration.ofMillis(50), 0.5, 0.5));
        engine = TestEngine.startWith(dataSource, settings, null, builder -> builder.advisor(advisor), new Sleepers());

        // A batch keeps the narrow lane full for 2.5 s. The JIT may keep the CPU busy at first, so
        // batches follow one another until the lane is flagged, four at most.
        for (int batch = 0; batch < 4 && !flagged("narrow"); batch++) {
            List<JobHandle<Void>> runs = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                runs.add(engine.jobs().enqueue(Sleepers::narrow));
                runs.add(engine.jobs().enqueue(Sleepers::roomy));
            }
            await("the narrow lane flagged, or the batch done")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> flagged("narrow")
                            || runs.stream().allMatch(run -> run.future().isDone()));
        }

        List<LaneAdvice> found = engine.jobs().advisor().lanes();
        assertThat(found).extracting(LaneAdvice::lane).containsExactly("narrow");
        assertThat(found.getFirst()).satisfies(advice -> {
            assertThat(advice.concurrency()).isEqualTo(1);
            assertThat(advice.saturatedShare()).isGreaterThanOrEqualTo(0.5);
            assertThat(advice.cpuBusyShare()).isLessThan(0.5);
            assertThat(advice.averageHeld()).isPositive();
            assertThat(advice.suggestedConcurrency()).isGreaterThan(1);
            assertThat(advice.setting())
                    .isEqualTo("taskbound.lanes.narrow.concurrency=" + advice.suggestedConcurrency());
        });
        await("one warning for the narrow lane")
                .atMost(Duration.ofSeconds(10))
                .until(() -> List.copyOf(warnings.list).stream()
                        .filter(line -> line.getLevel() == Level.WARN)
                        .map(ILoggingEvent::getFormattedMessage)
                        .anyMatch(line -> line.startsWith("Lane \"narrow\" ran its only slot with work waiting")
                                && line.contains("Set taskbound.lanes.narrow.concurrency=")));
        assertThat(warnings.list)
                .filteredOn(line -> line.getLevel() == Level.WARN)
                .noneMatch(line -> line.getFormattedMessage().contains("\"roomy\""));

        engine.jobs().lanes().pause("narrow");
        assertThat(engine.jobs().advisor().lanes()).isEmpty();
    }

    private boolean flagged(String lane) {
        return engine.jobs().advisor().lanes().stream()
                .anyMatch(advice -> advice.lane().equals(lane));
    }

    private static LaneSettings lane(int concurrency, int batchSize) {
        return new LaneSettings(
                ExecutorKind.VIRTUAL,
                concurrency,
                50,
                batchSize,
                null,
                LaneSettings.DEFAULT_MAX_ATTEMPTS,
                LaneSettings.DEFAULT_INITIAL_BACKOFF,
                LaneSettings.DEFAULT_MAX_BACKOFF);
    }
}
