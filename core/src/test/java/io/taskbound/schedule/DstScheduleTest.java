package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.MisfirePolicy;
import io.taskbound.ScheduleInfo;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Schedules in a zone fire at the right local times through the nights the clocks change, in
 * Europe/Paris and America/New_York, on a clock the test moves from one fire time to the next.
 */
class DstScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    public static class Nightly {
        @Job
        public void run() {}
    }

    private final MutableClock clock = new MutableClock(Instant.EPOCH);
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine =
                TestEngine.start(dataSource, TestSettings.onTestClock(), clock, new SplittableRandom(1), new Nightly());
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void parisSpringForwardNight() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that night.
        assertThat(fire("paris-spring", "0 30 2 * * *", PARIS, "2026-03-28T12:00", 3))
                .containsExactly("2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00");
        assertThat(fire("paris-spring-9", "0 0 9 * * *", PARIS, "2026-03-28T12:00", 2))
                .containsExactly("2026-03-29T09:00+02:00", "2026-03-30T09:00+02:00");
    }

    @Test
    void parisFallBackNight() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens twice that night.
        assertThat(fire("paris-fall", "0 30 2 * * *", PARIS, "2026-10-24T12:00", 3))
                .containsExactly("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00", "2026-10-27T02:30+01:00");
        assertThat(fire("paris-fall-hourly", "0 30 * * * *", PARIS, "2026-10-25T01:00", 4))
                .containsExactly(
                        "2026-10-25T01:30+02:00",
                        "2026-10-25T02:30+02:00",
                        "2026-10-25T02:30+01:00",
                        "2026-10-25T03:30+01:00");
    }

    @Test
    void newYorkSpringForwardNight() {
        // 2026-03-08: 02:00 EST becomes 03:00 EDT.
        assertThat(fire("ny-spring", "0 15 2 * * *", NEW_YORK, "2026-03-07T12:00", 2))
                .containsExactly("2026-03-08T03:15-04:00", "2026-03-09T02:15-04:00");
        assertThat(fire("ny-spring-hourly", "@hourly", NEW_YORK, "2026-03-08T00:30", 3))
                .containsExactly("2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00", "2026-03-08T04:00-04:00");
    }

    @Test
    void newYorkFallBackNight() {
        // 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:00 to 02:00 happens twice.
        assertThat(fire("ny-fall", "0 30 1 * * *", NEW_YORK, "2026-10-31T12:00", 2))
                .containsExactly("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00");
    }

    /**
     * Creates a schedule with the clock at {@code fromLocal} in {@code zone}, then moves the clock
     * to each next fire time the schedule shows and waits for the job it makes; returns the fire
     * times of those jobs, in the zone's local time with offset.
     */
    private List<String> fire(String id, String cron, ZoneId zone, String fromLocal, int count) {
        clock.set(LocalDateTime.parse(fromLocal).atZone(zone).toInstant());
        engine.jobs()
                .recurring(id)
                .cron(cron)
                .zone(zone)
                .misfire(MisfirePolicy.FIRE_ALL)
                .call(Nightly::run);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> fired = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ScheduleInfo schedule = engine.jobs().schedules().find(id).orElseThrow();
            clock.set(schedule.nextFireAt());
            int expected = i + 1;
            // Until the job has succeeded, not only exists: with the default overlap policy a fire
            // time reached while the previous job still runs makes no job.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> jdbc.queryForObject(
                                    "select count(*) from taskbound_job where schedule_id = ? and state = 'SUCCEEDED'",
                                    Integer.class,
                                    id)
                            == expected);
        }
        jdbc.queryForList(
                        "select fire_time from taskbound_job where schedule_id = ? order by fire_time",
                        java.sql.Timestamp.class,
                        id)
                .forEach(t ->
                        fired.add(t.toInstant().atZone(zone).toOffsetDateTime().toString()));
        return fired;
    }
}
