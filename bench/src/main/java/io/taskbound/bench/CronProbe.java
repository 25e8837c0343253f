package io.taskbound.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What every contender's recurring job calls in the cron scenario: it records, in the run's
 * database, the fire time the run was made for, when its body started (wall clock, comparable
 * across the worker JVMs of one machine) and which node ran it. Node 0 counts them at the end.
 */
public final class CronProbe {

    static final String TABLE = "bench_cron_run";

    private static volatile @Nullable DataSource dataSource;
    private static volatile int node;

    private CronProbe() {}

    /** Where this worker JVM's runs are recorded, and as which node. */
    static void use(DataSource dataSource, int node) {
        CronProbe.dataSource = dataSource;
        CronProbe.node = node;
    }

    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists " + TABLE
                    + " (fire_ms bigint not null, start_ms bigint not null, node int not null)");
        }
    }

    /**
     * The body of every contender's recurring job: {@code startedMillis} is
     * {@link System#currentTimeMillis()} taken on the body's first line, {@code fireTime} the time
     * the library made this run for.
     */
    public static void fired(Instant fireTime, long startedMillis) throws SQLException {
        Objects.requireNonNull(fireTime, "fireTime: the run does not know the fire time it was made for");
        DataSource target = Objects.requireNonNull(dataSource, "CronProbe.use was not called in this worker");
        try (Connection connection = target.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into " + TABLE + " values (?, ?, ?)")) {
            insert.setLong(1, fireTime.toEpochMilli());
            insert.setLong(2, startedMillis);
            insert.setInt(3, node);
            insert.executeUpdate();
        }
    }

    /** Writes every recorded run as CSV (fire_ms,start_ms,node), for a look at the raw data. */
    static void dump(DataSource dataSource, Path file) throws Exception {
        StringBuilder csv = new StringBuilder("fire_ms,start_ms,node\n");
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("select fire_ms, start_ms, node from " + TABLE + " order by fire_ms")) {
            while (rows.next()) {
                csv.append(rows.getLong(1))
                        .append(',')
                        .append(rows.getLong(2))
                        .append(',')
                        .append(rows.getInt(3))
                        .append('\n');
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }

    /**
     * The runs recorded for the fire times in {@code [from, to)} of a schedule firing every {@code
     * interval} on the epoch's grid (whole seconds, or whole multiples of 5 s). A run counts for the
     * grid time at or before the fire time the library gave it, and is late from that grid time: a
     * library whose own fire times drift off the grid (db-scheduler's cron carries the completion
     * time's milliseconds into the next execution time) is measured against the times its cron
     * expression names.
     */
    static Window window(DataSource dataSource, long from, long to, Duration interval) throws SQLException {
        long step = interval.toMillis();
        long first = Math.floorDiv(from + step - 1, step) * step;
        long end = Math.floorDiv(to + step - 1, step) * step;
        long expected = Math.max(0, (end - first) / step);
        Set<Long> slots = new HashSet<>();
        List<Long> lateness = new ArrayList<>();
        long offGrid = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select fire_ms, start_ms from " + TABLE + " where fire_ms >= ? and fire_ms < ?")) {
            select.setLong(1, first);
            select.setLong(2, end);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long fire = rows.getLong(1);
                    long slot = Math.floorDiv(fire, step) * step;
                    slots.add(slot);
                    lateness.add(rows.getLong(2) - slot);
                    if (slot != fire) {
                        offGrid++;
                    }
                }
            }
        }
        return new Window(first, end, expected, slots.size(), lateness, offGrid);
    }

    /**
     * Grid times {@code [first, end)}, {@code expected} of them; {@code fires}: those with at least
     * one run; {@code lateness}: of every run in ms from its grid time, duplicates included; {@code
     * offGrid}: runs whose library-given fire time was not on the grid.
     */
    record Window(long first, long end, long expected, long fires, List<Long> lateness, long offGrid) {

        long runs() {
            return lateness.size();
        }

        long missed() {
            return expected - fires;
        }

        long duplicates() {
            return runs() - fires;
        }

        long early() {
            return lateness.stream().filter(l -> l < 0).count();
        }

        double[] latenessMillis() {
            return lateness.stream().mapToDouble(Long::doubleValue).toArray();
        }
    }
}
