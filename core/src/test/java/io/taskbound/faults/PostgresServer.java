package io.taskbound.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.store.TaskboundSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a fault test's own, which the test may stop and start again on the same
 * data directory and port, as an operator's {@code pg_ctl restart} does. Its settings are durable
 * (fsync and synchronous commit on), so that a restart tests what production would see.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private PostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        start();
    }

    /** A new server with one database, {@code taskbound}, holding the job store's schema. */
    public static PostgresServer start(String name) {
        try {
            Path directory = Files.createTempDirectory("taskbound-" + name + "-");
            PostgresServer postgres = new PostgresServer(directory, freePort());
            try (Connection admin = postgres.server.getPostgresDatabase().getConnection();
                    Statement create = admin.createStatement()) {
                create.execute("create database taskbound");
            }
            try (HikariDataSource schema = postgres.pool("schema", 2)) {
                TaskboundSchema.migrate(schema);
            }
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the fault test's database", e);
        }
    }

    /** Starts the server on its data directory; its databases are as they were when it stopped. */
    public void start() {
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL on " + dataDirectory, e);
        }
    }

    /** Stops the server as {@code pg_ctl stop -m fast} does: sessions are ended, transactions rolled back. */
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void restart() {
        stop();
        start();
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the {@code taskbound} database on {@code port}, the server's or a proxy's. */
    public String url(int port, String parameters) {
        return "jdbc:postgresql://localhost:" + port + "/taskbound" + (parameters.isEmpty() ? "" : "?" + parameters);
    }

    /** A pool on the {@code taskbound} database, straight to the server. */
    public HikariDataSource pool(String name, int size) {
        return pool(name, size, url(port, ""));
    }

    /**
     * A pool as an application would configure it, with short waits so that a test of an outage
     * does not spend its time on the pool's defaults.
     */
    public static HikariDataSource pool(String name, int size, String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        config.setPoolName(name);
        // A pool that cannot connect at start-up still starts: the database may be down for a moment.
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
