package io.taskbound.autoconfigure;

import io.taskbound.autoconfigure.app.ShopApplication;
import io.taskbound.testing.TestDatabase;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

/** What the auto-configuration tests share: the shop application's context on a fresh database. */
final class ShopContexts {

    private ShopContexts() {}

    /** The shop application with JPA, Flyway and Taskbound auto-configured; no database yet. */
    static ApplicationContextRunner shopApplication() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class,
                        DataSourceTransactionManagerAutoConfiguration.class,
                        HibernateJpaAutoConfiguration.class,
                        TransactionAutoConfiguration.class,
                        FlywayAutoConfiguration.class,
                        TaskboundAutoConfiguration.class))
                .withUserConfiguration(ShopApplication.class);
    }

    /** A new, empty database on the test server. */
    static String freshDatabaseUrl() {
        try (var dataSource = TestDatabase.create(false)) {
            return dataSource.getJdbcUrl();
        }
    }

    /** {@code runner} on the database at {@code url}, with a short poll interval. */
    static ApplicationContextRunner onDatabase(ApplicationContextRunner runner, String url) {
        return runner.withPropertyValues(
                "spring.datasource.url=" + url, "spring.datasource.username=postgres", "taskbound.poll-interval=200ms");
    }

    /** The first cause of {@code type} in a start-up failure's chain. */
    static Throwable causeOfType(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return cause;
            }
        }
        throw new AssertionError("No " + type.getSimpleName() + " in " + failure);
    }
}
