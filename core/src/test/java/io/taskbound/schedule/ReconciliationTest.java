package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.InvalidScheduleException;
import io.taskbound.Job;
import io.taskbound.MisfirePolicy;
import io.taskbound.Recurring;
import io.taskbound.ScheduleInfo;
import io.taskbound.registry.JobRegistry;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules declared with {@code @Recurring} follow the code at each start: created when new,
 * updated when changed, removed when gone; schedules made through the API are left alone.
 */
class ReconciliationTest {

    /** Version 1 of an application's schedules. */
    public static class V1 {
        @Recurring(cron = "0 0 3 * * *", zone = "Europe/Paris", id = "nightly")
        public void nightly() {}

        @Recurring(every = "PT5M", id = "sync")
        public void sync() {}

        @Recurring(every = "PT1H", id = "retired")
        public void retired() {}

        @Job(name = "adhoc")
        public void adhoc() {}
    }

    /** Version 2: "nightly" moves to 04:00, "sync" is unchanged, "retired" is gone, "fresh" is new. */
    public static class V2 {
        @Recurring(cron = "0 0 4 * * *", zone = "Europe/Paris", id = "nightly", misfire = MisfirePolicy.SKIP)
        public void nightly() {}

        @Recurring(every = "PT5M", id = "sync")
        public void sync() {}

        @Recurring(cron = "@hourly", id = "fresh")
        public void fresh() {}

        @Job(name = "adhoc")
        public void adhoc() {}
    }

    private HikariDataSource dataSource;

    @BeforeEach
    void database() {
        dataSource = TestDatabase.create();
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void schedulesFollowTheCodeAtStartUpAndApiSchedulesAreLeftAlone() {
        ScheduleInfo syncBefore;
        try (TestEngine v1 = TestEngine.start(dataSource, TestSettings.fast(), new V1())) {
            assertThat(ids(v1)).containsExactly("nightly", "retired", "sync");
            v1.jobs()
                    .recurring("adhoc-every-minute")
                    .every(Duration.ofMinutes(1))
                    .call("adhoc", "[]");
            v1.jobs().schedules().pause("sync");
            syncBefore = v1.jobs().schedules().find("sync").orElseThrow();
        }

        try (TestEngine v2 = TestEngine.start(dataSource, TestSettings.fast(), new V2())) {
            assertThat(ids(v2)).containsExactly("adhoc-every-minute", "fresh", "nightly", "sync");
            ScheduleInfo nightly = v2.jobs().schedules().find("nightly").orElseThrow();
            assertThat(nightly.cron()).isEqualTo("0 0 4 * * *");
            assertThat(nightly.misfire()).isEqualTo(MisfirePolicy.SKIP);
            assertThat(nightly.nextFireAt().atZone(ZoneId.of("Europe/Paris")).getHour())
                    .isEqualTo(4);
            assertThat(nightly.declaredBy()).isEqualTo("V2.nightly()");
            // Unchanged: the same row, still paused, with its next fire time.
            ScheduleInfo sync = v2.jobs().schedules().find("sync").orElseThrow();
            assertThat(sync.paused()).isTrue();
            assertThat(sync.nextFireAt()).isEqualTo(syncBefore.nextFireAt());
            assertThat(v2.jobs()
                            .schedules()
                            .find("adhoc-every-minute")
                            .orElseThrow()
                            .declaredInCode())
                    .isFalse();
        }
    }

    @Test
    void anApiScheduleHoldingADeclaredIdFailsStartUpNamingBoth() {
        try (TestEngine first = TestEngine.start(dataSource, TestSettings.fast(), new V2())) {
            first.jobs().schedules().list();
        }
        // Reconciliation removes "sync" when a version without it starts; then the API takes the id.
        try (TestEngine apiOnly = TestEngine.start(dataSource, TestSettings.fast(), new OnlyAdhoc())) {
            apiOnly.jobs().recurring("sync").every(Duration.ofMinutes(1)).call("adhoc", "[]");
        }

        TestEngine v2 = TestEngine.create(dataSource, TestSettings.fast(), null, new java.util.Random(), new V2());
        try {
            assertThatThrownBy(() -> v2.engine().start())
                    .isInstanceOf(InvalidScheduleException.class)
                    .hasMessageContaining("Schedule id \"sync\"")
                    .hasMessageContaining("V2.sync()")
                    .hasMessageContaining("created through the API");
        } finally {
            v2.close();
        }
    }

    public static class OnlyAdhoc {
        @Job(name = "adhoc")
        public void adhoc() {}
    }

    public static class BadCron {
        @Recurring(cron = "0 61 * * * *")
        public void tick() {}
    }

    public static class BothTimings {
        @Recurring(cron = "@daily", every = "PT1H")
        public void tick() {}
    }

    public static class BadInterval {
        @Recurring(every = "5 minutes")
        public void tick() {}
    }

    public static class WithArguments {
        @Recurring(every = "PT1M")
        public void tick(long id) {}
    }

    public static class BadZone {
        @Recurring(cron = "@daily", zone = "Mars/Olympus")
        public void tick() {}
    }

    public static class SameId {
        @Recurring(every = "PT1M", id = "twice")
        public void one() {}

        @Recurring(every = "PT2M", id = "twice")
        public void two() {}
    }

    @Test
    void invalidDeclarationsFailRegistrationNamingTheMethodAndTheInput() {
        assertInvalid(new BadCron(), "BadCron.tick()", "\"0 61 * * * *\"");
        assertInvalid(new BothTimings(), "BothTimings.tick()", "both cron and every");
        assertInvalid(new BadInterval(), "BadInterval.tick()", "\"5 minutes\"");
        assertInvalid(new WithArguments(), "WithArguments.tick(long)", "takes parameters");
        assertInvalid(new BadZone(), "BadZone.tick()", "\"Mars/Olympus\"");
        assertInvalid(new SameId(), "SameId.", "\"twice\" is declared by both");
    }

    private static void assertInvalid(Object bean, String method, String detail) {
        JobRegistry registry = new JobRegistry(TaskboundSettings.defaults());
        assertThatThrownBy(() -> registry.register(bean, bean.getClass()))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining(method)
                .hasMessageContaining(detail);
    }

    private static List<String> ids(TestEngine engine) {
        return engine.jobs().schedules().list().stream().map(ScheduleInfo::id).toList();
    }
}
