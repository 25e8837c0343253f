package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.taskbound.Bound;
import io.taskbound.InvalidScheduleException;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.Recurring;
import io.taskbound.ScheduleInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code @Recurring} bean methods, as an application gets them from the auto-configuration. */
class TaskboundRecurringAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = ShopContexts.shopApplication();

    private ApplicationContextRunner onDatabase(String url) {
        return ShopContexts.onDatabase(contextRunner, url);
    }

    private ApplicationContextRunner onFreshDatabase() {
        return onDatabase(ShopContexts.freshDatabaseUrl());
    }

    @Test
    void aRecurringMethodWithoutJobIsStoredAtStartUpAndFiresWithTheDefaults() {
        onFreshDatabase().withUserConfiguration(HeartbeatConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.schedules().list())
                    .filteredOn(ScheduleInfo::declaredInCode)
                    .extracting(ScheduleInfo::id, ScheduleInfo::jobName, ScheduleInfo::timing, ScheduleInfo::declaredBy)
                    .containsExactly(
                            tuple("Heartbeat.beat", "Heartbeat.beat", "every PT1S", "Heartbeat.beat(JobContext)"));

            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> succeeded(jdbc, "Heartbeat.beat").size() >= 2);
            JobInfo fired =
                    jobs.info(succeeded(jdbc, "Heartbeat.beat").getFirst()).orElseThrow();
            assertThat(fired.name()).isEqualTo("Heartbeat.beat");
            assertThat(fired.lane()).isEqualTo("io");
            assertThat(fired.scheduleId()).isEqualTo("Heartbeat.beat");
            assertThat(fired.fireTime()).isNotNull();
            assertThat(fired.lateness()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
            // The method ran, and was told the fire time its job stands for.
            assertThat(context.getBean(Heartbeat.class).fireTimes).contains(fired.fireTime());
        });
    }

    @Test
    void aRecurringMethodWithJobFiresOnItsLaneWithItsOptions() {
        onFreshDatabase().withUserConfiguration(PulseConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            ScheduleInfo pulse =
                    context.getBean(Jobs.class).schedules().find("pulse").orElseThrow();
            assertThat(pulse.jobName()).isEqualTo("pulse.check");
            assertThat(pulse.declaredBy()).isEqualTo("Pulse.check()");
            assertThat(pulse.every()).isEqualTo(Duration.ofSeconds(1));
            assertThat(pulse.paused()).isFalse();

            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !succeeded(jdbc, "pulse").isEmpty());
            assertThat(jdbc.queryForMap(
                            "select name, lane, max_attempts from taskbound_job where schedule_id = 'pulse' limit 1"))
                    .containsEntry("name", "pulse.check")
                    .containsEntry("lane", "latency")
                    .containsEntry("max_attempts", 2);
            assertThat(context.getBean(Pulse.class).checks).isNotEmpty();
        });
    }

    @Test
    void aDeclaredScheduleCanBePausedAndTriggeredButNotChangedOrDeletedAtRuntime() {
        onFreshDatabase().withUserConfiguration(PulseConfiguration.class).run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(jobs.schedules().pause("pulse").paused()).isTrue();

            JobHandle<Object> triggered = jobs.schedules().trigger("pulse");
            triggered.await(Duration.ofSeconds(20));
            JobInfo job = jobs.info(triggered.id()).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.scheduleId()).isEqualTo("pulse");
            assertThat(job.lane()).isEqualTo("latency");

            assertThatThrownBy(() -> jobs.schedules().delete("pulse"))
                    .isInstanceOf(InvalidScheduleException.class)
                    .hasMessageContaining("@Recurring on Pulse.check()");
            assertThatThrownBy(() -> jobs.schedules().update("pulse"))
                    .isInstanceOf(InvalidScheduleException.class)
                    .hasMessageContaining("change or remove the annotation");
            assertThat(jobs.schedules().resume("pulse").paused()).isFalse();
        });
    }

    @Test
    void atTheNextStartDeclaredSchedulesFollowTheCodeAndApiSchedulesAreLeftAlone() {
        ApplicationContextRunner onOneDatabase = onDatabase(ShopContexts.freshDatabaseUrl());
        Instant[] apiScheduleUpdatedAt = new Instant[1];
        onOneDatabase
                .withUserConfiguration(HeartbeatConfiguration.class, PulseConfiguration.class)
                .run(context -> {
                    Jobs jobs = context.getBean(Jobs.class);
                    apiScheduleUpdatedAt[0] = jobs.recurring("api.pulse")
                            .every(Duration.ofHours(1))
                            .call(Pulse::check)
                            .updatedAt();
                    jobs.schedules().pause("pulse");
                });
        // The next version of the application: Heartbeat is gone and "pulse" fires once a minute.
        onOneDatabase.withUserConfiguration(SlowPulseConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            Map<String, ScheduleInfo> schedules =
                    byId(context.getBean(Jobs.class).schedules().list());
            assertThat(schedules).containsOnlyKeys("api.pulse", "pulse");
            ScheduleInfo pulse = schedules.get("pulse");
            assertThat(pulse.every()).isEqualTo(Duration.ofMinutes(1));
            assertThat(pulse.declaredBy()).isEqualTo("SlowPulse.check()");
            assertThat(pulse.paused()).as("a pause survives the update").isTrue();
            ScheduleInfo api = schedules.get("api.pulse");
            assertThat(api.declaredInCode()).isFalse();
            assertThat(api.every()).isEqualTo(Duration.ofHours(1));
            assertThat(api.updatedAt()).isEqualTo(apiScheduleUpdatedAt[0]);
        });
    }

    @Test
    void anInvalidCronFailsStartupNamingTheMethodAndTheExpression() {
        onFreshDatabase().withUserConfiguration(BadCronConfiguration.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(ShopContexts.causeOfType(context.getStartupFailure(), InvalidScheduleException.class))
                    .hasMessageContaining("@Recurring method BadCron.hourly()")
                    .hasMessageContaining("\"0 61 * * * *\"")
                    .hasMessageContaining("six fields");
        });
    }

    @Test
    void aScheduleIdTakenByAnApiScheduleFailsStartupNamingBothWaysOut() {
        String url = ShopContexts.freshDatabaseUrl();
        onDatabase(url)
                .run(context -> context.getBean(Jobs.class)
                        .recurring("pulse")
                        .every(Duration.ofHours(1))
                        .call("mailer.confirm", "[1]"));
        onDatabase(url)
                .withUserConfiguration(PulseConfiguration.class)
                .run(context -> assertThat(
                                ShopContexts.causeOfType(context.getStartupFailure(), InvalidScheduleException.class))
                        .hasMessageContaining("\"pulse\"")
                        .hasMessageContaining("Pulse.check()")
                        .hasMessageContaining("jobs.schedules().delete(\"pulse\")"));
    }

    private static List<UUID> succeeded(JdbcTemplate jdbc, String scheduleId) {
        return jdbc.queryForList(
                "select id from taskbound_job where schedule_id = ? and state = 'SUCCEEDED' order by fire_time",
                UUID.class,
                scheduleId);
    }

    private static Map<String, ScheduleInfo> byId(List<ScheduleInfo> schedules) {
        return schedules.stream().collect(java.util.stream.Collectors.toMap(ScheduleInfo::id, schedule -> schedule));
    }

    @Configuration(proxyBeanMethods = false)
    static class HeartbeatConfiguration {
        @Bean
        Heartbeat heartbeat() {
            return new Heartbeat();
        }
    }

    public static class Heartbeat {
        final List<Instant> fireTimes = new CopyOnWriteArrayList<>();

        @Recurring(every = "PT1S")
        public void beat(JobContext context) {
            context.fireTime().ifPresent(fireTimes::add);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PulseConfiguration {
        @Bean
        Pulse pulse() {
            return new Pulse();
        }
    }

    public static class Pulse {
        final List<Instant> checks = new CopyOnWriteArrayList<>();

        @Recurring(every = "PT1S", id = "pulse")
        @Job(name = "pulse.check", bound = Bound.LATENCY, maxAttempts = 2)
        public void check() {
            checks.add(Instant.now());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowPulseConfiguration {
        @Bean
        SlowPulse slowPulse() {
            return new SlowPulse();
        }
    }

    public static class SlowPulse {
        @Recurring(every = "PT1M", id = "pulse")
        @Job(name = "pulse.check", bound = Bound.LATENCY, maxAttempts = 2)
        public void check() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class BadCronConfiguration {
        @Bean
        BadCron badCron() {
            return new BadCron();
        }
    }

    public static class BadCron {
        @Recurring(cron = "0 61 * * * *")
        public void hourly() {}
    }
}
