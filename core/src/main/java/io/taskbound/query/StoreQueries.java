package io.taskbound.query;

import io.taskbound.AttemptInfo;
import io.taskbound.Bound;
import io.taskbound.JobDetails;
import io.taskbound.JobFilter;
import io.taskbound.JobLogLine;
import io.taskbound.JobQueries;
import io.taskbound.JobState;
import io.taskbound.JobSummary;
import io.taskbound.LaneReport;
import io.taskbound.NodeInfo;
import io.taskbound.Page;
import io.taskbound.StateCount;
import io.taskbound.figures.FiguresReader;
import io.taskbound.store.FilterSql;
import io.taskbound.store.JobAttemptEntity;
import io.taskbound.store.JobStore;
import io.taskbound.store.StoreSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** {@link JobQueries} over the job store, in read-only transactions of its own. */
public final class StoreQueries implements JobQueries {

    /** Counts above this are estimated from PostgreSQL's statistics rather than counted. */
    static final int EXACT_COUNT_LIMIT = 10_000;

    private static final UUID ABOVE_EVERY_ID = new UUID(-1L, -1L);

    /** PostgreSQL's SQLSTATE for a statement cancelled, here by its {@code statement_timeout}. */
    private static final String QUERY_CANCELED = "57014";

    /** How long an estimated count is used before the planner is asked again. */
    static final Duration ESTIMATE_FOR = Duration.ofSeconds(30);

    private final Map<JobState, Estimate> estimates = new ConcurrentHashMap<>();
    private final StoreSession session;
    private final JobStore jobs;
    private final FiguresReader figures;

    public StoreQueries(StoreSession session, JobStore jobs, FiguresReader figures) {
        this.session = session;
        this.jobs = jobs;
        this.figures = figures;
    }

    @Override
    public Page<JobSummary> list(JobFilter filter, @Nullable String cursor, int size) {
        Objects.requireNonNull(filter, "filter");
        checkSize(size);
        UUID below = Objects.requireNonNullElse(Cursors.job(cursor), ABOVE_EVERY_ID);
        ListSql sql = new ListSql(filter);
        return session.readOnlyJdbc(connection -> {
            // The page and the end of its window are two statements: one snapshot for both, or a
            // job finished, pruned or enqueued between them would shift the window's end, and rows
            // would be skipped untested or listed twice.
            try (Statement snapshot = connection.createStatement()) {
                snapshot.execute("set transaction isolation level repeatable read");
            }
            List<JobSummary> rows = new ArrayList<>(size + 1);
            try (PreparedStatement page = connection.prepareStatement(sql.page())) {
                sql.bindPage(page, below, size + 1);
                try (ResultSet result = page.executeQuery()) {
                    while (result.next()) {
                        rows.add(summary(result));
                    }
                }
            }
            if (rows.size() > size) {
                List<JobSummary> items = rows.subList(0, size);
                return new Page<>(items, Cursors.ofJob(items.getLast().id()));
            }
            UUID windowEnd = sql.windowed() ? windowEnd(connection, sql, below) : null;
            return new Page<>(rows, windowEnd == null ? null : Cursors.ofJob(windowEnd));
        });
    }

    private static @Nullable UUID windowEnd(Connection connection, ListSql sql, UUID below) throws SQLException {
        try (PreparedStatement end = connection.prepareStatement(sql.windowEnd())) {
            end.setObject(1, below);
            try (ResultSet result = end.executeQuery()) {
                return result.next() ? result.getObject(1, UUID.class) : null;
            }
        }
    }

    @Override
    public Optional<JobDetails> details(UUID jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return jobs.info(jobId)
                .map(info -> new JobDetails(
                        info,
                        jobs.attempts(jobId).stream().map(StoreQueries::attempt).toList()));
    }

    @Override
    public Page<JobLogLine> logs(UUID jobId, @Nullable String cursor, int size) {
        Objects.requireNonNull(jobId, "jobId");
        checkSize(size);
        long after = Cursors.logLine(cursor);
        return session.readOnlyJdbc(connection -> {
            List<JobLogLine> lines = new ArrayList<>(size + 1);
            try (PreparedStatement page = connection.prepareStatement("""
                    select id, attempt, logged_at, message from taskbound_job_log
                     where job_id = ? and id > ? order by id limit ?
                    """)) {
                page.setObject(1, jobId);
                page.setLong(2, after);
                page.setInt(3, size + 1);
                try (ResultSet result = page.executeQuery()) {
                    while (result.next()) {
                        lines.add(new JobLogLine(
                                result.getLong(1),
                                result.getInt(2),
                                result.getTimestamp(3).toInstant(),
                                result.getString(4)));
                    }
                }
            }
            if (lines.size() > size) {
                List<JobLogLine> items = lines.subList(0, size);
                return new Page<>(items, Cursors.ofLogLine(items.getLast().id()));
            }
            return new Page<>(lines, null);
        });
    }

    @Override
    public List<NodeInfo> nodes() {
        return figures.nodes();
    }

    @Override
    public LaneReport lanes() {
        return figures.lanes();
    }

    @Override
    public long count(JobFilter filter, long upTo) {
        return counted(filter, upTo, null);
    }

    @Override
    public OptionalLong count(JobFilter filter, long upTo, Duration within) {
        Objects.requireNonNull(within, "within");
        if (within.isNegative() || within.isZero()) {
            throw new IllegalArgumentException(
                    "Counting time " + within + " is out of range: give a positive duration");
        }
        long counted = counted(filter, upTo, within);
        return counted < 0 ? OptionalLong.empty() : OptionalLong.of(counted);
    }

    /** The count, or -1 if it took longer than {@code within}. */
    private long counted(JobFilter filter, long upTo, @Nullable Duration within) {
        Objects.requireNonNull(filter, "filter");
        if (upTo < 1) {
            throw new IllegalArgumentException("Count limit " + upTo + " is out of range: count up to 1 or more jobs");
        }
        FilterSql sql = new FilterSql(filter);
        return session.readOnlyJdbc(connection -> {
            if (within != null) {
                try (Statement limit = connection.createStatement()) {
                    limit.execute("set local statement_timeout = " + Math.max(1, within.toMillis()));
                }
            }
            try (PreparedStatement count = connection.prepareStatement(
                    "select count(*) from (select 1 from taskbound_job where " + sql.where() + " limit ?) s")) {
                count.setLong(sql.bind(count, 1), upTo);
                try (ResultSet result = count.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            } catch (SQLException e) {
                if (within != null && QUERY_CANCELED.equals(e.getSQLState())) {
                    return -1L;
                }
                throw e;
            }
        });
    }

    @Override
    public Map<JobState, StateCount> counts() {
        long[] counted = session.autocommit(false, StateCounts::upToLimit);
        Map<JobState, StateCount> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            long count = counted[state.ordinal()];
            counts.put(
                    state,
                    count <= EXACT_COUNT_LIMIT
                            ? new StateCount(count, true)
                            : new StateCount(Math.max(estimate(state), count), false));
        }
        return counts;
    }

    /**
     * The planner's estimate of a state's jobs, asked at most once per {@link #ESTIMATE_FOR}: it
     * moves with the table's statistics, and a dashboard asks for the counts at every refresh.
     */
    private long estimate(JobState state) {
        long now = System.nanoTime();
        Estimate known = estimates.get(state);
        if (known != null && now - known.atNanos() < ESTIMATE_FOR.toNanos()) {
            return known.rows();
        }
        long rows = session.autocommit(false, connection -> StateCounts.estimate(connection, state));
        estimates.put(state, new Estimate(rows, now));
        return rows;
    }

    private record Estimate(long rows, long atNanos) {}

    private static void checkSize(int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException(
                    "Page size " + size + " is out of range: ask for 1 to " + MAX_PAGE_SIZE + " rows");
        }
    }

    private static JobSummary summary(ResultSet row) throws SQLException {
        Integer progress = row.getObject("progress", Integer.class);
        return new JobSummary(
                row.getObject("id", UUID.class),
                row.getString("name"),
                row.getString("lane"),
                Bound.valueOf(row.getString("bound")),
                JobState.valueOf(row.getString("state")),
                row.getInt("priority"),
                row.getInt("attempt"),
                row.getInt("max_attempts"),
                row.getTimestamp("created_at").toInstant(),
                row.getTimestamp("run_at").toInstant(),
                StoreSession.instant(row.getTimestamp("started_at")),
                StoreSession.instant(row.getTimestamp("finished_at")),
                row.getString("error"),
                progress,
                row.getString("schedule_id"));
    }

    private static AttemptInfo attempt(JobAttemptEntity attempt) {
        return new AttemptInfo(
                attempt.getAttempt(),
                attempt.getNodeId() == null ? null : attempt.getNodeId().toString(),
                attempt.getStartedAt(),
                attempt.getFinishedAt(),
                attempt.getOutcome(),
                attempt.getError(),
                attempt.getStackTrace(),
                micros(attempt.getWallTimeMicros()),
                micros(attempt.getCpuTimeMicros()),
                attempt.getAllocatedBytes(),
                attempt.getPeakHeapBytes());
    }

    private static @Nullable Duration micros(@Nullable Long micros) {
        return micros == null ? null : Duration.ofNanos(micros * 1000);
    }

    /** Counts per state, exact up to {@link #EXACT_COUNT_LIMIT}, estimated above. */
    private static final class StateCounts {

        /**
         * Every state's count up to the limit, in one statement (a dashboard reads them at each
         * refresh). The states are written into the SQL, from the enum: each state's count then runs
         * on the partial index that holds it (due, running or finished jobs), which a bound value
         * would not.
         */
        static long[] upToLimit(Connection connection) throws SQLException {
            String sql = Arrays.stream(JobState.values())
                    .map(state -> "(select count(*) from (select 1 from taskbound_job where state = '" + state.name()
                            + "' limit " + (EXACT_COUNT_LIMIT + 1) + ") s)")
                    .collect(Collectors.joining(", ", "select ", ""));
            try (PreparedStatement count = connection.prepareStatement(sql);
                    ResultSet result = count.executeQuery()) {
                result.next();
                long[] counts = new long[JobState.values().length];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = result.getLong(i + 1);
                }
                return counts;
            }
        }

        static long estimate(Connection connection, JobState state) throws SQLException {
            String sql = "explain (format json) select 1 from taskbound_job where state = '" + state.name() + "'";
            try (PreparedStatement explain = connection.prepareStatement(sql);
                    ResultSet result = explain.executeQuery()) {
                result.next();
                String plan = result.getString(1);
                int at = plan.indexOf("\"Plan Rows\":");
                if (at < 0) {
                    return 0;
                }
                int start = at + "\"Plan Rows\":".length();
                int end = start;
                while (end < plan.length() && (Character.isDigit(plan.charAt(end)) || plan.charAt(end) == ' ')) {
                    end++;
                }
                return Long.parseLong(plan.substring(start, end).strip());
            }
        }
    }
}
