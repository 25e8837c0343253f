package io.taskbound.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.OverlapPolicy;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A node whose clock is 5 s ahead of the database's, or behind it: delayed jobs and schedules are
 * neither early nor missed, because the database's clock rules. The engines poll once every ten
 * minutes, so only timers (set from another node's announcement, or by the schedule firer) start
 * the jobs within the test's wait.
 */
class ClockSkewTest {

    public static class Work {
        @Job(name = "ping")
        public String ping() {
            return "pong";
        }

        @Job(name = "tick")
        public void tick() {}
    }

    private static final TaskboundSettings RARELY_POLLING = TaskboundSettings.defaults()
            .withTimings(Duration.ofMinutes(10), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));

    private HikariDataSource dataSource;
    private HikariDataSource otherPool;
    private TestEngine worker;
    private TestEngine enqueuer;

    @AfterEach
    void stop() {
        if (enqueuer != null) {
            enqueuer.close();
        }
        if (worker != null) {
            worker.close();
        }
        otherPool.close();
        dataSource.close();
    }

    @ParameterizedTest(name = "wall clock {0} s off")
    @ValueSource(ints = {5, -5})
    void aJobDelayedOnAnotherNodeStartsOnTimeByTheDatabasesClock(int skewSeconds) {
        startNodes(skewSeconds);
        assertThat(worker.engine().wallClockSkew())
                .as("the skew the worker measured")
                .isBetween(
                        Duration.ofSeconds(-skewSeconds).minusMillis(500),
                        Duration.ofSeconds(-skewSeconds).plusMillis(500));

        JobHandle<String> handle = enqueuer.jobs().schedule(Work::ping).in(Duration.ofMillis(1500));

        JobInfo done = worker.awaitState(handle.id(), JobState.SUCCEEDED);
        System.out.printf(
                "Wall clock %+d s off: the delayed job started %s after its time%n", skewSeconds, done.lateness());
        assertThat(done.startedAt()).as("not early, by the database's clock").isAfterOrEqualTo(done.runAt());
        assertThat(done.lateness()).as("not late").isLessThan(Duration.ofMillis(300));
    }

    @ParameterizedTest(name = "wall clock {0} s off")
    @ValueSource(ints = {5, -5})
    void aPerSecondScheduleOnTheSkewedNodeIsNeitherEarlyNorMissesASecond(int skewSeconds) {
        startNodes(skewSeconds);
        worker.jobs()
                .recurring("every-second")
                .cron("* * * * * *")
                .overlap(OverlapPolicy.ALLOW)
                .call(Work::tick);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        // Six seconds' ticks, all started.
        List<Tick> ticks = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> ticks(jdbc).stream().limit(6).toList(),
                        first -> first.size() == 6 && first.stream().allMatch(tick -> tick.startedAt() != null));
        for (int i = 0; i < ticks.size(); i++) {
            Tick tick = ticks.get(i);
            assertThat(tick.runAt()).isEqualTo(tick.fireTime());
            assertThat(tick.startedAt())
                    .as("tick %s not early", tick.fireTime())
                    .isAfterOrEqualTo(tick.runAt());
            if (i > 0) {
                assertThat(Duration.between(ticks.get(i - 1).fireTime(), tick.fireTime()))
                        .as("no second missed before %s", tick.fireTime())
                        .isEqualTo(Duration.ofSeconds(1));
            }
        }
    }

    private void startNodes(int skewSeconds) {
        dataSource = TestDatabase.create();
        otherPool = TestDatabase.anotherPool(dataSource);
        InstantSource skewed = InstantSource.offset(InstantSource.system(), Duration.ofSeconds(skewSeconds));
        worker = TestEngine.startWithWallClock(dataSource, RARELY_POLLING, skewed, new Work());
        // A node that only enqueues (not started: no dispatcher, no timer of its own).
        enqueuer = TestEngine.create(otherPool, RARELY_POLLING, null, RandomGenerator.getDefault(), new Work());
    }

    private record Tick(
            Instant fireTime, Instant runAt, @Nullable Instant startedAt) {}

    private static List<Tick> ticks(JdbcTemplate jdbc) {
        return jdbc.query(
                """
                select fire_time, run_at, started_at from taskbound_job
                 where schedule_id = 'every-second' order by fire_time""",
                (row, i) -> new Tick(
                        row.getTimestamp(1).toInstant(),
                        row.getTimestamp(2).toInstant(),
                        row.getTimestamp(3) == null ? null : row.getTimestamp(3).toInstant()));
    }
}
