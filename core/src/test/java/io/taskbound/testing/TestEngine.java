package io.taskbound.testing;

import io.taskbound.Jobs;
import io.taskbound.TaskboundEngine;
import io.taskbound.TaskboundSettings;
import io.taskbound.job.JobRegistry;
import io.taskbound.store.TaskboundSchema;
import jakarta.persistence.EntityManagerFactory;
import java.time.InstantSource;
import java.util.Map;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One engine over a database, as an application instance would run it, without Spring Boot: a JPA
 * persistence unit with the job store's entities, a JPA transaction manager, and the given beans'
 * {@code @Job} methods registered.
 */
public final class TestEngine implements AutoCloseable {

    private final TaskboundEngine engine;
    private final EntityManagerFactory entityManagerFactory;
    private final PlatformTransactionManager transactionManager;

    private TestEngine(
            DataSource dataSource,
            TaskboundSettings settings,
            @Nullable InstantSource clock,
            RandomGenerator random,
            Object... beans) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setPackagesToScan(TaskboundSchema.ENTITIES.getFirst().getPackageName());
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "validate"));
        factory.setPersistenceUnitName("taskbound-test-" + System.identityHashCode(this));
        factory.afterPropertiesSet();
        this.entityManagerFactory = factory.getObject();
        this.transactionManager = new JpaTransactionManager(entityManagerFactory);
        JobRegistry registry = new JobRegistry(settings);
        for (Object bean : beans) {
            registry.register(bean, bean.getClass());
        }
        this.engine = TaskboundEngine.builder()
                .registry(registry)
                .dataSource(dataSource)
                .entityManagerFactory(entityManagerFactory)
                .transactionManager(transactionManager)
                .clock(clock)
                .random(random)
                .build();
    }

    /** An engine with {@code settings}, started. */
    public static TestEngine start(DataSource dataSource, TaskboundSettings settings, Object... beans) {
        return start(dataSource, settings, null, RandomGenerator.getDefault(), beans);
    }

    public static TestEngine start(
            DataSource dataSource,
            TaskboundSettings settings,
            @Nullable InstantSource clock,
            RandomGenerator random,
            Object... beans) {
        TestEngine engine = new TestEngine(dataSource, settings, clock, random, beans);
        engine.engine.start();
        return engine;
    }

    /** An engine with default settings, started. */
    public static TestEngine start(DataSource dataSource, Object... beans) {
        return start(dataSource, TaskboundSettings.defaults(), beans);
    }

    public Jobs jobs() {
        return engine.jobs();
    }

    public TaskboundEngine engine() {
        return engine;
    }

    public TransactionTemplate transactions() {
        return new TransactionTemplate(transactionManager);
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    /** Stops the engine gracefully and closes its persistence unit. */
    @Override
    public void close() {
        engine.stop();
        entityManagerFactory.close();
    }

    /** Stops the engine as a crash would, leaving its node row and running jobs behind. */
    public void crash() {
        engine.halt();
        entityManagerFactory.close();
    }
}
