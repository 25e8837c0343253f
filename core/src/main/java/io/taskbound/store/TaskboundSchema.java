package io.taskbound.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The job store's schema: its tables are created and migrated by Flyway, with a history table of
 * their own, so that they never depend on or disturb the application's own migrations.
 */
public final class TaskboundSchema {

    /** Flyway's history table for Taskbound's migrations. */
    public static final String HISTORY_TABLE = "taskbound_schema_history";

    /** Where the migrations are on the classpath; teams that migrate by hand take the SQL from here. */
    public static final String LOCATION = "classpath:db/taskbound/migration";

    /** The entities to register into the application's persistence unit. */
    public static final List<Class<?>> ENTITIES = List.of(
            JobEntity.class, JobAttemptEntity.class, JobLogEntity.class, NodeEntity.class, ScheduleEntity.class);

    // The table each migration creates, or "table.column" for one that only adds a column, in order:
    // how a store applied by hand tells its version.
    private static final List<String> HAND_APPLIED_MARKERS = List.of(
            "taskbound_job",
            "taskbound_schedule",
            "taskbound_schedule_set",
            "taskbound_paused_lane",
            "taskbound_queue_count",
            "taskbound_job.peak_heap_bytes",
            "taskbound_job.trace_context");

    /** Whether a table belongs to the job store. */
    public static boolean owns(String tableName) {
        return tableName.toLowerCase(java.util.Locale.ROOT).startsWith("taskbound_");
    }

    private TaskboundSchema() {}

    /**
     * Creates or migrates the job store's tables. A schema that already holds the application's
     * tables is fine: Taskbound's history starts empty there and its first migration runs. A schema
     * where the first migration was applied by hand keeps its tables, and Taskbound's history starts
     * after that migration.
     */
    public static MigrateResult migrate(DataSource dataSource) {
        // Flyway baselines a non-empty schema without its history table and then runs every
        // migration above the baseline. Baselining at 0 runs V1, which a schema that already holds
        // the job store (migrations applied by hand) would refuse with "relation already exists";
        // there the baseline is the last migration applied, told by the table it creates.
        String baselineVersion = "0";
        if (!exists(dataSource, HISTORY_TABLE)) {
            for (int version = HAND_APPLIED_MARKERS.size(); version >= 1; version--) {
                if (exists(dataSource, HAND_APPLIED_MARKERS.get(version - 1))) {
                    baselineVersion = String.valueOf(version);
                    break;
                }
            }
        }
        return Flyway.configure()
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                .baselineOnMigrate(true)
                .baselineVersion(baselineVersion)
                .load()
                .migrate();
    }

    /**
     * Whether a table, or a column written {@code table.column}, exists in the connection's current
     * schema, where Flyway migrates.
     */
    private static boolean exists(DataSource dataSource, String marker) {
        int dot = marker.indexOf('.');
        String table = dot < 0 ? marker : marker.substring(0, dot);
        String sql = dot < 0
                ? "select 1 from information_schema.tables where table_schema = current_schema() and table_name = ?"
                : "select 1 from information_schema.columns where table_schema = current_schema() and table_name = ?"
                        + " and column_name = ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, table);
            if (dot >= 0) {
                statement.setString(2, marker.substring(dot + 1));
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot look up " + marker, e);
        }
    }
}
