package io.taskbound.store;

import jakarta.persistence.EntityManagerFactory;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A persistence unit that holds only the job store's entities, with its JPA transaction manager:
 * what an engine needs when it runs outside a Spring Boot application (benchmarks, tests, plain
 * Spring). In a Boot application the entities join the application's own unit instead.
 */
public final class StandalonePersistence implements AutoCloseable {

    private static final AtomicInteger UNITS = new AtomicInteger();

    private final EntityManagerFactory entityManagerFactory;
    private final PlatformTransactionManager transactionManager;

    private StandalonePersistence(DataSource dataSource, String unitName) {
        LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
        factory.setDataSource(dataSource);
        factory.setPackagesToScan(JobEntity.class.getPackageName());
        factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
        factory.setJpaPropertyMap(Map.of("hibernate.hbm2ddl.auto", "validate"));
        factory.setPersistenceUnitName(unitName);
        factory.afterPropertiesSet();
        this.entityManagerFactory = factory.getObject();
        this.transactionManager = new JpaTransactionManager(entityManagerFactory);
    }

    /**
     * Migrates the job store's schema on {@code dataSource} and opens a persistence unit over it.
     */
    public static StandalonePersistence open(DataSource dataSource) {
        TaskboundSchema.migrate(dataSource);
        return new StandalonePersistence(dataSource, "taskbound-" + UNITS.incrementAndGet());
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    @Override
    public void close() {
        entityManagerFactory.close();
    }
}
