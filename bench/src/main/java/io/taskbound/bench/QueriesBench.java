package io.taskbound.bench;

import io.taskbound.Bound;
import io.taskbound.JobFilter;
import io.taskbound.JobQueries;
import io.taskbound.JobState;
import io.taskbound.JobSummary;
import io.taskbound.Jobs;
import io.taskbound.NodeInfo;
import io.taskbound.Page;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The queries scenario: a store of a million jobs made with bulk SQL ({@code queries-store.sql}),
 * then each call of Taskbound's read side ({@link JobQueries}) timed {@value #CALLS} times after a
 * warm-up, with one run of each call captured and explained ({@code EXPLAIN (ANALYZE, BUFFERS)},
 * custom and generic plan) so that the indexes they use can be checked.
 *
 * <p>Listings ask for pages of {@value #PAGE_SIZE}, as a dashboard shows them. A listing whose
 * conditions no index serves tests at most 10,000 rows per call and hands back a cursor below
 * them: where matches are sparse a call returns few rows or none, and getting a page takes
 * several calls. Those listings are timed as a user paging through them would call them,
 * following each call's cursor (from the top again when a walk ends), and one walk through the
 * whole listing counts the calls to the first row, to a page, and to the end.
 */
public final class QueriesBench {

    static final int PAGE_SIZE = 50;
    static final int CALLS = 200;
    static final int WARM_UP = 20;

    /** The store's jobs span this many days, one every {@code DAYS} days / jobs. */
    public static final int DAYS = 6;

    /** The goal of the benchmark issue: p95 of every call at most this. */
    static final double GOAL_P95_MS = 50;

    /** A second node of the cluster, registered by the bench, that holds the store's running jobs. */
    static final UUID SECOND_NODE = UUID.fromString("00000000-0000-7000-8000-00000000b002");

    /** Where the figures and the plans go. */
    interface Output {
        void metric(String metric, double value);

        void plan(String call, String text);

        void log(String line);
    }

    private final DataSource dataSource;
    private final Jobs jobs;
    private final JobQueries queries;
    private final int storeJobs;
    private final int calls;
    private final int warmUp;
    private final Output out;

    QueriesBench(DataSource dataSource, Jobs jobs, int storeJobs, boolean quick, Output out) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.queries = jobs.queries();
        this.storeJobs = storeJobs;
        this.calls = quick ? 50 : CALLS;
        this.warmUp = quick ? 5 : WARM_UP;
        this.out = out;
    }

    /**
     * Makes the store on the freshly migrated schema, registers the second node, pauses every lane
     * (so that no job changes while it is measured), then {@code start}s the engine and measures.
     */
    void run(Callable<?> start) throws Exception {
        run(start, this::measure);
    }

    /** What a scenario measures on the store once it is made and the engine started. */
    interface Measurement {
        void measure() throws Exception;
    }

    /**
     * Makes the store and the second node as {@link #run(Callable)} does, then {@code start}s
     * what serves the store and runs {@code measurement} on it (the api scenario: a web
     * application with the dashboard, timed over HTTP).
     */
    void run(Callable<?> start, Measurement measurement) throws Exception {
        long began = System.nanoTime();
        buildStore();
        out.metric("store_build_s", (System.nanoTime() - began) / 1e9);
        began = System.nanoTime();
        // What autovacuum does to a table that has had this many inserts: statistics for the
        // planner and a visibility map for index-only scans.
        execute("vacuum (analyze) taskbound_job, taskbound_job_attempt, taskbound_job_log");
        out.metric("vacuum_analyze_s", (System.nanoTime() - began) / 1e9);
        out.metric("store_jobs", queryLong("select count(*) from taskbound_job"));
        out.metric("store_attempts", queryLong("select count(*) from taskbound_job_attempt"));
        out.metric("store_log_lines", queryLong("select count(*) from taskbound_job_log"));
        out.metric(
                "store_mb",
                queryLong("select pg_total_relation_size('taskbound_job') + pg_total_relation_size("
                                + "'taskbound_job_attempt') + pg_total_relation_size('taskbound_job_log')")
                        / 1e6);
        for (Bound bound : Bound.values()) {
            jobs.lanes().pause(bound.defaultLane());
        }
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bench-node-2-heartbeat").factory());
        try {
            registerSecondNode();
            heartbeat.scheduleAtFixedRate(this::heartbeatSecondNode, 1, 1, TimeUnit.SECONDS);
            start.call();
            measurement.measure();
        } finally {
            heartbeat.shutdownNow();
        }
    }

    private void buildStore() throws IOException, SQLException {
        String script;
        try (InputStream in = Objects.requireNonNull(QueriesBench.class.getResourceAsStream("/queries-store.sql"))) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        script = script.replace("${jobs}", String.valueOf(storeJobs)).replace("${days}", String.valueOf(DAYS));
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : script.split("\n--;\n")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
    }

    private void registerSecondNode() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement("insert into taskbound_node (id, name, started_at, heartbeat_at)"
                                + " values (?, 'bench-node-2', now() - interval '1 hour', now())")) {
            insert.setObject(1, SECOND_NODE);
            insert.executeUpdate();
        }
    }

    private void heartbeatSecondNode() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update =
                        connection.prepareStatement("update taskbound_node set heartbeat_at = now() where id = ?")) {
            update.setObject(1, SECOND_NODE);
            update.executeUpdate();
        } catch (SQLException e) {
            out.log("bench-node-2 heartbeat failed: " + e.getMessage());
        }
    }

    /** One call of the read side, as a user makes it: {@code i} is its number, for calls that vary. */
    private record Call(String name, String description, IntFunction<Object> call) {}

    private void measure() throws Exception {
        // Parameters from the store: a name of middling frequency (the 10th commonest), the rarest
        // name, the lane of median size, ranges of an hour in the middle of the store.
        List<String> names = queryStrings("select name from taskbound_job group by name order by count(*) desc, name");
        String midName = names.get(Math.min(9, names.size() - 1));
        String rareName = names.getLast();
        List<String> lanes = queryStrings("select lane from taskbound_job group by lane order by count(*) desc, lane");
        String lane = lanes.get(lanes.size() / 2);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant createdFrom = now.minus(DAYS * 24 / 2, ChronoUnit.HOURS);
        Instant finishedFrom = now.minus(DAYS * 24 / 3, ChronoUnit.HOURS);
        String customer = "c-04711";
        String schedule = "schedule-0";
        JobFilter dead = JobFilter.all().inStates(JobState.DEAD);

        List<Call> fixed = new ArrayList<>();
        fixed.add(new Call(
                "list_first_page", "list(all, first page)", i -> queries.list(JobFilter.all(), null, PAGE_SIZE)));
        String deep = cursorAfter(JobFilter.all(), 10_000);
        fixed.add(new Call(
                "list_deep_page", "list(all, after 10,000 rows)", i -> queries.list(JobFilter.all(), deep, PAGE_SIZE)));
        fixed.add(new Call("list_state", "list(DEAD, first page)", i -> queries.list(dead, null, PAGE_SIZE)));
        // 10,000 rows deep, as for every job; a quick run's smaller store has fewer dead jobs.
        long deadJobs = count("state = 'DEAD'");
        int deadDepth = deadJobs > 10_000 + PAGE_SIZE
                ? 10_000
                : (int) Math.max(
                        JobQueries.MAX_PAGE_SIZE, deadJobs / 2 / JobQueries.MAX_PAGE_SIZE * JobQueries.MAX_PAGE_SIZE);
        String deepDead = cursorAfter(dead, deadDepth);
        fixed.add(new Call(
                "list_state_deep",
                String.format(Locale.ROOT, "list(DEAD, after %,d DEAD rows)", deadDepth),
                i -> queries.list(dead, deepDead, PAGE_SIZE)));
        fixed.add(new Call(
                "list_lane",
                "list(lane " + lane + ", first page)",
                i -> queries.list(JobFilter.all().inLane(lane), null, PAGE_SIZE)));
        fixed.add(new Call(
                "list_name",
                "list(name " + midName + ", first page)",
                i -> queries.list(JobFilter.all().named(midName), null, PAGE_SIZE)));

        List<Walk> walks = List.of(
                new Walk("list_name_rare", "name " + rareName, JobFilter.all().named(rareName)),
                new Walk("list_state_retrying", "RETRYING", JobFilter.all().inStates(JobState.RETRYING)),
                new Walk(
                        "list_schedule", "schedule " + schedule, JobFilter.all().fromSchedule(schedule)),
                new Walk(
                        "list_created_range",
                        "created in [" + createdFrom + ", +1 h)",
                        JobFilter.all().createdBetween(createdFrom, createdFrom.plus(1, ChronoUnit.HOURS))),
                new Walk(
                        "list_finished_range",
                        "finished in [" + finishedFrom + ", +1 h)",
                        JobFilter.all().finishedBetween(finishedFrom, finishedFrom.plus(1, ChronoUnit.HOURS))),
                new Walk(
                        "list_args_search",
                        "arguments containing \"" + customer + "\"",
                        JobFilter.all().argumentsContaining(customer)));

        List<UUID> deadIds = sampleIds("state = 'DEAD'", calls + warmUp);
        List<UUID> loggedIds = sampleIds("id in (select job_id from taskbound_job_log)", calls + warmUp);
        List<Call> reads = List.of(
                new Call(
                        "details",
                        "details(a DEAD job: 3 failed attempts with stack traces), " + deadIds.size() + " jobs in turn",
                        i -> queries.details(deadIds.get(i % deadIds.size())).orElseThrow()),
                new Call(
                        "logs",
                        "logs(first page of " + PAGE_SIZE + "), " + loggedIds.size() + " jobs with log lines in turn",
                        i -> queries.logs(loggedIds.get(i % loggedIds.size()), null, PAGE_SIZE)),
                new Call("nodes", "nodes()", i -> queries.nodes()),
                new Call("counts", "counts()", i -> queries.counts()),
                new Call(
                        "lanes",
                        "lanes(): every lane's figures, the queue counted at most once per interval",
                        i -> queries.lanes()));

        List<String> missed = new ArrayList<>();
        for (Call call : fixed) {
            time(call, missed);
        }
        for (Walk walk : walks) {
            walk.stats();
            time(new Call(walk.name, walk.description + ", following the cursors", walk::next), missed);
        }
        for (Call call : reads) {
            // Warm-up on jobs of its own: the timed calls read jobs not read before.
            time(call, missed, warmUp);
        }
        out.metric("calls_over_goal", missed.size());
        out.log("p95 over " + GOAL_P95_MS + " ms: " + (missed.isEmpty() ? "none" : String.join(", ", missed)));
        out.log("store: rare name " + rareName + " (" + count("name = '" + rareName + "'") + " jobs), mid name "
                + midName + " (" + count("name = '" + midName + "'") + "), lane " + lane + " ("
                + count("lane = '" + lane + "'") + ")");
        out.log("nodes(): " + queries.nodes().stream().map(NodeInfo::name).toList() + "; counts(): "
                + queries.counts().entrySet().stream()
                        .map(e -> e.getKey() + " " + (e.getValue().exact() ? "" : "~")
                                + e.getValue().count())
                        .collect(Collectors.joining(", ")));

        for (Call call : fixed) {
            explain(call);
        }
        for (Walk walk : walks) {
            walk.cursor = null;
            explain(new Call(walk.name, walk.description + ", first call", walk::next));
        }
        for (Call call : reads) {
            explain(call);
        }
        timeQueueCount("lanes_counting_queue_p50_ms");
        // A deep backlog: 200,000 more jobs waiting (delayed a day, so nothing claims them).
        execute("""
                update taskbound_job set state = 'QUEUED', finished_at = null, result = null,
                       run_at = now() + interval '1 day'
                 where id in (select id from taskbound_job where state = 'SUCCEEDED' limit 200000)
                """);
        execute("vacuum (analyze) taskbound_job");
        timeQueueCount("lanes_counting_deep_queue_p50_ms");
    }

    /**
     * The count of the waiting jobs that one node makes per figures interval while someone reads the
     * figures: not a call's cost (no read waits for it but the first after a quiet spell), but the
     * database's, so it is reported apart from the calls' goal.
     */
    private void timeQueueCount(String metric) throws SQLException {
        double[] millis = new double[5];
        for (int i = 0; i < millis.length; i++) {
            execute("update taskbound_queue_count set counted_at = '-infinity'");
            long start = System.nanoTime();
            queries.lanes();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        double p50 = Worker.percentile(millis, 50);
        out.metric(metric, p50);
        out.log(String.format(
                Locale.ROOT,
                "%-22s p50 %7.2f ms  lanes() that counts the queue (%d waiting jobs): once per interval, not a call's goal",
                metric.replace("_p50_ms", ""),
                p50,
                queryLong("select count(*) from taskbound_job where state in ('QUEUED', 'RETRYING')")));
    }

    private void time(Call call, List<String> missed) {
        time(call, missed, 0);
    }

    /** Warms up, then times {@link #calls} calls; {@code offset}: the number of the first timed call. */
    private void time(Call call, List<String> missed, int offset) {
        for (int i = 0; i < warmUp; i++) {
            call.call().apply(i);
        }
        double[] millis = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            call.call().apply(offset + i);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        double p50 = Worker.percentile(millis, 50);
        double p95 = Worker.percentile(millis, 95);
        out.metric(call.name() + "_p50_ms", p50);
        out.metric(call.name() + "_p95_ms", p95);
        out.log(String.format(
                Locale.ROOT, "%-22s p50 %7.2f ms  p95 %7.2f ms  %s", call.name(), p50, p95, call.description()));
        if (p95 > GOAL_P95_MS) {
            missed.add(call.name());
        }
    }

    /**
     * A listing paged through as a user would: each call follows the cursor of the call before,
     * from the top again when the listing ends.
     */
    private final class Walk {
        final String name;
        final String description;
        final JobFilter filter;

        @Nullable
        String cursor;

        Walk(String name, String description, JobFilter filter) {
            this.name = name;
            this.description = description;
            this.filter = filter;
        }

        Page<JobSummary> next(int i) {
            Page<JobSummary> page = queries.list(filter, cursor, PAGE_SIZE);
            cursor = page.next();
            return page;
        }

        /** One walk through the whole listing: calls (and time) to the first row, to a page, to the end. */
        void stats() throws SQLException {
            cursor = null;
            int calls = 0;
            long rows = 0;
            int toFirstRow = -1;
            int toPage = -1;
            double msToFirstRow = 0;
            double msToPage = 0;
            long start = System.nanoTime();
            do {
                Page<JobSummary> page = next(calls++);
                rows += page.items().size();
                double elapsed = (System.nanoTime() - start) / 1e6;
                if (toFirstRow < 0 && rows > 0) {
                    toFirstRow = calls;
                    msToFirstRow = elapsed;
                }
                if (toPage < 0 && rows >= PAGE_SIZE) {
                    toPage = calls;
                    msToPage = elapsed;
                }
            } while (cursor != null);
            double msToEnd = (System.nanoTime() - start) / 1e6;
            long matching = matching(filter);
            if (rows != matching) {
                throw new IllegalStateException(name + ": a walk through the listing found " + rows
                        + " rows, the store has " + matching + " that match");
            }
            out.metric(name + "_rows", rows);
            if (toFirstRow > 0) {
                out.metric(name + "_calls_to_first_row", toFirstRow);
                out.metric(name + "_ms_to_first_row", msToFirstRow);
            }
            if (toPage > 0) {
                out.metric(name + "_calls_to_page", toPage);
                out.metric(name + "_ms_to_page", msToPage);
            }
            out.metric(name + "_calls_to_end", calls);
            out.metric(name + "_ms_to_end", msToEnd);
            out.log(String.format(
                    Locale.ROOT,
                    "%-22s %s: %d rows; first row after %s, %d rows after %s, end after %d calls (%.0f ms)",
                    name,
                    description,
                    rows,
                    toFirstRow > 0 ? String.format(Locale.ROOT, "%d calls (%.0f ms)", toFirstRow, msToFirstRow) : "-",
                    PAGE_SIZE,
                    toPage > 0
                            ? String.format(Locale.ROOT, "%d calls (%.0f ms)", toPage, msToPage)
                            : "- (fewer in all)",
                    calls,
                    msToEnd));
            cursor = null;
        }
    }

    /** Rows of the store that {@code filter} takes, counted with plain SQL, to check the walks. */
    private long matching(JobFilter filter) throws SQLException {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            conditions.add("state in ("
                    + filter.states().stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "))
                    + ")");
        }
        addCondition(conditions, values, "lane = ?", filter.lane());
        addCondition(conditions, values, "name = ?", filter.name());
        addCondition(conditions, values, "schedule_id = ?", filter.scheduleId());
        addCondition(conditions, values, "created_at >= ?", offset(filter.createdFrom()));
        addCondition(conditions, values, "created_at < ?", offset(filter.createdBefore()));
        addCondition(conditions, values, "finished_at >= ?", offset(filter.finishedFrom()));
        addCondition(conditions, values, "finished_at < ?", offset(filter.finishedBefore()));
        addCondition(conditions, values, "position(lower(?) in lower(args::text)) > 0", filter.argumentsContaining());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*) from taskbound_job where " + String.join(" and ", conditions))) {
            for (int i = 0; i < values.size(); i++) {
                count.setObject(i + 1, values.get(i));
            }
            try (ResultSet result = count.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static void addCondition(List<String> conditions, List<Object> values, String sql, @Nullable Object value) {
        if (value != null) {
            conditions.add(sql);
            values.add(value);
        }
    }

    private static @Nullable OffsetDateTime offset(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }

    /** The cursor after the first {@code rows} rows of a listing, paged by the largest pages. */
    private String cursorAfter(JobFilter filter, int rows) {
        String cursor = null;
        for (int seen = 0; seen < rows; seen += JobQueries.MAX_PAGE_SIZE) {
            cursor = Objects.requireNonNull(
                    queries.list(filter, cursor, JobQueries.MAX_PAGE_SIZE).next(), "listing ended before " + rows);
        }
        return cursor;
    }

    /** {@code count} ids of jobs where {@code condition} holds, spread evenly over the store. */
    private List<UUID> sampleIds(String condition, int count) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select id from (select id, row_number() over"
                        + " (order by id) as n, count(*) over () as total from taskbound_job where " + condition
                        + ") s where n % greatest(total / ?, 1) = 0 order by id limit ?")) {
            select.setInt(1, count);
            select.setInt(2, count);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    ids.add(result.getObject(1, UUID.class));
                }
            }
        }
        // Shuffled by a fixed rule: the warm-up's first jobs and the timed ones are spread alike.
        List<UUID> spread = new ArrayList<>(ids.size());
        for (int stride = 0; stride < 7; stride++) {
            for (int i = stride; i < ids.size(); i += 7) {
                spread.add(ids.get(i));
            }
        }
        return spread;
    }

    /**
     * Runs {@code call} once more, capturing the statements it prepared, and explains each on the
     * store: the custom plan (the values bound, as the driver sends a statement's first runs) and
     * the generic plan (PostgreSQL may switch to it once the driver has made the statement a
     * server-prepared one, from its fifth run on a connection).
     */
    private void explain(Call call) throws Exception {
        StatementCapture.CaptureResult<Object> captured =
                StatementCapture.capture(() -> call.call().apply(0));
        StringBuilder text = new StringBuilder();
        text.append("## ")
                .append(call.name())
                .append(": ")
                .append(call.description())
                .append("\n");
        int n = 0;
        for (StatementCapture.Captured statement : captured.statements()) {
            n++;
            text.append("\n### statement ")
                    .append(n)
                    .append(" of ")
                    .append(captured.statements().size())
                    .append("\n\n")
                    .append(statement.sql().strip())
                    .append("\n\nvalues: ")
                    .append(statement.values())
                    .append("\n");
            if (statement.sql().strip().toLowerCase(Locale.ROOT).startsWith("explain")) {
                text.append("\n(an EXPLAIN itself: not explained)\n");
                continue;
            }
            text.append("\ncustom plan:\n\n").append(customPlan(statement));
            if (!statement.binds().isEmpty()) {
                text.append("\ngeneric plan:\n\n").append(genericPlan(statement));
            }
        }
        out.plan(call.name(), text.toString());
    }

    private String customPlan(StatementCapture.Captured statement) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement explain =
                        connection.prepareStatement("explain (analyze, buffers) " + statement.sql())) {
            statement.bind(explain);
            return lines(explain.executeQuery());
        }
    }

    private String genericPlan(StatementCapture.Captured statement) throws SQLException {
        List<@Nullable Object> values = statement.values();
        StringBuilder sql = new StringBuilder();
        int parameter = 0;
        for (char c : statement.sql().toCharArray()) {
            if (c == '?') {
                sql.append('$').append(++parameter);
            } else {
                sql.append(c);
            }
        }
        String types = values.stream().map(QueriesBench::sqlType).collect(Collectors.joining(", "));
        String arguments = values.stream().map(QueriesBench::literal).collect(Collectors.joining(", "));
        try (Connection connection = dataSource.getConnection();
                Statement explain = connection.createStatement()) {
            explain.execute("prepare bench_plan (" + types + ") as " + sql);
            try {
                explain.execute("set plan_cache_mode = force_generic_plan");
                return lines(explain.executeQuery("explain (analyze, buffers) execute bench_plan (" + arguments + ")"));
            } finally {
                explain.execute("reset plan_cache_mode");
                explain.execute("deallocate bench_plan");
            }
        }
    }

    private static String sqlType(@Nullable Object value) {
        return switch (value) {
            case UUID u -> "uuid";
            case Integer i -> "integer";
            case Long l -> "bigint";
            case OffsetDateTime t -> "timestamptz";
            // The store binds SQL null only for its clock override, a timestamptz.
            case null -> "timestamptz";
            default -> "text";
        };
    }

    private static String literal(@Nullable Object value) {
        return value == null ? "null" : "'" + value.toString().replace("'", "''") + "'";
    }

    private static String lines(ResultSet result) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (result) {
            while (result.next()) {
                text.append("    ").append(result.getString(1)).append("\n");
            }
        }
        return text.toString();
    }

    private long count(String condition) throws SQLException {
        return queryLong("select count(*) from taskbound_job where " + condition);
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private List<String> queryStrings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
