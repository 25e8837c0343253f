package io.taskbound.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.MisfirePolicy;
import io.taskbound.Recurring;
import io.taskbound.ScheduleInfo;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * During a rolling deploy, a node of the old code that starts while a node of the new code runs
 * must not take the schedules back to the old declarations: the stored schedules follow the newest
 * code alive. Once no node of the new code is alive, a start of the old code reconciles again (a
 * rollback).
 */
class RollingDeployTest {

    /** The code before the deploy. */
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

    /** The new code: "nightly" moves to 04:00, "retired" is gone, "fresh" is new. */
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
    private final List<HikariDataSource> otherPools = new ArrayList<>();

    @BeforeEach
    void database() {
        dataSource = TestDatabase.create();
    }

    @AfterEach
    void close() {
        otherPools.forEach(HikariDataSource::close);
        dataSource.close();
    }

    /** Another application instance's pool on the same database. */
    private HikariDataSource instance() {
        HikariDataSource pool = TestDatabase.anotherPool(dataSource);
        otherPools.add(pool);
        return pool;
    }

    @Test
    void anOldNodeStartingWhileANewOneRunsLeavesTheNewSchedulesAlone() {
        // The old code ran before the deploy, so the cluster saw its schedules first.
        try (TestEngine before = TestEngine.start(dataSource, TestSettings.fast(), new V1())) {
            assertThat(schedules(before)).containsOnlyKeys("nightly", "retired", "sync");
        }

        try (TestEngine v2 = TestEngine.start(dataSource, TestSettings.fast(), new V2())) {
            Map<String, ScheduleInfo> declaredByV2 = schedules(v2);
            assertThat(declaredByV2).containsOnlyKeys("fresh", "nightly", "sync");

            try (TestEngine lateV1 = TestEngine.start(instance(), TestSettings.fast(), new V1())) {
                assertThat(lateV1.engine().isRunning()).isTrue();
                // Exactly as v2 declared them: "retired" not back, "fresh" kept, "nightly" at 04:00.
                assertThat(schedules(lateV1)).isEqualTo(declaredByV2);
                ScheduleInfo nightly = schedules(lateV1).get("nightly");
                assertThat(nightly.cron()).isEqualTo("0 0 4 * * *");
                assertThat(nightly.misfire()).isEqualTo(MisfirePolicy.SKIP);
                assertThat(nightly.declaredBy()).isEqualTo("V2.nightly()");
            }
            assertThat(schedules(v2)).isEqualTo(declaredByV2);
        }

        // The new code is gone (rolled back): the old code's next start reconciles to it.
        try (TestEngine rolledBack = TestEngine.start(dataSource, TestSettings.fast(), new V1())) {
            Map<String, ScheduleInfo> schedules = schedules(rolledBack);
            assertThat(schedules).containsOnlyKeys("nightly", "retired", "sync");
            assertThat(schedules.get("nightly").cron()).isEqualTo("0 0 3 * * *");
            assertThat(schedules.get("nightly").declaredBy()).isEqualTo("V1.nightly()");
        }
    }

    @Test
    void aNodeOfNewCodeReconcilesWhileOldNodesRun() {
        try (TestEngine v1 = TestEngine.start(dataSource, TestSettings.fast(), new V1());
                TestEngine v2 = TestEngine.start(instance(), TestSettings.fast(), new V2())) {
            assertThat(schedules(v1)).containsOnlyKeys("fresh", "nightly", "sync");
            assertThat(schedules(v2).get("nightly").cron()).isEqualTo("0 0 4 * * *");
            // A second node of the old code, started now, is older than v2: it leaves them alone too.
            try (TestEngine v1Again = TestEngine.start(instance(), TestSettings.fast(), new V1())) {
                assertThat(schedules(v1Again)).containsOnlyKeys("fresh", "nightly", "sync");
            }
        }
    }

    @Test
    void aDeadNodeOfNewCodeNoLongerHoldsTheSchedules() {
        try (TestEngine before = TestEngine.start(dataSource, TestSettings.fast(), new V1())) {
            assertThat(schedules(before)).containsOnlyKeys("nightly", "retired", "sync");
        }
        TestEngine v2 = TestEngine.start(instance(), TestSettings.fast(), new V2());
        v2.crash();
        // Its heartbeat stopped; once older than the dead-node timeout (30 s here), it no longer
        // counts, though no sweep has removed its row yet.
        new JdbcTemplate(dataSource).update("update taskbound_node set heartbeat_at = now() - interval '31 seconds'");

        try (TestEngine v1 = TestEngine.start(dataSource, TestSettings.fast(), new V1())) {
            assertThat(schedules(v1)).containsOnlyKeys("nightly", "retired", "sync");
        }
    }

    @Test
    void theFingerprintFollowsTheDeclarationsNotTheirOrder() {
        List<RecurringDefinition> v1 = registered(new V1());
        assertThat(ScheduleReconciler.fingerprint(v1))
                .isEqualTo(ScheduleReconciler.fingerprint(v1.reversed()))
                .isNotEqualTo(ScheduleReconciler.fingerprint(registered(new V2())))
                .isNotEqualTo(ScheduleReconciler.fingerprint(v1.subList(0, 2)))
                .hasSize(64);
    }

    private static List<RecurringDefinition> registered(Object bean) {
        io.taskbound.registry.JobRegistry registry = new io.taskbound.registry.JobRegistry(TestSettings.fast());
        registry.register(bean, bean.getClass());
        return registry.recurring();
    }

    private static Map<String, ScheduleInfo> schedules(TestEngine engine) {
        return engine.jobs().schedules().list().stream()
                .collect(Collectors.toMap(ScheduleInfo::id, Function.identity()));
    }
}
