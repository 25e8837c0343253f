package io.taskbound.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Counts, on the server, the statements a contender's node sends to its database: {@code
 * pg_stat_statements}, preloaded by {@link BenchServer} but tracking nothing unless a database asks
 * for it, so that the other scenarios run as before. Every statement the server executes counts,
 * transaction control ({@code BEGIN}, {@code COMMIT}) and {@code SET} included; a connection check
 * that sends an empty query (a pool's validation, {@code Connection.isValid}) executes no statement
 * and does not count.
 */
final class IdleProbe {

    // Statements of this probe itself, which run in the same database.
    private static final String NOT_OURS = "query not like '%pg_stat_statements%'";

    private IdleProbe() {}

    /**
     * Makes the server count the statements of every session that opens on the database at {@code
     * url} from now on. Call it before the contender's pool opens its first connection.
     */
    static void track(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            String database;
            try (ResultSet row = statement.executeQuery("select current_database()")) {
                row.next();
                database = row.getString(1);
            }
            statement.execute("create extension if not exists pg_stat_statements");
            statement.execute("alter database " + database + " set compute_query_id = on");
            statement.execute("alter database " + database + " set pg_stat_statements.track = 'top'");
        }
    }

    /** Statements executed on this database so far, by their normalized text. */
    static Map<String, Long> statements(DataSource dataSource) throws SQLException {
        Map<String, Long> calls = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select query, sum(calls) from pg_stat_statements"
                        + " where dbid = (select oid from pg_database where datname = current_database()) and "
                        + NOT_OURS + " group by query")) {
            while (rows.next()) {
                calls.put(rows.getString(1), rows.getLong(2));
            }
        }
        return calls;
    }

    /** What ran between two readings of {@link #statements}, by statement, most frequent first. */
    static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> delta.put(e.getKey(), e.getValue()));
        return delta;
    }

    /** Writes {@code counts} as CSV (count, statement on one line), for a reader to see what the node sent. */
    static void dump(Map<String, Long> counts, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(
                file,
                counts.entrySet().stream()
                        .map(e -> e.getValue() + ",\""
                                + e.getKey().replaceAll("\\s+", " ").replace("\"", "\"\"") + "\"")
                        .collect(Collectors.joining("\n", "calls,statement\n", "\n")));
    }
}
