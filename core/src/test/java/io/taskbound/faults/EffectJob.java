package io.taskbound.faults;

import io.taskbound.Job;
import io.taskbound.JobContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * A job with an effect outside the job store, as a real job has: it inserts a row into
 * {@code fault_effect} (committed at once, like a call to another service) and then works for a
 * while. A run cut short after its insert, then run again, leaves two rows: the at-least-once
 * window a fault test counts.
 */
public final class EffectJob {

    static final String NAME = "fault.effect";

    private final DataSource dataSource;
    private final String node;
    private final Duration work;

    EffectJob(DataSource dataSource, String node, Duration work) {
        this.dataSource = dataSource;
        this.node = node;
        this.work = work;
    }

    /** Creates the effect table in the database of {@code dataSource}. */
    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    create table fault_effect (
                        job_key text        not null,
                        node    text        not null,
                        attempt integer     not null,
                        at      timestamptz not null default clock_timestamp()
                    )
                    """);
        }
    }

    @Job(name = NAME, lane = FaultNode.LANE)
    public void record(String key, JobContext context) throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into fault_effect (job_key, node, attempt) values (?, ?, ?)")) {
            insert.setString(1, key);
            insert.setString(2, node);
            insert.setInt(3, context.attempt());
            insert.executeUpdate();
        }
        Thread.sleep(work);
    }
}
