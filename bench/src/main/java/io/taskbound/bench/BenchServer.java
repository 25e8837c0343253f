package io.taskbound.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The one PostgreSQL server of a benchmark run, configured as production would be: the embedded
 * server's defaults turn durability off (fsync, synchronous commit, full-page writes), which
 * flatters every contender, so they are turned back on here.
 */
final class BenchServer implements AutoCloseable {

    /** Settings that are reported with the results. */
    static final List<String> REPORTED = List.of(
            "fsync",
            "synchronous_commit",
            "full_page_writes",
            "wal_level",
            "shared_buffers",
            "max_connections",
            "checkpoint_timeout",
            "max_wal_size",
            "shared_preload_libraries",
            "compute_query_id",
            "pg_stat_statements.track");

    /** Kept when the server stops, so that {@link #restart()} finds its databases as they were. */
    private final Path dataDirectory;

    private final AtomicInteger databases = new AtomicInteger();
    private EmbeddedPostgres server;

    BenchServer() throws IOException {
        dataDirectory = Files.createTempDirectory("taskbound-bench-pg-");
        server = builder().start();
    }

    private EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "300")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("max_wal_size", "2GB")
                // For the idle scenario, which counts the statements its database receives: loaded for
                // every database but tracking none (no query ids, no counting) unless a database turns
                // both on for its own sessions (IdleProbe.track).
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("compute_query_id", "off")
                .setServerConfig("pg_stat_statements.track", "none");
    }

    /**
     * Stops the server as {@code pg_ctl stop -m fast} does (sessions ended, open transactions rolled
     * back) and starts it again on the same data directory and port, as an operator's restart does.
     */
    synchronized void restart() throws IOException {
        int port = server.getPort();
        server.close();
        server = builder().setPort(port).start();
    }

    /** A new, empty database; returns its JDBC URL. */
    String createDatabase() throws SQLException {
        String name = "bench_" + databases.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        return server.getJdbcUrl("postgres", name);
    }

    void dropDatabase(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        }
    }

    String version() throws SQLException {
        return query("select version()");
    }

    Map<String, String> settings() throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : REPORTED) {
            settings.put(name, query("show " + name));
        }
        return settings;
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }
}
