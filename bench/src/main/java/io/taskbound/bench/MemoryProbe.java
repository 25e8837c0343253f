package io.taskbound.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The job bodies of the memory and gc-isolation scenarios, and the table they record their starts
 * and ends in. They run wherever the contender runs a job: in the application's JVM, or in one of
 * Taskbound's worker JVMs, which is why they find the database through a system property (the
 * application JVM's command line sets it, and hands it to its workers through their JVM options)
 * and record with a plain JDBC connection of their own rather than a pool of the application's.
 *
 * <p>The orchestrator counts from that table, not from inside the application: an application that
 * dies cannot report, and what it completed before dying is still in the database.
 */
public final class MemoryProbe {

    /** The JDBC URL of the run's database, for job bodies in any JVM. */
    public static final String URL_PROPERTY = "taskbound.bench.app-url";

    static final String EVENTS = "bench_app_event";

    static final String PHASES = "bench_app_phase";

    /**
     * The hold and runaway jobs allocate in 16 KB arrays. Under G1 a region (1 MB on these heaps)
     * takes whole arrays only: with 256 KB arrays three fit and a quarter of each region is lost, so a
     * job holding 80 % of a 256 MB heap ran out (measured), and arrays of half a region or more are
     * humongous and take whole regions; at 16 KB the loss is under 2 %, and the job holds what it says.
     */
    private static final int HOLD_CHUNK = 16 * 1024;

    /** The churn's chunk, as the gc-isolation scenario states it. */
    private static final int CHURN_CHUNK = 1024 * 1024;

    /** Far beyond any heap here (256 MB worker, 512 MB application): the runaway job never gets there. */
    private static final long RUNAWAY_LIMIT = 8L << 30;

    private static volatile long sink;

    private MemoryProbe() {}

    static void createTables(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + EVENTS
                    + " (kind text not null, idx int not null, event text not null, at_ms bigint not null)");
            statement.execute("create table if not exists " + PHASES + " (phase text not null, at_ms bigint not null)");
        }
    }

    /** The body of each of this scenario's job kinds; see {@link JobKind}. */
    static void run(JobKind kind, int index) throws InterruptedException {
        switch (kind) {
            case ORDINARY -> {
                Thread.sleep(100);
                byte[] work = new byte[64 * 1024];
                work[index % work.length] = 1;
                sink += work[index % work.length];
                record(kind, index, "end");
            }
            case MEMORY_RUNAWAY -> {
                record(kind, index, "start");
                // In a method of its own, so that what it held is unreachable once it has thrown.
                sink += holdUntil(RUNAWAY_LIMIT, 0);
                record(kind, index, "end");
            }
            case MEMORY_HALT -> {
                record(kind, index, "start");
                Runtime.getRuntime().halt(137);
            }
            case MEMORY_HOLD -> {
                record(kind, index, "start");
                sink += holdUntil((long) (Runtime.getRuntime().maxMemory() * 0.8), 5_000);
                record(kind, index, "end");
            }
            case MEMORY_CHURN -> {
                record(kind, index, "start");
                churn((long) index << 30);
                record(kind, index, "end");
            }
            default -> throw new IllegalArgumentException(kind + " is not a memory scenario's job");
        }
    }

    /** Holds chunks until {@code bytes} are held, then keeps them {@code millis}; returns a checksum. */
    private static long holdUntil(long bytes, long millis) throws InterruptedException {
        List<byte[]> held = new ArrayList<>();
        for (long total = 0; total < bytes; total += HOLD_CHUNK) {
            byte[] chunk = new byte[HOLD_CHUNK];
            chunk[0] = 1;
            held.add(chunk);
        }
        Thread.sleep(millis);
        return held.size();
    }

    /** Allocates {@code bytes} in 1 MB chunks, each dropped at once (touched, so none is optimised away). */
    private static void churn(long bytes) {
        long sum = 0;
        for (long total = 0; total < bytes; total += CHURN_CHUNK) {
            byte[] chunk = new byte[CHURN_CHUNK];
            chunk[(int) (total % CHURN_CHUNK)] = 1;
            sum += chunk[CHURN_CHUNK - 1] + chunk.length;
        }
        sink += sum;
    }

    /**
     * Records an event of a job with a connection of its own; does nothing where no database was
     * given, and gives up quietly when it cannot (a JVM out of memory may not manage it: that job's
     * event is then missing, which the orchestrator reads as not ended).
     */
    private static void record(JobKind kind, int index, String event) {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement insert =
                        connection.prepareStatement("insert into " + EVENTS + " values (?, ?, ?, ?)")) {
            insert.setString(1, id(kind));
            insert.setInt(2, index);
            insert.setString(3, event);
            insert.setLong(4, System.currentTimeMillis());
            insert.executeUpdate();
        } catch (SQLException | RuntimeException | OutOfMemoryError e) {
            System.err.println("MemoryProbe: could not record " + event + " of " + kind + " " + index + ": " + e);
        }
    }

    static String id(JobKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Events of {@code kind} recorded as {@code event}. */
    static long count(DataSource dataSource, JobKind kind, String event) throws SQLException {
        Long count = query(dataSource, "select count(*) from " + EVENTS + " where kind = ? and event = ?", kind, event);
        return count == null ? 0 : count;
    }

    /** The first time {@code kind} recorded {@code event}, epoch ms; null if never. */
    static @Nullable Long first(DataSource dataSource, JobKind kind, String event) throws SQLException {
        return query(dataSource, "select min(at_ms) from " + EVENTS + " where kind = ? and event = ?", kind, event);
    }

    static void arrive(DataSource dataSource, String phase) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into " + PHASES + " values (?, ?)")) {
            insert.setString(1, phase);
            insert.setLong(2, System.currentTimeMillis());
            insert.executeUpdate();
        }
    }

    static boolean arrived(DataSource dataSource, String phase) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("select count(*) from " + PHASES + " where phase = ?")) {
            select.setString(1, phase);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private static @Nullable Long query(DataSource dataSource, String sql, JobKind kind, String event)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, id(kind));
            select.setString(2, event);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long value = rows.getLong(1);
                return rows.wasNull() ? null : value;
            }
        }
    }
}
