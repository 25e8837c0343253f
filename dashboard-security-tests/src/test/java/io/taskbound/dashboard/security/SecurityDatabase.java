package io.taskbound.dashboard.security;

import io.taskbound.testing.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A fresh database on the embedded test server, for one application context. */
final class SecurityDatabase {

    private SecurityDatabase() {}

    static void register(DynamicPropertyRegistry registry) {
        String url;
        try (var dataSource = TestDatabase.create(false)) {
            url = dataSource.getJdbcUrl();
        }
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("taskbound.poll-interval", () -> "200ms");
    }
}
