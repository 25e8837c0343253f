package io.taskbound.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.store.TaskboundSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Real PostgreSQL for tests: one embedded server per test JVM, a fresh database per test. When
 * {@code TASKBOUND_TEST_DATABASE_URL} (a JDBC URL of a server where the user may create databases)
 * is set, that server is used instead.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile EmbeddedPostgres server;

    private TestDatabase() {}

    /** A new, empty database, with the job store's schema when {@code migrated}. */
    public static HikariDataSource create(boolean migrated) {
        String name = "tb_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection admin = adminConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        HikariDataSource dataSource = dataSource(url(name), 30);
        if (migrated) {
            TaskboundSchema.migrate(dataSource);
        }
        return dataSource;
    }

    public static HikariDataSource create() {
        return create(true);
    }

    /** A second pool on the same database, as another application instance would have. */
    public static HikariDataSource anotherPool(HikariDataSource dataSource) {
        return dataSource(dataSource.getJdbcUrl(), 30);
    }

    /**
     * Another pool on the same database whose every connection is counted by {@code counter}, below
     * the pool, so that the pool's own validation queries count too.
     */
    public static HikariDataSource counted(HikariDataSource dataSource, StatementCounter counter) {
        PGSimpleDataSource physical = new PGSimpleDataSource();
        physical.setUrl(dataSource.getJdbcUrl());
        physical.setUser("postgres");
        HikariConfig config = new HikariConfig();
        config.setDataSource(counter.wrap(physical));
        config.setMaximumPoolSize(30);
        config.setMinimumIdle(2);
        config.setPoolName("counted-" + COUNTER.incrementAndGet());
        return new HikariDataSource(config);
    }

    /** JDBC URL of database {@code name} on the test server. */
    public static String url(String name) {
        String external = System.getenv("TASKBOUND_TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            int slash = external.lastIndexOf('/');
            int query = external.indexOf('?', slash);
            return external.substring(0, slash + 1) + name + (query < 0 ? "" : external.substring(query));
        }
        return server().getJdbcUrl("postgres", name);
    }

    private static Connection adminConnection() throws SQLException {
        String external = System.getenv("TASKBOUND_TEST_DATABASE_URL");
        if (external != null && !external.isBlank()) {
            return java.sql.DriverManager.getConnection(external);
        }
        return server().getPostgresDatabase().getConnection();
    }

    private static HikariDataSource dataSource(String url, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        // Open connections on demand: a suite creates many databases on one server, and idle pools
        // filled to their maximum would exhaust its max_connections.
        config.setMinimumIdle(2);
        config.setPoolName("test-" + COUNTER.incrementAndGet());
        return new HikariDataSource(config);
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            synchronized (TestDatabase.class) {
                if (server == null) {
                    try {
                        server = EmbeddedPostgres.builder()
                                .setServerConfig("max_connections", "300")
                                .start();
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
                    }
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            server.close();
                        } catch (IOException ignored) {
                            // the JVM is exiting
                        }
                    }));
                }
            }
        }
        return server;
    }
}
