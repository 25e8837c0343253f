package io.taskbound.store;

import io.taskbound.JobFilter;
import io.taskbound.JobState;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JobFilter} as SQL conditions on {@code taskbound_job}, with their values bound in order.
 *
 * <p>States are written into the SQL, from the enum and never from input: a partial index (of
 * due, running or finished jobs) is used only where the planner can prove its predicate from the
 * query, which it cannot from a bound array.
 */
public final class FilterSql {

    private static final Set<JobState> FINISHED = EnumSet.of(JobState.SUCCEEDED, JobState.DEAD, JobState.CANCELLED);

    private final @Nullable String states;
    private final boolean finishedStatesOnly;
    private final List<String> tests = new ArrayList<>();
    private final List<Binder> values = new ArrayList<>();

    private interface Binder {
        void bind(PreparedStatement statement, int index) throws SQLException;
    }

    public FilterSql(JobFilter filter) {
        states = filter.states().isEmpty() ? null : literal(filter.states());
        finishedStatesOnly = states != null && FINISHED.containsAll(filter.states());
        text("lane = ?", filter.lane());
        text("name = ?", filter.name());
        text("schedule_id = ?", filter.scheduleId());
        instant("created_at >= ?", filter.createdFrom());
        instant("created_at < ?", filter.createdBefore());
        instant("finished_at >= ?", filter.finishedFrom());
        instant("finished_at < ?", filter.finishedBefore());
        text("strpos(lower(args::text), lower(?)) > 0", filter.argumentsContaining());
    }

    /** {@code ('A', 'B')}: the states as an SQL list, sorted. */
    public static String literal(Set<JobState> states) {
        return states.stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", ", "(", ")"));
    }

    /** The state condition, or null when the filter takes every state. */
    public @Nullable String stateCondition() {
        return states == null ? null : "state in " + states;
    }

    /** Whether the filter names states, all of them finished ones: the index of finished jobs serves it. */
    public boolean finishedStatesOnly() {
        return finishedStatesOnly;
    }

    /** The conditions other than the state, each with one value to bind, in order. */
    public List<String> tests() {
        return List.copyOf(tests);
    }

    /** Every condition, joined with {@code and}; {@code true} for a filter that takes every job. */
    public String where() {
        List<String> all = new ArrayList<>();
        if (states != null) {
            all.add(stateCondition());
        }
        all.addAll(tests);
        return all.isEmpty() ? "true" : String.join(" and ", all);
    }

    /** Binds the values of {@link #tests()} from {@code index} on; returns the next free index. */
    public int bind(PreparedStatement statement, int index) throws SQLException {
        for (Binder value : values) {
            value.bind(statement, index++);
        }
        return index;
    }

    private void text(String test, @Nullable String value) {
        if (value != null) {
            tests.add(test);
            values.add((statement, index) -> statement.setString(index, value));
        }
    }

    private void instant(String test, @Nullable Instant value) {
        if (value != null) {
            tests.add(test);
            values.add((statement, index) -> StoreSession.bindInstant(statement, index, value));
        }
    }
}
