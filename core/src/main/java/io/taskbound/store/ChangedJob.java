package io.taskbound.store;

import io.taskbound.Bound;
import io.taskbound.JobState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A job as a statement outside a run left it, for {@link JobChanges}.
 *
 * @param state the state it was left in
 * @param at when, by the store's clock: its creation, cancellation or the sweep
 * @param dueAt its run time before the change (for an insert: the one it was given)
 * @param error the error stored with the change, if any
 */
public record ChangedJob(
        UUID id,
        String name,
        String lane,
        Bound bound,
        JobState state,
        int attempt,
        int maxAttempts,
        Instant at,
        Instant dueAt,
        @Nullable String error) {

    /**
     * The columns a statement returns for {@link #read}, in this order: id, name, lane, bound, state,
     * attempt, max_attempts, then the given expressions for {@code at}, {@code dueAt} and {@code
     * error}.
     */
    static String columns(String prefix, String at, String dueAt, String error) {
        return prefix + "id, " + prefix + "name, " + prefix + "lane, " + prefix + "bound, " + prefix + "state, "
                + prefix + "attempt, " + prefix + "max_attempts, " + at + " as changed_at, " + dueAt + " as due_at, "
                + error + " as error";
    }

    /** Reads the {@link #columns} starting at column {@code first}. */
    static ChangedJob read(ResultSet row, int first) throws SQLException {
        int i = first;
        return new ChangedJob(
                row.getObject(i, UUID.class),
                row.getString(i + 1),
                row.getString(i + 2),
                Bound.valueOf(row.getString(i + 3)),
                JobState.valueOf(row.getString(i + 4)),
                row.getInt(i + 5),
                row.getInt(i + 6),
                row.getObject(i + 7, OffsetDateTime.class).toInstant(),
                row.getObject(i + 8, OffsetDateTime.class).toInstant(),
                row.getString(i + 9));
    }
}
