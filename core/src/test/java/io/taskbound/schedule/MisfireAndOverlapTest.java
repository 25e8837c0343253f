package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.ScheduleInfo;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a schedule fires after downtime (misfire policies) and while its previous job still runs
 * (overlap policies), on a clock the test moves.
 */
class MisfireAndOverlapTest {

    public static class Work {
        final CountDownLatch release = new CountDownLatch(1);

        @Job
        public void quick() {}

        @Job
        public void slow(JobContext context) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
        }
    }

    private final MutableClock clock = MutableClock.atNow();
    private final Work work = new Work();
    private HikariDataSource dataSource;
    private TestEngine engine;
    private JdbcTemplate jdbc;

    @BeforeEach
    void database() {
        dataSource = TestDatabase.create();
        jdbc = new JdbcTemplate(dataSource);
        // A 30 s threshold: the latest fire time below is 90 s old when the engine starts.
        engine = TestEngine.create(
                dataSource,
                TestSettings.withMisfireThreshold(TestSettings.onTestClock(), Duration.ofSeconds(30)),
                clock,
                new SplittableRandom(7),
                work);
    }

    @AfterEach
    void stop() {
        work.release.countDown();
        engine.close();
        dataSource.close();
    }

    @Test
    void fireOnceMakesOneJobForTheLatestMissedFireTime() {
        Instant first = every2Minutes("once", MisfirePolicy.FIRE_ONCE, 100).nextFireAt();

        downFor(Duration.ofMinutes(7).plusSeconds(30));

        // The schedule was made 7.5 min ago: due are first, +2 and +4 min; one job, for the latest.
        assertThat(awaitFireTimes("once", 1)).containsExactly(first.plus(Duration.ofMinutes(4)));
        assertThat(engine.jobs().schedules().find("once").orElseThrow().nextFireAt())
                .isEqualTo(first.plus(Duration.ofMinutes(6)));
    }

    @Test
    void fireAllMakesEveryMissedFireTimeUpToItsBound() {
        Instant first = every2Minutes("all", MisfirePolicy.FIRE_ALL, 2).nextFireAt();

        downFor(Duration.ofMinutes(7).plusSeconds(30));

        // Due: first, +2 and +4 min; the latest two.
        assertThat(awaitFireTimes("all", 2))
                .containsExactly(first.plus(Duration.ofMinutes(2)), first.plus(Duration.ofMinutes(4)));
    }

    @Test
    void skipDropsMissedFireTimesAndGoesOnFromTheNext() {
        Instant first = every2Minutes("skip", MisfirePolicy.SKIP, 100).nextFireAt();

        downFor(Duration.ofMinutes(7).plusSeconds(30));

        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> engine.jobs()
                                .schedules()
                                .find("skip")
                                .orElseThrow()
                                .nextFireAt(),
                        next -> next.equals(first.plus(Duration.ofMinutes(6))));
        // The latest of them, +4 min, is 90 s old: past the 30 s threshold, so none fired.
        assertThat(fireTimes("skip")).isEmpty();

        // The next fire time, reached on time, fires as usual.
        clock.set(first.plus(Duration.ofMinutes(6)));
        assertThat(awaitFireTimes("skip", 1)).containsExactly(first.plus(Duration.ofMinutes(6)));
    }

    @Test
    void skipStillFiresTheLatestFireTimeWhenItIsWithinTheThreshold() {
        Instant first = every2Minutes("skip-recent", MisfirePolicy.SKIP, 100).nextFireAt();

        // Due: first and +2 min, the latest 10 s old: within the 30 s threshold.
        clock.set(first.plus(Duration.ofMinutes(2)).plusSeconds(10));
        engine.engine().start();

        assertThat(awaitFireTimes("skip-recent", 1)).containsExactly(first.plus(Duration.ofMinutes(2)));
    }

    @Test
    void overlapSkipMakesNoJobWhileThePreviousOneRuns() {
        ScheduleInfo schedule = engine.jobs()
                .recurring("slow-skip")
                .every(Duration.ofSeconds(10))
                .overlap(OverlapPolicy.SKIP)
                .call(Work::slow);
        engine.engine().start();
        Instant first = schedule.nextFireAt();

        clock.set(first);
        awaitFireTimes("slow-skip", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> runningJobs("slow-skip") == 1);
        clock.set(first.plusSeconds(10));
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> engine.jobs()
                                .schedules()
                                .find("slow-skip")
                                .orElseThrow()
                                .nextFireAt(),
                        next -> next.equals(first.plusSeconds(20)));
        assertThat(fireTimes("slow-skip")).containsExactly(first);

        // Once the job is done, the next fire time fires again.
        work.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> runningJobs("slow-skip") == 0);
        clock.set(first.plusSeconds(20));
        assertThat(awaitFireTimes("slow-skip", 2)).containsExactly(first, first.plusSeconds(20));
    }

    @Test
    void overlapAllowFiresWhileThePreviousOneRuns() {
        ScheduleInfo schedule = engine.jobs()
                .recurring("slow-allow")
                .every(Duration.ofSeconds(10))
                .overlap(OverlapPolicy.ALLOW)
                .call(Work::slow);
        engine.engine().start();
        Instant first = schedule.nextFireAt();

        clock.set(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> runningJobs("slow-allow") == 1);
        clock.set(first.plusSeconds(10));

        assertThat(awaitFireTimes("slow-allow", 2)).containsExactly(first, first.plusSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> runningJobs("slow-allow") == 2);
    }

    private ScheduleInfo every2Minutes(String id, MisfirePolicy policy, int maxCatchUp) {
        return engine.jobs()
                .recurring(id)
                .every(Duration.ofMinutes(2))
                .misfire(policy)
                .maxCatchUp(maxCatchUp)
                .call(Work::quick);
    }

    /** No engine runs while the clock moves on by {@code downtime}; then one starts. */
    private void downFor(Duration downtime) {
        clock.advance(downtime);
        engine.engine().start();
    }

    private List<Instant> awaitFireTimes(String scheduleId, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> fireTimes(scheduleId).size() >= count);
        return fireTimes(scheduleId);
    }

    private List<Instant> fireTimes(String scheduleId) {
        return jdbc
                .queryForList(
                        "select fire_time from taskbound_job where schedule_id = ? order by fire_time",
                        java.sql.Timestamp.class,
                        scheduleId)
                .stream()
                .map(java.sql.Timestamp::toInstant)
                .toList();
    }

    private int runningJobs(String scheduleId) {
        return jdbc.queryForObject(
                "select count(*) from taskbound_job where schedule_id = ? and state = 'RUNNING'",
                Integer.class,
                scheduleId);
    }
}
