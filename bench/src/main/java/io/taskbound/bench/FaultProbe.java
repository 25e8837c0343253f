package io.taskbound.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What every contender's job does in the faults scenario: it records its effect, the job's index,
 * the node and the time its body started, in a table of the run's database, with plain JDBC in
 * autocommit on a pool of its own, as a real job's call to another service happens outside the
 * job store; then it works for {@link #WORK}. A run cut short after its effect and run again
 * leaves two rows: the duplicates a fault costs. The orchestrator counts the rows.
 */
public final class FaultProbe {

    static final String EFFECTS = "bench_fault_effect";

    /** Phases the worker JVMs of a fault run reach, such as {@code started}, one row per node. */
    static final String PHASES = "bench_fault_phase";

    /** How long a job works after its effect: long enough that a kill finds jobs running. */
    static final Duration WORK = Duration.ofSeconds(2);

    /**
     * How long a job keeps trying to record its effect while the database is unreachable, as a
     * job calling a service that is down for a moment would retry; the time recorded stays the
     * time its body started.
     */
    static final Duration EFFECT_RETRY = Duration.ofSeconds(90);

    private static volatile @Nullable HikariDataSource effects;
    private static volatile int node;

    private FaultProbe() {}

    /** Where this worker JVM records its jobs' effects, and as which node. */
    static void use(String url, int node) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("bench-effects");
        effects = new HikariDataSource(config);
        FaultProbe.node = node;
    }

    static void createTables(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + EFFECTS
                    + " (idx int not null, node int not null, start_ms bigint not null)");
            statement.execute("create table if not exists " + PHASES + " (node int not null, phase text not null)");
        }
    }

    /** The body of every contender's job in the faults scenario. */
    public static void run(int index) throws InterruptedException {
        long started = System.currentTimeMillis();
        DataSource target = Objects.requireNonNull(effects, "FaultProbe.use was not called in this worker");
        long deadline = System.nanoTime() + EFFECT_RETRY.toNanos();
        while (true) {
            try (Connection connection = target.getConnection();
                    PreparedStatement insert =
                            connection.prepareStatement("insert into " + EFFECTS + " values (?, ?, ?)")) {
                insert.setInt(1, index);
                insert.setInt(2, node);
                insert.setLong(3, started);
                insert.executeUpdate();
                break;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Effect of job " + index + " not recorded within " + EFFECT_RETRY, e);
                }
                Thread.sleep(100);
            }
        }
        Thread.sleep(WORK);
    }

    static void arrive(DataSource dataSource, int node, String phase) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into " + PHASES + " values (?, ?)")) {
            insert.setInt(1, node);
            insert.setString(2, phase);
            insert.executeUpdate();
        }
    }

    static long arrived(DataSource dataSource, String phase) throws SQLException {
        return query(dataSource, "select count(*) from " + PHASES + " where phase = ?", phase);
    }

    /** Effects recorded in all: a job run twice has two. */
    static long effects(DataSource dataSource) throws SQLException {
        return query(dataSource, "select count(*) from " + EFFECTS);
    }

    /** Jobs of indices below {@code enqueued} with at least one effect. */
    static long jobsWithEffect(DataSource dataSource, long enqueued) throws SQLException {
        return query(dataSource, "select count(distinct idx) from " + EFFECTS + " where idx < ?", enqueued);
    }

    /** The latest start of a job body, epoch ms; 0 if none. */
    static long lastStart(DataSource dataSource) throws SQLException {
        return query(dataSource, "select coalesce(max(start_ms), 0) from " + EFFECTS);
    }

    /** The first start of a job body at or after {@code fromMillis}, epoch ms; 0 if none. */
    static long firstStartFrom(DataSource dataSource, long fromMillis) throws SQLException {
        return query(
                dataSource, "select coalesce(min(start_ms), 0) from " + EFFECTS + " where start_ms >= ?", fromMillis);
    }

    /** Nodes that started a job body at or after {@code fromMillis}. */
    static long nodesStartingFrom(DataSource dataSource, long fromMillis) throws SQLException {
        return query(dataSource, "select count(distinct node) from " + EFFECTS + " where start_ms >= ?", fromMillis);
    }

    /** Job bodies {@code node} started after {@code afterMillis}. */
    static long startsOn(DataSource dataSource, int node, long afterMillis) throws SQLException {
        return query(
                dataSource, "select count(*) from " + EFFECTS + " where node = ? and start_ms > ?", node, afterMillis);
    }

    private static long query(DataSource dataSource, String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
