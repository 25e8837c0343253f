package io.taskbound.store;

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
    public static final List<Class<?>> ENTITIES =
            List.of(JobEntity.class, JobAttemptEntity.class, JobLogEntity.class, NodeEntity.class);

    /** Whether a table belongs to the job store. */
    public static boolean owns(String tableName) {
        return tableName.toLowerCase(java.util.Locale.ROOT).startsWith("taskbound_");
    }

    private TaskboundSchema() {}

    /**
     * Creates or migrates the job store's tables. A schema that already holds the application's
     * tables is fine: Taskbound's history starts empty there and its first migration runs.
     */
    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations(LOCATION)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
