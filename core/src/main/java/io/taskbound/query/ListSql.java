package io.taskbound.query;

import io.taskbound.JobFilter;
import io.taskbound.store.FilterSql;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of one page of a job listing, newest first by id (ids are time-ordered, so this is
 * creation order, and an id never changes, so paging by it is stable).
 *
 * <p>Rows are found in two steps. The <em>window</em> walks an index from the cursor down: the
 * primary key, or, for finished states only, the index of finished jobs by state and id. The
 * conditions no index serves (lane, name, times, argument text, live states) are tested on at most
 * {@link #WINDOW} rows of it, so a page never costs more than that however rare the matches are;
 * when the window ends before the page is full, the next cursor continues below the window.
 */
final class ListSql {

    /** The most rows one page tests against the conditions no index serves. */
    static final int WINDOW = 10_000;

    static final String COLUMNS = "id, name, lane, bound, state, priority, attempt, max_attempts, created_at, run_at,"
            + " started_at, finished_at, left(error, 1000) as error, progress, schedule_id";

    private final FilterSql filter;
    private final String windowConditions;
    private final List<String> tests = new ArrayList<>();

    ListSql(JobFilter jobFilter) {
        filter = new FilterSql(jobFilter);
        String states = filter.stateCondition();
        windowConditions = filter.finishedStatesOnly() ? states : "true";
        if (states != null && !filter.finishedStatesOnly()) {
            tests.add(states);
        }
        tests.addAll(filter.tests());
    }

    /** Whether some condition is tested on a bounded window rather than served by the index. */
    boolean windowed() {
        return !tests.isEmpty();
    }

    /** One page plus one row, to tell whether there is a next page. */
    String page() {
        String window = "select * from taskbound_job where " + windowConditions + " and id < ? order by id desc";
        if (!windowed()) {
            return "select " + COLUMNS + " from (" + window + " limit ?) w order by id desc";
        }
        return "select " + COLUMNS + " from (" + window + " limit " + WINDOW + ") w where "
                + String.join(" and ", tests) + " order by id desc limit ?";
    }

    /** The last row of a full window: where the next page goes on when the window ends first. */
    String windowEnd() {
        return "select id from taskbound_job where " + windowConditions + " and id < ? order by id desc offset "
                + (WINDOW - 1) + " limit 1";
    }

    /** Binds the page's parameters: the cursor, the tested values, the row limit. */
    void bindPage(PreparedStatement statement, UUID below, int limit) throws SQLException {
        statement.setObject(1, below);
        statement.setInt(filter.bind(statement, 2), limit);
    }
}
