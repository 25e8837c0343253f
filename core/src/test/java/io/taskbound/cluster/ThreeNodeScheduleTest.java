package io.taskbound.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.JobContext;
import io.taskbound.OverlapPolicy;
import io.taskbound.Recurring;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Three engines on one database, as three instances of an application, share a one-second schedule
 * on the real clock: every fire time makes exactly one job, which runs once, and none is missed,
 * also when one engine dies abruptly half-way.
 */
class ThreeNodeScheduleTest {

    /** Fire time → runs of its job, across all engines. */
    static final Map<Instant, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    static final Map<UUID, AtomicInteger> RUNS_BY_JOB = new ConcurrentHashMap<>();

    public static class EverySecond {
        // Overlap allowed: this test is about firing; a job still being completed when the next
        // second comes (on a loaded machine) would otherwise skip that second by design.
        @Recurring(cron = "* * * * * *", id = "every-second", overlap = OverlapPolicy.ALLOW)
        public void tick(JobContext context) {
            RUNS.computeIfAbsent(context.fireTime().orElseThrow(), t -> new AtomicInteger())
                    .incrementAndGet();
            RUNS_BY_JOB
                    .computeIfAbsent(context.jobId(), id -> new AtomicInteger())
                    .incrementAndGet();
        }
    }

    private HikariDataSource dataSource;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<TestEngine> engines = new ArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(engine -> {
            try {
                engine.close();
            } catch (RuntimeException alreadyCrashed) {
                // The crashed engine's persistence is closed already.
            }
        });
        pools.forEach(HikariDataSource::close);
        dataSource.close();
        RUNS.clear();
        RUNS_BY_JOB.clear();
    }

    @Test
    void threeEnginesFireAOneSecondScheduleExactlyOncePerSecondForAMinute() {
        startThreeEngines(TestSettings.fast());
        Instant from = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Instant to = from.plusSeconds(60);

        await().atMost(Duration.ofSeconds(90)).until(() -> Instant.now().isAfter(to.plusSeconds(2)));

        assertEveryFireTimeRanExactlyOnce(from, to);
        report("3 nodes", from, to);
    }

    @Test
    void fireTimesAreNeitherMissedNorDoubledWhenOneOfThreeEnginesDiesMidWay() {
        // A dead node's running job is re-queued after 2 s; meanwhile the schedule keeps firing
        // (overlap allowed), so every fire time has its own job to count.
        startThreeEngines(TestSettings.fast()
                .withTimings(
                        Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5)));
        engines.getFirst()
                .jobs()
                .recurring("every-second-allow")
                .cron("* * * * * *")
                .overlap(OverlapPolicy.ALLOW)
                .call(EverySecond::tick);
        Instant from = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Instant to = from.plusSeconds(30);

        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(from.plusSeconds(10)));
        engines.get(1).crash();
        await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(to.plusSeconds(2)));

        // Fire times of both schedules count: each has one job per fire time.
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (String schedule : List.of("every-second", "every-second-allow")) {
            List<Instant> fired = fireTimes(jdbc, schedule, from, to);
            assertThat(fired).as(schedule).hasSize(30).doesNotHaveDuplicates();
        }
        // A job the crashed engine was running is re-queued and runs elsewhere: all finish.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.queryForObject(
                                "select count(*) from taskbound_job where schedule_id = 'every-second-allow'"
                                        + " and fire_time >= ? and fire_time < ? and state <> 'SUCCEEDED'",
                                Long.class,
                                java.sql.Timestamp.from(from),
                                java.sql.Timestamp.from(to))
                        == 0);
        report("3 nodes, one dies after 10 s", from, to);
    }

    private void startThreeEngines(io.taskbound.settings.TaskboundSettings settings) {
        dataSource = TestDatabase.create();
        for (int i = 0; i < 3; i++) {
            HikariDataSource pool = i == 0 ? dataSource : TestDatabase.anotherPool(dataSource);
            if (i > 0) {
                pools.add(pool);
            }
            engines.add(TestEngine.start(pool, settings, new EverySecond()));
        }
    }

    private void assertEveryFireTimeRanExactlyOnce(Instant from, Instant to) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<Instant> expected = new ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(1)) {
            expected.add(t);
        }
        assertThat(fireTimes(jdbc, "every-second", from, to)).containsExactlyElementsOf(expected);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(expected)
                        .allSatisfy(t -> assertThat(RUNS.get(t))
                                .as("runs of fire time %s", t)
                                .hasValue(1)));
        assertThat(RUNS_BY_JOB.values()).allSatisfy(runs -> assertThat(runs).hasValue(1));
    }

    private static List<Instant> fireTimes(JdbcTemplate jdbc, String schedule, Instant from, Instant to) {
        return jdbc
                .queryForList(
                        "select fire_time from taskbound_job where schedule_id = ? and fire_time >= ?"
                                + " and fire_time < ? order by fire_time",
                        java.sql.Timestamp.class,
                        schedule,
                        java.sql.Timestamp.from(from),
                        java.sql.Timestamp.from(to))
                .stream()
                .map(java.sql.Timestamp::toInstant)
                .toList();
    }

    /** Prints the lateness of the window's runs: fire time to claim, by the database's clock. */
    private void report(String what, Instant from, Instant to) {
        List<Double> lateness = new JdbcTemplate(dataSource)
                .queryForList(
                        "select extract(epoch from started_at - run_at) * 1000 from taskbound_job"
                                + " where schedule_id = 'every-second' and fire_time >= ? and fire_time < ?"
                                + " and started_at is not null order by 1",
                        Double.class,
                        java.sql.Timestamp.from(from),
                        java.sql.Timestamp.from(to));
        System.out.printf(
                "Schedule lateness, %s: %d runs, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                what,
                lateness.size(),
                lateness.get(lateness.size() / 2),
                lateness.get(Math.min(lateness.size() - 1, (int) Math.ceil(lateness.size() * 0.99) - 1)),
                lateness.getLast());
    }
}
