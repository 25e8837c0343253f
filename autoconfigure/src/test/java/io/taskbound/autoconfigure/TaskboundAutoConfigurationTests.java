package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.taskbound.Bound;
import io.taskbound.InvalidJobDefinitionException;
import io.taskbound.Job;
import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import io.taskbound.JobState;
import io.taskbound.Jobs;
import io.taskbound.autoconfigure.app.ShopApplication;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.orm.jpa.EntityManagerHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class TaskboundAutoConfigurationTests {

    /** The job store's migrations, in order: version n is the n-th. */
    private static final List<String> JOB_STORE_SCRIPTS = List.of(
            "V1__job_store.sql",
            "V2__schedules.sql",
            "V3__schedule_sets.sql",
            "V4__listings_and_lane_pauses.sql",
            "V5__lane_figures.sql",
            "V6__peak_heap.sql",
            "V7__trace_context.sql");

    private final ApplicationContextRunner contextRunner = ShopContexts.shopApplication();

    /**
     * A fresh database where the job store's SQL {@code scripts} were applied by hand, without a
     * history table. The application's own Flyway finds that schema non-empty, so it baselines below
     * its first migration.
     */
    private ApplicationContextRunner onDatabaseWithTheJobStoreAppliedByHand(String... scripts) {
        String url;
        try (var dataSource = TestDatabase.create(false)) {
            for (String script : scripts) {
                new ResourceDatabasePopulator(new ClassPathResource("db/taskbound/migration/" + script))
                        .execute(dataSource);
            }
            url = dataSource.getJdbcUrl();
        }
        return contextRunner.withPropertyValues(
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "spring.flyway.baseline-on-migrate=true",
                "spring.flyway.baseline-version=0",
                "spring.jpa.hibernate.ddl-auto=validate",
                "taskbound.poll-interval=200ms");
    }

    private ApplicationContextRunner onFreshDatabase() {
        return ShopContexts.onDatabase(contextRunner, ShopContexts.freshDatabaseUrl());
    }

    @Test
    void startsWithTheApplicationsOwnFlywayMigrationsAndDdlAutoValidate() {
        onFreshDatabase()
                .withPropertyValues("spring.jpa.hibernate.ddl-auto=validate")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Jobs.class).hasSingleBean(TaskboundEngine.class);
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    assertThat(jdbc.queryForList("select version from flyway_schema_history", String.class))
                            .contains("1");
                    assertThat(jdbc.queryForList("select version from taskbound_schema_history", String.class))
                            .contains("1");
                    assertThat(context.getBean(TaskboundEngine.class).isRunning())
                            .isTrue();
                });
    }

    @Test
    void aJobStoreAppliedByHandIsTakenOverFromVersionOne() {
        onDatabaseWithTheJobStoreAppliedByHand("V1__job_store.sql").run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForList("select type from taskbound_schema_history where version = '1'", String.class))
                    .containsExactly("BASELINE");
            context.getBean(Jobs.class).enqueue(ShopApplication.Mailer::confirm, 3L);
            ShopApplication.Mailer mailer = context.getBean(ShopApplication.Mailer.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> mailer.confirmed.contains(3L));
        });
    }

    @Test
    void aJobStoreAppliedByHandUpToTheSchedulesIsTakenOverFromVersionTwo() {
        onDatabaseWithTheJobStoreAppliedByHand("V1__job_store.sql", "V2__schedules.sql")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    assertThat(jdbc.queryForList(
                                    "select version || ' ' || type from taskbound_schema_history order by installed_rank",
                                    String.class))
                            .containsExactly("2 BASELINE", "3 SQL", "4 SQL", "5 SQL", "6 SQL", "7 SQL");
                    assertThat(context.getBean(Jobs.class).schedules().list()).isEmpty();
                });
    }

    /**
     * The schedule sets (3), lane pauses (4), lane figures (5), peak heap (6) and trace context (7):
     * the store applied by hand up to {@code version} is baselined there, and every later migration
     * applied.
     */
    @ParameterizedTest(name = "up to version {0}")
    @ValueSource(ints = {3, 4, 5, 6, 7})
    void aJobStoreAppliedByHandUpToAVersionIsTakenOverFromThere(int version) {
        List<String> history = new ArrayList<>(List.of(version + " BASELINE"));
        for (int later = version + 1; later <= JOB_STORE_SCRIPTS.size(); later++) {
            history.add(later + " SQL");
        }
        onDatabaseWithTheJobStoreAppliedByHand(
                        JOB_STORE_SCRIPTS.subList(0, version).toArray(String[]::new))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    assertThat(jdbc.queryForList(
                                    "select version || ' ' || type from taskbound_schema_history order by installed_rank",
                                    String.class))
                            .containsExactlyElementsOf(history);
                });
    }

    @Test
    void schemaMigrateOffLeavesAJobStoreAppliedByHandToTheApplication() {
        onDatabaseWithTheJobStoreAppliedByHand(JOB_STORE_SCRIPTS.toArray(String[]::new))
                .withPropertyValues("taskbound.schema.migrate=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
                    assertThat(jdbc.queryForObject(
                                    "select to_regclass('taskbound_schema_history') is null", Boolean.class))
                            .isTrue();
                    context.getBean(Jobs.class).enqueue(ShopApplication.Mailer::confirm, 4L);
                    ShopApplication.Mailer mailer = context.getBean(ShopApplication.Mailer.class);
                    await().atMost(Duration.ofSeconds(20)).until(() -> mailer.confirmed.contains(4L));
                });
    }

    @Test
    void schemaMigrateOffOnAnEmptyDatabaseFailsStartupWithDdlAutoValidate() {
        onFreshDatabase()
                .withPropertyValues("spring.jpa.hibernate.ddl-auto=validate", "taskbound.schema.migrate=false")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("taskbound_"));
    }

    @Test
    void theNodePublishesTheLanesOfJobsRegisteredAfterTheEngineWasBuilt() {
        onFreshDatabase().run(context -> {
            Jobs jobs = context.getBean(Jobs.class);
            int network = context.getBean(TaskboundEngine.class)
                    .settings()
                    .lane("network")
                    .concurrency();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(jobs.queries().lanes().lane("network"))
                            .hasValueSatisfying(
                                    lane -> assertThat(lane.capacity()).isEqualTo(network)));
            assertThat(jobs.queries().nodes())
                    .singleElement()
                    .satisfies(node -> assertThat(node.lanes()).isNotEmpty());
        });
    }

    @Test
    void aJobChangedWhileTheRequestsPersistenceContextIsOpenIsReadAsItIsNow() {
        onFreshDatabase().run(context -> {
            // What open-in-view does for a web request: one persistence context for all of it.
            EntityManagerFactory factory = context.getBean(EntityManagerFactory.class);
            TransactionSynchronizationManager.bindResource(
                    factory, new EntityManagerHolder(factory.createEntityManager()));
            try {
                Jobs jobs = context.getBean(Jobs.class);
                UUID id = jobs.schedule(ShopApplication.Mailer::confirm, 7L)
                        .in(Duration.ofHours(1))
                        .id();
                assertThat(jobs.info(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);

                jobs.cancel(id);

                assertThat(jobs.info(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
            } finally {
                EntityManagerHolder holder =
                        (EntityManagerHolder) TransactionSynchronizationManager.unbindResource(factory);
                holder.getEntityManager().close();
            }
        });
    }

    @Test
    void enqueueInsideARolledBackTransactionStoresNoJob() {
        onFreshDatabase().run(context -> {
            ShopApplication.Shop shop = context.getBean(ShopApplication.Shop.class);
            assertThatThrownBy(() -> shop.order(1L, "lamp", true)).hasMessageContaining("payment declined");
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("select count(*) from taskbound_job", Long.class))
                    .isZero();
            assertThat(jdbc.queryForObject("select count(*) from shop_order", Long.class))
                    .isZero();
        });
    }

    @Test
    void enqueueInsideACommittedTransactionStoresAndRunsTheJob() {
        onFreshDatabase().run(context -> {
            context.getBean(ShopApplication.Shop.class).order(2L, "desk", false);
            ShopApplication.Mailer mailer = context.getBean(ShopApplication.Mailer.class);
            await().atMost(Duration.ofSeconds(20)).until(() -> mailer.confirmed.contains(2L));
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> jdbc.queryForObject(
                                    "select state from taskbound_job where name = 'mailer.confirm'", String.class),
                            state -> state.equals(JobState.SUCCEEDED.name()));
        });
    }

    @Test
    void ddlAutoCreateDropLeavesTheJobStoreAlone() {
        String url = ShopContexts.freshDatabaseUrl();
        ApplicationContextRunner runner = contextRunner.withPropertyValues(
                "spring.datasource.url=" + url,
                "spring.datasource.username=postgres",
                "spring.flyway.enabled=false",
                "spring.jpa.hibernate.ddl-auto=create-drop");
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            context.getBean(Jobs.class)
                    .schedule(ShopApplication.Mailer::confirm, 7L)
                    .in(Duration.ofDays(1));
        });
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject(
                            "select count(*) from taskbound_job where name = 'mailer.confirm'", Long.class))
                    .isEqualTo(1L);
        });
    }

    @Test
    void propertiesLeftUnsetGiveTheEnginesDefaults() {
        TaskboundProperties empty = new TaskboundProperties(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(empty.toSettings(4)).isEqualTo(TaskboundSettings.defaults(4));
        TaskboundProperties emptyGroups = new TaskboundProperties(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new TaskboundProperties.Retention(null, null, null, null),
                new TaskboundProperties.Schema(null),
                new TaskboundProperties.Scheduling(null),
                null);
        assertThat(emptyGroups.toSettings(4)).isEqualTo(TaskboundSettings.defaults(4));
    }

    @Test
    void aDefaultLaneGivenOnlyAConcurrencyClaimsInProportionToIt() {
        TaskboundProperties properties = withLanes(Map.of(
                "io", lane(25, null),
                "network", lane(25, 40),
                "cpu", lane(8, null),
                "throughput", lane(8, null),
                "reports", new TaskboundProperties.Lane("virtual", 500, null, null, null, null, null, null, null)));

        TaskboundSettings settings = properties.toSettings(4);

        assertThat(settings.lane("io").batchSize())
                .as("500 for 1,000 threads, 25 threads")
                .isEqualTo(13);
        assertThat(settings.lane("io").maxHeld())
                .as("no claim-ahead, as by default")
                .isEqualTo(25);
        assertThat(settings.lane("network").batchSize()).as("set explicitly").isEqualTo(40);
        assertThat(settings.lane("cpu").batchSize())
                .as("4 for 4 threads, 8 threads")
                .isEqualTo(8);
        assertThat(settings.lane("throughput").batchSize())
                .as("500 for 4 threads, 8 threads")
                .isEqualTo(1_000);
        assertThat(settings.lane("reports").batchSize()).as("a new lane").isEqualTo(100);
        assertThat(settings.lane("latency"))
                .isEqualTo(TaskboundSettings.defaults(4).lane("latency"));
    }

    private static TaskboundProperties.Lane lane(int concurrency, @Nullable Integer batchSize) {
        return new TaskboundProperties.Lane(null, concurrency, null, batchSize, null, null, null, null, null);
    }

    private static TaskboundProperties withLanes(Map<String, TaskboundProperties.Lane> lanes) {
        return new TaskboundProperties(
                null, null, null, null, null, null, null, null, null, null, null, lanes, null, null, null, null, null);
    }

    @Test
    void bindsLanesRoutesAndTimingsFromProperties() {
        onFreshDatabase()
                .withPropertyValues(
                        "taskbound.lanes.cpu.concurrency=3",
                        "taskbound.lanes.io.concurrency=25",
                        "taskbound.lanes.cpu.timeout=PT2M",
                        "taskbound.lanes.reports.executor=PLATFORM",
                        "taskbound.lanes.reports.concurrency=2",
                        "taskbound.routes.throughput=reports",
                        "taskbound.shutdown-timeout=5s",
                        "taskbound.retention.succeeded=PT1H",
                        "taskbound.scheduling.misfire-threshold=PT5M")
                .run(context -> {
                    TaskboundSettings settings =
                            context.getBean(TaskboundEngine.class).settings();
                    assertThat(settings.lane("cpu").concurrency()).isEqualTo(3);
                    assertThat(settings.lane("cpu").timeout()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(settings.lane("cpu").executor()).isEqualTo("PLATFORM");
                    assertThat(settings.lane("io"))
                            .extracting(LaneSettings::concurrency, LaneSettings::batchSize)
                            .containsExactly(25, 13);
                    assertThat(settings.lane("reports"))
                            .extracting(LaneSettings::executor, LaneSettings::concurrency)
                            .containsExactly("PLATFORM", 2);
                    assertThat(settings.routes()).containsEntry(Bound.THROUGHPUT, "reports");
                    assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(settings.retention()).containsEntry(JobState.SUCCEEDED, Duration.ofHours(1));
                    assertThat(settings.misfireThreshold()).isEqualTo(Duration.ofMinutes(5));
                });
    }

    @Test
    void aMisfireThresholdThatIsNotPositiveFailsStartupNamingTheProperty() {
        onFreshDatabase()
                .withPropertyValues("taskbound.scheduling.misfire-threshold=0s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("taskbound.scheduling.misfire-threshold")
                        .hasMessageContaining("must be positive"));
    }

    @Test
    void runsALanesJobsOnTheJobExecutorBeanItsExecutorPropertyNames() {
        onFreshDatabase()
                .withBean("mailExecutor", CountingExecutor.class, CountingExecutor::new)
                .withPropertyValues("taskbound.lanes.network.executor=mailExecutor")
                .run(context -> {
                    context.getBean(ShopApplication.Shop.class).order(3L, "lamp", false);
                    ShopApplication.Mailer mailer = context.getBean(ShopApplication.Mailer.class);
                    await().atMost(Duration.ofSeconds(20)).until(() -> mailer.confirmed.contains(3L));
                    assertThat(context.getBean(CountingExecutor.class).jobs).containsExactly("mailer.confirm");
                    assertThat(context.getBean(TaskboundEngine.class).lanes())
                            .filteredOn(lane -> lane.name().equals("network"))
                            .singleElement()
                            .satisfies(lane -> assertThat(lane.executor()).isEqualTo("mailExecutor"));
                });
    }

    @Test
    void aLaneNamingAnExecutorThatIsNoBeanFailsStartupNamingTheLaneAndTheExecutors() {
        onFreshDatabase()
                .withBean("mailExecutor", CountingExecutor.class, CountingExecutor::new)
                .withPropertyValues("taskbound.lanes.network.executor=mailExecutr")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("Lane \"network\" names executor \"mailExecutr\"")
                        .hasMessageContaining("available: virtual, platform, process, mailExecutor"));
    }

    /** Runs each job on a thread of its own, and remembers which jobs it ran. */
    static final class CountingExecutor implements JobExecutor {
        final List<String> jobs = new CopyOnWriteArrayList<>();

        @Override
        public void execute(JobRun run) {
            jobs.add(run.jobName());
            Thread.ofPlatform().name("mail-executor").start(run::runHere);
        }

        @Override
        public boolean shutdown(Duration timeout) {
            return true;
        }

        @Override
        public void stopAll() {}
    }

    @Test
    void aNewLaneWithoutExecutorFailsStartupNamingTheLane() {
        onFreshDatabase()
                .withPropertyValues("taskbound.lanes.reports.concurrency=2")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("taskbound.lanes.reports")
                        .hasMessageContaining("executor"));
    }

    @Test
    void healthIsUpWithTheNodeAndItsLanes() {
        onFreshDatabase().run(context -> {
            TaskboundHealthIndicator health = new TaskboundHealthIndicator(context.getBean(TaskboundEngine.class));
            Health result = health.health(true);
            assertThat(result.getStatus()).isEqualTo(Status.UP);
            assertThat(result.getDetails()).containsKeys("node", "nodeId", "lanes");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> lanes =
                    (Map<String, Map<String, Object>>) result.getDetails().get("lanes");
            assertThat(lanes).containsKeys("io", "cpu", "memory");
            assertThat(lanes.get("io"))
                    .containsEntry("executor", "VIRTUAL")
                    .containsEntry("running", 0)
                    .containsEntry("held", 0)
                    .containsEntry("capacity", 1000)
                    .containsEntry("queued", 0L);
        });
    }

    @Test
    void healthListsEveryLoopOfTheEngineWithItsLastSuccess() {
        onFreshDatabase().run(context -> {
            TaskboundHealthIndicator health = new TaskboundHealthIndicator(context.getBean(TaskboundEngine.class));
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Map<String, Object>> loops = (Map<String, Map<String, Object>>)
                                health.health(true).getDetails().get("loops");
                        assertThat(loops)
                                .containsKeys(
                                        "taskbound-completer-1",
                                        "taskbound-heartbeat",
                                        "taskbound-dead-node-sweeper",
                                        "taskbound-io-dispatcher",
                                        "taskbound-supervisor");
                        assertThat(loops.values())
                                .allSatisfy(loop -> assertThat(loop)
                                        .containsEntry("state", "RUNNING")
                                        .doesNotContainEntry("lastSuccess", "never"));
                    });
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void aJobWithAnInvalidTimeoutFailsStartupNamingTheMethodAndTheValue() {
        onFreshDatabase()
                .withUserConfiguration(BadTimeout.class)
                .run(context -> assertThat(ShopContexts.causeOfType(
                                context.getStartupFailure(), InvalidJobDefinitionException.class))
                        .hasMessageContaining("Sloppy.pause(long)")
                        .hasMessageContaining("\"5 minutes\"")
                        .hasMessageContaining("PT5M"));
    }

    @Configuration(proxyBeanMethods = false)
    static class BadTimeout {
        @Bean
        Sloppy sloppy() {
            return new Sloppy();
        }
    }

    public static class Sloppy {
        @Job(timeout = "5 minutes")
        public void pause(long millis) {}
    }

    @Test
    void canBeDisabled() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class,
                        TaskboundAutoConfiguration.class))
                .withPropertyValues(
                        "spring.datasource.url=" + ShopContexts.freshDatabaseUrl(),
                        "spring.datasource.username=postgres",
                        "taskbound.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskboundEngine.class));
    }
}
