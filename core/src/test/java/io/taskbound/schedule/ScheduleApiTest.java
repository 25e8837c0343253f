package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.InvalidScheduleException;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import io.taskbound.Recurring;
import io.taskbound.ScheduleInfo;
import io.taskbound.UnknownJobException;
import io.taskbound.UnknownScheduleException;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The runtime API of schedules: create, list, preview, pause, resume, trigger, update, delete. */
class ScheduleApiTest {

    public static class Reports {
        final List<String> rendered = new CopyOnWriteArrayList<>();

        @Job(name = "reports.render", maxAttempts = 2)
        public String render(long reportId, String format) {
            rendered.add(reportId + "." + format);
            return reportId + "." + format;
        }

        @Job(name = "reports.purge")
        public void purge(JobContext context) {
            rendered.add("purge@" + context.fireTime().map(Instant::toString).orElse("none"));
        }

        @Recurring(every = "PT1H", id = "declared")
        public void declared() {}
    }

    private final MutableClock clock = MutableClock.atNow();
    private final Reports reports = new Reports();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.onTestClock(), clock, new SplittableRandom(3), reports);
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void createsAScheduleWithArgumentsAndOptionsAndListsItWithItsNextFireTime() {
        ScheduleInfo created = engine.jobs()
                .recurring("monthly-report")
                .cron("0 0 6 1 * *")
                .zone(ZoneId.of("Europe/Paris"))
                .misfire(MisfirePolicy.SKIP)
                .overlap(OverlapPolicy.ALLOW)
                .jitter(Duration.ofSeconds(30))
                .call(engine.jobs().schedule(Reports::render, 42L, "pdf").priority(7));

        assertThat(created.jobName()).isEqualTo("reports.render");
        assertThat(created.argumentsJson()).isEqualTo("[42, \"pdf\"]");
        assertThat(created.cron()).isEqualTo("0 0 6 1 * *");
        assertThat(created.nextFireAt().atZone(ZoneId.of("Europe/Paris")).getDayOfMonth())
                .isEqualTo(1);
        assertThat(created.nextFireAt().atZone(ZoneId.of("Europe/Paris")).getHour())
                .isEqualTo(6);
        assertThat(created.declaredInCode()).isFalse();
        assertThat(engine.jobs().schedules().list())
                .extracting(ScheduleInfo::id)
                .containsExactly("declared", "monthly-report");
        assertThat(engine.jobs().schedules().find("monthly-report").orElseThrow())
                .usingRecursiveComparison()
                .isEqualTo(created);
        List<Instant> preview = engine.jobs().schedules().preview("monthly-report", 3);
        assertThat(preview).hasSize(3).first().isEqualTo(created.nextFireAt());
        assertThat(preview.get(2).atZone(ZoneId.of("Europe/Paris")).getDayOfMonth())
                .isEqualTo(1);
    }

    @Test
    void firesTheJobWithItsStoredArgumentsAndOptions() {
        ScheduleInfo schedule = engine.jobs()
                .recurring("render")
                .every(Duration.ofMinutes(1))
                .call(engine.jobs().schedule(Reports::render, 7L, "csv").priority(3));
        clock.set(schedule.nextFireAt());

        await().atMost(Duration.ofSeconds(10)).until(() -> reports.rendered.contains("7.csv"));
        java.util.Map<String, Object> row = new JdbcTemplate(dataSource)
                .queryForMap(
                        "select priority, max_attempts, fire_time from taskbound_job where schedule_id = 'render'");
        assertThat(row.get("priority")).isEqualTo(3);
        assertThat(row.get("max_attempts")).isEqualTo(2);
        assertThat(((java.sql.Timestamp) row.get("fire_time")).toInstant()).isEqualTo(schedule.nextFireAt());
    }

    @Test
    void pauseStopsFiringAndResumeGoesOnFromTheNextFireTimeAfterNow() {
        ScheduleInfo schedule =
                engine.jobs().recurring("purge").every(Duration.ofMinutes(1)).call(Reports::purge);
        ScheduleInfo paused = engine.jobs().schedules().pause("purge");
        assertThat(paused.paused()).isTrue();

        clock.set(schedule.nextFireAt().plusSeconds(150));
        // Give the firer time to (wrongly) fire: it polls every 200 ms on this clock.
        await().pollDelay(Duration.ofMillis(600)).until(() -> true);
        assertThat(jobCount("purge")).isZero();

        ScheduleInfo resumed = engine.jobs().schedules().resume("purge");
        assertThat(resumed.paused()).isFalse();
        // Fire times passed while paused are not made up.
        assertThat(resumed.nextFireAt()).isEqualTo(schedule.nextFireAt().plusSeconds(180));
        clock.set(resumed.nextFireAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> jobCount("purge") == 1);
    }

    @Test
    void triggerRunsTheJobNowEvenWhilePausedAndLeavesTheNextFireTime() throws Exception {
        ScheduleInfo schedule =
                engine.jobs().recurring("purge").every(Duration.ofHours(1)).call(Reports::purge);
        engine.jobs().schedules().pause("purge");

        JobHandle<Object> handle = engine.jobs().schedules().trigger("purge");

        assertThat(engine.awaitState(handle.id(), JobState.SUCCEEDED).scheduleId())
                .isEqualTo("purge");
        assertThat(reports.rendered).containsExactly("purge@" + clock.instant());
        assertThat(engine.jobs().schedules().find("purge").orElseThrow().nextFireAt())
                .isEqualTo(schedule.nextFireAt());
    }

    @Test
    void updateChangesTimingAndArgumentsAndKeepsTheJob() {
        engine.jobs()
                .recurring("render")
                .every(Duration.ofHours(1))
                .call(engine.jobs().schedule(Reports::render, 1L, "pdf"));

        ScheduleInfo updated = engine.jobs()
                .schedules()
                .update("render")
                .cron("0 30 * * * *")
                .arguments("[2, \"html\"]")
                .save();

        assertThat(updated.every()).isNull();
        assertThat(updated.cron()).isEqualTo("0 30 * * * *");
        assertThat(updated.argumentsJson()).isEqualTo("[2, \"html\"]");
        assertThat(updated.jobName()).isEqualTo("reports.render");
        assertThat(updated.nextFireAt().atZone(ZoneId.systemDefault()).getMinute())
                .isEqualTo(30);
        clock.set(updated.nextFireAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> reports.rendered.contains("2.html"));
    }

    @Test
    void badInputIsRefusedWithAMessageNamingItAndNothingStoredChanges() {
        engine.jobs().recurring("purge").every(Duration.ofHours(1)).call(Reports::purge);
        ScheduleInfo before = engine.jobs().schedules().find("purge").orElseThrow();

        assertThatThrownBy(() -> engine.jobs().schedules().update("purge").cron("0 0 25 * * *"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("\"0 0 25 * * *\"")
                .hasMessageContaining("schedule \"purge\"");
        assertThatThrownBy(() -> engine.jobs().recurring("x").every(Duration.ofMillis(10)))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("at least PT1S");
        assertThatThrownBy(() -> engine.jobs().recurring("x").call("reports.nope", "[]"))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining("reports.nope");
        assertThatThrownBy(() -> engine.jobs()
                        .schedules()
                        .update("purge")
                        .arguments("[1]")
                        .save())
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("do not fit job \"reports.purge\"");
        assertThatThrownBy(() -> engine.jobs().recurring("x").call(Reports::purge))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("has no timing");
        assertThatThrownBy(() -> engine.jobs().schedules().pause("nope"))
                .isInstanceOf(UnknownScheduleException.class)
                .hasMessageContaining("\"nope\"");
        assertThatThrownBy(() -> engine.jobs().schedules().delete("declared"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("@Recurring on Reports.declared()");
        assertThatThrownBy(() -> engine.jobs()
                        .recurring("declared")
                        .every(Duration.ofMinutes(5))
                        .call(Reports::purge))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("cannot be replaced");

        assertThat(engine.jobs().schedules().find("purge").orElseThrow())
                .usingRecursiveComparison()
                .isEqualTo(before);
        assertThat(engine.jobs().schedules().list())
                .extracting(ScheduleInfo::id)
                .containsExactly("declared", "purge");
    }

    @Test
    void deleteRemovesTheScheduleButKeepsItsJobs() {
        engine.jobs().recurring("purge").every(Duration.ofHours(1)).call(Reports::purge);
        JobHandle<Object> job = engine.jobs().schedules().trigger("purge");
        engine.awaitState(job.id(), JobState.SUCCEEDED);

        assertThat(engine.jobs().schedules().delete("purge")).isTrue();
        assertThat(engine.jobs().schedules().delete("purge")).isFalse();

        assertThat(engine.jobs().schedules().find("purge")).isEmpty();
        assertThat(engine.info(job.id()).scheduleId()).isEqualTo("purge");
    }

    @Test
    void declaredSchedulesCanBePausedResumedAndTriggered() {
        assertThat(engine.jobs().schedules().pause("declared").paused()).isTrue();
        JobHandle<Object> job = engine.jobs().schedules().trigger("declared");
        engine.awaitState(job.id(), JobState.SUCCEEDED);
        assertThat(engine.jobs().schedules().resume("declared").paused()).isFalse();
    }

    private long jobCount(String scheduleId) {
        return new JdbcTemplate(dataSource)
                .queryForObject("select count(*) from taskbound_job where schedule_id = ?", Long.class, scheduleId);
    }
}
