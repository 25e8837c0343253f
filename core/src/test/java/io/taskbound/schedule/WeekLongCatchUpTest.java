package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.RecurringRequest;
import io.taskbound.registry.JobRegistry;
import io.taskbound.store.ScheduleStore;
import io.taskbound.store.StoredSchedule;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import io.taskbound.trace.JobTracing;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A per-second schedule after a week with no node running: about 600,000 missed fire times. What
 * it fires is what its misfire policy says, and deciding it (the work done under the schedule's row
 * lock) takes milliseconds, not a walk over every missed second.
 */
class WeekLongCatchUpTest {

    public static class Work {
        @Job(name = "tick")
        public void tick() {}
    }

    private static final Duration WEEK = Duration.ofDays(7);
    private static final int MAX_CATCH_UP = 5;
    // The latest missed second is half a second old when the engine looks: past this threshold, so
    // SKIP fires nothing.
    private static final Duration MISFIRE_THRESHOLD = Duration.ofMillis(100);

    // Half a second past a whole second: the latest missed fire time of both timings is then a
    // whole second before "now", and none is due at the very instant the engine looks.
    private final MutableClock clock =
            new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(500));
    private HikariDataSource dataSource;
    private TestEngine engine;
    private JdbcTemplate jdbc;

    @BeforeEach
    void database() {
        dataSource = TestDatabase.create();
        jdbc = new JdbcTemplate(dataSource);
        engine = TestEngine.create(
                dataSource,
                TestSettings.withMisfireThreshold(TestSettings.onTestClock(), MISFIRE_THRESHOLD),
                clock,
                new SplittableRandom(7),
                new Work());
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cron", "every"})
    void fireOnceMakesOneJobForTheLatestMissedSecond(String timing) {
        schedule(timing, MisfirePolicy.FIRE_ONCE);
        Instant latest = downForAWeek();

        await().atMost(Duration.ofSeconds(20)).until(() -> nextFireAt().isAfter(latest));
        assertThat(fireTimes()).containsExactly(latest);
        assertThat(nextFireAt()).isEqualTo(latest.plusSeconds(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cron", "every"})
    void fireAllMakesExactlyMaxCatchUpJobsForTheLatestSeconds(String timing) {
        schedule(timing, MisfirePolicy.FIRE_ALL);
        Instant latest = downForAWeek();

        await().atMost(Duration.ofSeconds(20)).until(() -> nextFireAt().isAfter(latest));
        assertThat(fireTimes()).containsExactlyElementsOf(latestSeconds(latest));
        assertThat(nextFireAt()).isEqualTo(latest.plusSeconds(1));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cron", "every"})
    void skipMakesNoJobAndGoesOnFromTheFirstSecondAfterNow(String timing) {
        schedule(timing, MisfirePolicy.SKIP);
        Instant latest = downForAWeek();

        await().atMost(Duration.ofSeconds(20)).until(() -> nextFireAt().isAfter(latest));
        assertThat(fireTimes()).isEmpty();
        assertThat(nextFireAt()).isEqualTo(latest.plusSeconds(1)).isAfter(clock.instant());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cron", "every"})
    void decidingAWeekOrAYearOfMissedSecondsTakesMilliseconds(String timing) {
        JobRegistry registry = new JobRegistry(TestSettings.onTestClock());
        registry.register(new Work(), Work.class);
        FirePlanner planner = new FirePlanner(
                registry,
                TestSettings.withMisfireThreshold(TestSettings.onTestClock(), MISFIRE_THRESHOLD),
                new SplittableRandom(7),
                JobTracing.NONE);

        // The first decision is timed too: it is the one a node makes after a restart, JIT-cold.
        for (Duration downtime : List.of(WEEK, Duration.ofDays(365))) {
            Instant now = clock.instant().plus(downtime);
            Instant latest = now.truncatedTo(ChronoUnit.SECONDS);
            for (MisfirePolicy policy : MisfirePolicy.values()) {
                StoredSchedule missed = stored(timing, policy, clock.instant().plusMillis(500));
                long started = System.nanoTime();
                ScheduleStore.Fire fire = planner.decide(missed, false, now);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                System.out.printf(
                        "Catch-up after %s, %s, %s: decided in %.3f ms%n",
                        downtime, timing, policy, took.toNanos() / 1e6);

                // Loose on purpose: timing goals belong to the benchmarks; walking every missed
                // second took over a second for a week and about a minute for a year.
                assertThat(took)
                        .as("a decision, not a walk over every missed second")
                        .isLessThan(Duration.ofSeconds(1));
                assertThat(fire.nextFireAt()).isEqualTo(latest.plusSeconds(1));
                assertThat(fire.jobs())
                        .extracting(job -> job.fireTime())
                        .containsExactlyElementsOf(expectedFireTimes(policy, latest));
            }
        }
    }

    private static List<Instant> expectedFireTimes(MisfirePolicy policy, Instant latest) {
        return switch (policy) {
            case FIRE_ONCE -> List.of(latest);
            case FIRE_ALL -> latestSeconds(latest);
            case SKIP -> List.of();
        };
    }

    private static List<Instant> latestSeconds(Instant latest) {
        return LongStream.range(0, MAX_CATCH_UP)
                .mapToObj(k -> latest.minusSeconds(MAX_CATCH_UP - 1 - k))
                .toList();
    }

    private void schedule(String timing, MisfirePolicy policy) {
        RecurringRequest request = engine.jobs().recurring("per-second");
        request = timing.equals("cron") ? request.cron("* * * * * *") : request.every(Duration.ofSeconds(1));
        request.misfire(policy)
                .maxCatchUp(MAX_CATCH_UP)
                .overlap(OverlapPolicy.ALLOW)
                .call("tick", "[]");
        // The interval counts from the creation time, half a second past a whole second: its fire
        // times then fall on whole seconds too.
        jdbc.update(
                "update taskbound_schedule set anchor_at = ?::timestamptz, next_fire_at = ?::timestamptz",
                clock.instant().minusMillis(500).toString(),
                clock.instant().plusMillis(500).toString());
    }

    /** No engine runs while a week passes; then one starts. Returns the latest missed fire time. */
    private Instant downForAWeek() {
        Instant now = clock.advance(WEEK);
        engine.engine().start();
        return now.truncatedTo(ChronoUnit.SECONDS);
    }

    private StoredSchedule stored(String timing, MisfirePolicy policy, Instant nextFireAt) {
        Instant anchor = nextFireAt.minusSeconds(1);
        return new StoredSchedule(
                "per-second",
                "tick",
                "[]",
                null,
                null,
                null,
                timing.equals("cron") ? "* * * * * *" : null,
                timing.equals("cron") ? null : Duration.ofSeconds(1),
                ZoneId.of("Europe/Paris"),
                anchor,
                policy,
                MAX_CATCH_UP,
                OverlapPolicy.ALLOW,
                Duration.ZERO,
                false,
                nextFireAt,
                null,
                null,
                anchor,
                anchor);
    }

    private Instant nextFireAt() {
        return engine.jobs().schedules().find("per-second").orElseThrow().nextFireAt();
    }

    private List<Instant> fireTimes() {
        return jdbc
                .queryForList(
                        "select fire_time from taskbound_job where schedule_id = 'per-second' order by fire_time",
                        java.sql.Timestamp.class)
                .stream()
                .map(java.sql.Timestamp::toInstant)
                .toList();
    }
}
