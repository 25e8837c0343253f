package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.OverlapPolicy;
import io.taskbound.Schedules;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pause, resume, trigger and update through the API while two engines fire the schedule every
 * second: no call fails or deadlocks, no fire time makes two jobs, and a pause holds from the moment
 * it returns.
 */
class ScheduleChangesWhileFiringTest {

    public static class Tick {
        @Job
        public void tick() {}
    }

    private HikariDataSource dataSource;
    private HikariDataSource otherPool;
    private TestEngine a;
    private TestEngine b;

    @AfterEach
    void stop() {
        a.close();
        b.close();
        otherPool.close();
        dataSource.close();
    }

    @Test
    void changesInterleaveWithFiringSafely() throws Exception {
        dataSource = TestDatabase.create();
        otherPool = TestDatabase.anotherPool(dataSource);
        a = TestEngine.start(dataSource, TestSettings.fast(), new Tick());
        b = TestEngine.start(otherPool, TestSettings.fast(), new Tick());
        a.jobs()
                .recurring("tick")
                .cron("* * * * * *")
                .overlap(OverlapPolicy.ALLOW)
                .call(Tick::tick);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        Schedules onA = a.jobs().schedules();
        Schedules onB = b.jobs().schedules();
        ExecutorService callers = Executors.newFixedThreadPool(3);
        Instant until = Instant.now().plusSeconds(6);
        List<Future<Integer>> calls = new ArrayList<>();
        calls.add(callers.submit(() -> repeat(until, i -> {
            if (i % 2 == 0) {
                onA.pause("tick");
            } else {
                onB.resume("tick");
            }
        })));
        calls.add(callers.submit(() -> repeat(until, i -> onB.trigger("tick"))));
        calls.add(callers.submit(() -> repeat(until, i -> {
            if (i % 2 == 0) {
                onA.update("tick").every(Duration.ofSeconds(1)).save();
            } else {
                onB.update("tick").cron("* * * * * *").save();
            }
        })));
        for (Future<Integer> call : calls) {
            assertThat(call.get()).as("calls made").isPositive();
        }
        callers.shutdown();

        // Every fire time has at most one fired job (triggered jobs carry their own instant).
        assertThat(jdbc.queryForObject(
                        "select count(*) from (select fire_time from taskbound_job where schedule_id = 'tick'"
                                + " group by fire_time having count(*) > 1) d",
                        Long.class))
                .isZero();

        // Paused: no fire time after the pause returned makes a job.
        onA.resume("tick");
        onB.pause("tick");
        Instant pausedAt = Instant.now();
        await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(jdbc.queryForObject(
                        "select count(*) from taskbound_job where schedule_id = 'tick' and fire_time > ?",
                        Long.class,
                        java.sql.Timestamp.from(pausedAt.plusMillis(100))))
                .isZero();

        // Resumed: it fires again, and every job of it runs.
        onA.resume("tick");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.queryForObject(
                                "select count(*) from taskbound_job where schedule_id = 'tick' and fire_time > ?",
                                Long.class,
                                java.sql.Timestamp.from(Instant.now().minusMillis(500)))
                        > 0);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> jdbc.queryForObject(
                                "select count(*) from taskbound_job where schedule_id = 'tick' and state <> 'SUCCEEDED'"
                                        + " and fire_time < now() - interval '2 seconds'",
                                Long.class)
                        == 0);
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    private static int repeat(Instant until, Call call) throws Exception {
        int i = 0;
        while (Instant.now().isBefore(until)) {
            call.run(i++);
            Thread.sleep(20);
        }
        return i;
    }
}
