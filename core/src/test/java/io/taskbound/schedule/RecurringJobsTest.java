package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.OverlapPolicy;
import io.taskbound.Recurring;
import io.taskbound.ScheduleInfo;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code @Recurring} methods fire on time, once per fire time, with and without {@code @Job}. */
class RecurringJobsTest {

    public static class Ticker {
        @Recurring(every = "PT1S")
        public void tick(JobContext context) {
            context.log("tick");
        }

        // Overlap allowed: on a loaded machine a job still being completed when the next second
        // comes would skip that second by design, and this test checks one fire per second.
        @Recurring(cron = "* * * * * *", id = "every-second-cron", overlap = OverlapPolicy.ALLOW)
        @Job(name = "ticker.cron", maxAttempts = 2)
        public void cronTick() {}
    }

    private HikariDataSource dataSource;
    private TestEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void annotatedMethodsAreStoredAsSchedulesAndFireEverySecondOnTime() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), new Ticker());

        List<ScheduleInfo> schedules = engine.jobs().schedules().list();
        assertThat(schedules).extracting(ScheduleInfo::id).containsExactly("Ticker.tick", "every-second-cron");
        assertThat(schedules).allSatisfy(s -> assertThat(s.declaredInCode()).isTrue());
        assertThat(schedules.get(1).declaredBy()).isEqualTo("Ticker.cronTick()");

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> jdbc.queryForObject(
                                "select count(*) from taskbound_job where state = 'SUCCEEDED' and schedule_id = 'every-second-cron'",
                                Long.class)
                        >= 4);
        List<Map<String, Object>> fires = jdbc.queryForList("""
                select fire_time, run_at, max_attempts,
                       extract(epoch from started_at - run_at) * 1000 as lateness_ms
                  from taskbound_job where schedule_id = 'every-second-cron' and started_at is not null
                 order by fire_time""");
        assertThat(fires).allSatisfy(fire -> {
            assertThat(((java.sql.Timestamp) fire.get("fire_time")).toInstant().getNano())
                    .isZero();
            assertThat(fire.get("max_attempts")).isEqualTo(2);
            // Generous for a busy 2-core machine: without the firer's timer this would be up to a poll.
            assertThat(((Number) fire.get("lateness_ms")).doubleValue()).isLessThan(150);
        });
        List<Instant> fireTimes = fires.stream()
                .map(fire -> ((java.sql.Timestamp) fire.get("fire_time")).toInstant())
                .toList();
        for (int i = 1; i < fireTimes.size(); i++) {
            assertThat(Duration.between(fireTimes.get(i - 1), fireTimes.get(i))).isEqualTo(Duration.ofSeconds(1));
        }
    }
}
