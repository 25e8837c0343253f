package io.taskbound.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * What {@link EmbeddedPostgresDatabase} imports: the embedded server, one per test JVM, and a fresh
 * database on it per application context, as {@code spring.datasource.*}. The server stops when
 * the JVM exits.
 */
@TestConfiguration(proxyBeanMethods = false)
public class EmbeddedPostgresConfiguration {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    // A registrar runs before any other bean is made, so the DataSource finds the properties.
    @Bean
    static DynamicPropertyRegistrar taskboundEmbeddedPostgresProperties() {
        String url = freshDatabase();
        return properties -> {
            properties.add("spring.datasource.url", () -> url);
            properties.add("spring.datasource.username", () -> "postgres");
            properties.add("spring.datasource.password", () -> "");
        };
    }

    private static String freshDatabase() {
        String name = "taskbound_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        EmbeddedPostgres postgres = server();
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on the embedded PostgreSQL", e);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "Cannot start the embedded PostgreSQL; see the cause, or set spring.datasource.url to a"
                                + " running server and remove @EmbeddedPostgresDatabase",
                        e);
            }
        }
        return server;
    }
}
