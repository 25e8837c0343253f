package io.taskbound.dashboard;

import io.taskbound.testing.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh database on the embedded test server, for one application context. Test classes close
 * their context after they ran ({@code @DirtiesContext}): left to the JVM's exit, the context's
 * engine would stop while the test server's own shutdown hook stops the database, and wait out its
 * shutdown timeout for it.
 */
final class DashboardDatabase {

    private DashboardDatabase() {}

    static void register(DynamicPropertyRegistry registry) {
        String url;
        try (var dataSource = TestDatabase.create(false)) {
            url = dataSource.getJdbcUrl();
        }
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("taskbound.poll-interval", () -> "200ms");
        registry.add("taskbound.figures-interval", () -> "200ms");
    }
}
