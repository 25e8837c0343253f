package io.taskbound.bench;

import io.taskbound.bench.api.ApiApplication;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api scenario: the queries scenario's store (made by {@link QueriesBench}), served by a Spring
 * Boot web application with the Taskbound starter, and every call the dashboard's UI makes timed
 * over real HTTP with {@link HttpClient}: one call at a time on a kept-alive connection, from the
 * request to the last byte of the body. Listings whose matches are sparse are timed as a user pages
 * through them, following each answer's {@code next} cursor, and one walk through each is checked
 * against a count in SQL, so that a fast answer is also a right one.
 */
final class ApiBench {

    static final int PAGE_SIZE = 50;

    /** The goal of the issue: p95 of every call over HTTP at most this, at 1,000,000 jobs. */
    static final double GOAL_P95_MS = 100;

    /** The page a user reaches by following cursors from the first, in {@code list_paging}. */
    static final int PAGES = 50;

    private static final String USER = "bench";
    private static final String PASSWORD = "bench-api-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DataSource dataSource;
    private final long storeJobs;
    private final int calls;
    private final int warmUp;
    private final QueriesBench.Output out;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String authorization =
            "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private @Nullable String api;
    private @Nullable String jdbcUrl;
    private @Nullable ConfigurableApplicationContext application;

    /** When the overview was last read ({@code GET /stats}): it keeps the dashboard's snapshots coming. */
    private long lastOverviewRead = System.nanoTime();

    ApiBench(DataSource dataSource, long storeJobs, boolean quick, QueriesBench.Output out) {
        this.dataSource = dataSource;
        this.storeJobs = storeJobs;
        this.calls = quick ? 50 : 200;
        this.warmUp = quick ? 5 : 20;
        this.out = out;
    }

    /**
     * The application as a user would run it, on the store's database: defaults but a random port,
     * the dashboard's user, and succeeded jobs kept longer than the store spans (the default day
     * would let its pruner delete most of the store while it is measured).
     */
    ConfigurableApplicationContext start(String jdbcUrl) {
        ConfigurableApplicationContext application = new SpringApplicationBuilder(ApiApplication.class)
                .run(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--spring.main.banner-mode=off",
                        "--spring.datasource.url=" + jdbcUrl,
                        "--spring.datasource.username=postgres",
                        "--taskbound.node-name=bench-api",
                        "--taskbound.retention.succeeded=" + (QueriesBench.DAYS + 1) + "d",
                        "--taskbound.dashboard.username=" + USER,
                        "--taskbound.dashboard.password=" + PASSWORD);
        String port = application.getEnvironment().getRequiredProperty("local.server.port");
        api = "http://127.0.0.1:" + port + "/taskbound/api";
        this.jdbcUrl = jdbcUrl;
        this.application = application;
        return application;
    }

    /** One GET as the UI makes it; {@code path} is under {@code /taskbound/api}. */
    private record Answer(double millis, int bytes, JsonNode body) {}

    private Answer get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60))
                .GET()
                .build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        double millis = (System.nanoTime() - start) / 1e6;
        if (path.startsWith("/stats") || path.startsWith("/overview")) {
            lastOverviewRead = System.nanoTime();
        }
        byte[] body = response.body();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8));
        }
        return new Answer(millis, body.length, JSON.readTree(body));
    }

    /** A call of the UI: the path of its {@code i}-th call, and what it learns from the answer. */
    private record Call(
            String name,
            String description,
            IntFunction<String> path,
            @Nullable Walk walk) {
        Call(String name, String description, IntFunction<String> path) {
            this(name, description, path, null);
        }
    }

    void measure() throws Exception {
        long jobs = queryLong("select count(*) from taskbound_job");
        if (jobs != storeJobs) {
            throw new IllegalStateException("The store holds " + jobs + " jobs, not " + storeJobs + ": not measured");
        }
        out.log(String.format(Locale.ROOT, "store: %,d jobs, counted before timing; API at %s", jobs, api));

        // The same parameters as the queries scenario's: a name of middling frequency, the rarest
        // name, the lane of median size, an hour of creation in the middle of the store.
        List<String> names = queryStrings("select name from taskbound_job group by name order by count(*) desc, name");
        String midName = names.get(Math.min(9, names.size() - 1));
        String rareName = names.getLast();
        List<String> lanes = queryStrings("select lane from taskbound_job group by lane order by count(*) desc, lane");
        String lane = lanes.get(lanes.size() / 2);
        Instant createdFrom =
                Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(QueriesBench.DAYS * 24 / 2, ChronoUnit.HOURS);
        Instant createdTo = createdFrom.plus(1, ChronoUnit.HOURS);
        String customer = "c-04711";
        String schedule = "schedule-0";

        String firstPage = "/jobs?limit=" + PAGE_SIZE;
        List<Call> all = new ArrayList<>();
        all.add(new Call("list_first_page", "GET /jobs?limit=50: no filter, first page", i -> firstPage));
        Walk paging = new Walk("list_paging", "", "true", List.of(), PAGES);
        all.add(new Call(
                "list_paging",
                "GET /jobs?limit=50&cursor=…: pages 1 to " + PAGES + " in turn, each following the next cursor",
                paging::path,
                paging));
        int deep = (int) Math.min(10_000, storeJobs / 2);
        String deepCursor = cursorAfter("", deep, "select id from taskbound_job order by id desc offset ? limit 1");
        all.add(new Call(
                "list_deep_page",
                String.format(Locale.ROOT, "GET /jobs?limit=50&cursor=…: no filter, after %,d rows", deep),
                i -> firstPage + "&cursor=" + encode(deepCursor)));
        all.add(new Call("list_state", "GET /jobs?state=DEAD: first page", i -> firstPage + "&state=DEAD"));
        long dead = queryLong("select count(*) from taskbound_job where state = 'DEAD'");
        int deadDepth = (int) Math.max(1_000, Math.min(10_000, dead / 2 / 1_000 * 1_000));
        String deadCursor = cursorAfter(
                "&state=DEAD",
                deadDepth,
                "select id from taskbound_job where state = 'DEAD' order by id desc offset ? limit 1");
        all.add(new Call(
                "list_state_deep",
                String.format(Locale.ROOT, "GET /jobs?state=DEAD&cursor=…: after %,d DEAD rows", deadDepth),
                i -> firstPage + "&state=DEAD&cursor=" + encode(deadCursor)));
        all.add(new Call(
                "list_lane", "GET /jobs?lane=" + lane + ": first page", i -> firstPage + "&lane=" + encode(lane)));
        all.add(new Call(
                "list_name",
                "GET /jobs?name=" + midName + ": first page",
                i -> firstPage + "&name=" + encode(midName)));

        List<Walk> walks = List.of(
                new Walk("list_name_rare", "&name=" + encode(rareName), "name = ?", rareName),
                new Walk("list_state_retrying", "&state=RETRYING", "state = 'RETRYING'"),
                new Walk("list_schedule", "&schedule=" + schedule, "schedule_id = ?", schedule),
                new Walk(
                        "list_created_range",
                        "&from=" + createdFrom + "&to=" + createdTo,
                        "created_at >= ? and created_at < ?",
                        createdFrom.atOffset(ZoneOffset.UTC),
                        createdTo.atOffset(ZoneOffset.UTC)),
                new Walk(
                        "list_args_search", "&q=" + customer, "position(lower(?) in lower(args::text)) > 0", customer));
        for (Walk walk : walks) {
            all.add(new Call(
                    walk.name,
                    "GET /jobs?limit=50" + walk.query + "&cursor=…, following the next cursors",
                    walk::path,
                    walk));
        }

        List<UUID> deadIds = sampleIds("state = 'DEAD'", calls + warmUp);
        checkDetails(deadIds.getFirst());
        List<UUID> loggedIds = sampleIds("id in (select job_id from taskbound_job_log)", calls + warmUp);
        all.add(new Call(
                "details",
                "GET /jobs/{id}: a DEAD job (3 failed attempts with stack traces, its first 100 log lines), "
                        + deadIds.size() + " jobs in turn",
                i -> "/jobs/" + deadIds.get(i % deadIds.size())));
        all.add(new Call(
                "logs",
                "GET /jobs/{id}/logs?limit=50: " + loggedIds.size() + " jobs with log lines in turn",
                i -> "/jobs/" + loggedIds.get(i % loggedIds.size()) + "/logs?limit=" + PAGE_SIZE));
        all.add(new Call("stats", "GET /stats: counts per state and lane totals", i -> "/stats"));
        all.add(new Call("lanes", "GET /lanes: every lane's figures", i -> "/lanes"));
        all.add(new Call("nodes", "GET /nodes", i -> "/nodes"));
        all.add(new Call(
                "overview", "GET /overview: the live overview's snapshot, shared by every tab", i -> "/overview"));
        all.add(new Call(
                "count_state",
                "GET /jobs/count?state=DEAD,CANCELLED,SUCCEEDED: a bulk delete's confirmation, up to 10,000",
                i -> "/jobs/count?state=DEAD,CANCELLED,SUCCEEDED"));
        all.add(new Call(
                "count_args_search",
                "GET /jobs/count?state=…&q=…: a bulk action's confirmation on an argument search, up to 10,000"
                        + " or 60 ms (then not counted)",
                i -> "/jobs/count?state=DEAD,CANCELLED,SUCCEEDED&q=" + encode(customer)));
        all.add(new Call("schedules", "GET /schedules: every schedule with its next 5 fire times", i -> "/schedules"));
        all.add(new Call(
                "schedule_preview",
                "GET /schedules/preview: a cron expression's next 5 fire times in a zone, as the form checks it",
                i -> "/schedules/preview?cron=" + encode("0 0 3 * * *") + "&zone=Europe/Paris"));
        all.add(new Call("job_types", "GET /job-types: the registered jobs and their parameters", i -> "/job-types"));
        all.add(new Call("session", "GET /session: the caller and what it may do", i -> "/session"));

        List<String> missed = new ArrayList<>();
        for (Call call : all) {
            time(call, missed);
        }
        // Once warm (a walk's figures from a cold application would count its warm-up): one walk
        // to page 50, and one through each sparse listing to its end, each checked against SQL.
        reachPage(paging);
        for (Walk walk : walks) {
            walk.stats();
        }
        out.metric("calls_over_goal", missed.size());
        out.log("p95 over " + GOAL_P95_MS + " ms: " + (missed.isEmpty() ? "none" : String.join(", ", missed)));
        out.log("store: rare name " + rareName + ", mid name " + midName + ", lane " + lane);
        // Last: it waits for the reads of the overview above to stop keeping the snapshots coming.
        new LiveTabsProbe(Objects.requireNonNull(jdbcUrl), Objects.requireNonNull(application), api, authorization, out)
                .measure(lastOverviewRead);
    }

    /**
     * Warms up, then times {@link #calls} calls. Calls that read by id warm up on ids of their own:
     * the timed ones read jobs not read before.
     */
    private void time(Call call, List<String> missed) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            answered(call, get(call.path().apply(calls + i)));
        }
        double[] millis = new double[calls];
        double[] bytes = new double[calls];
        for (int i = 0; i < calls; i++) {
            Answer answer = get(call.path().apply(i));
            millis[i] = answer.millis();
            bytes[i] = answer.bytes();
            answered(call, answer);
        }
        double p50 = Worker.percentile(millis, 50);
        double p95 = Worker.percentile(millis, 95);
        double p99 = Worker.percentile(millis, 99);
        double max = Worker.percentile(millis, 100);
        out.metric(call.name() + "_p50_ms", p50);
        out.metric(call.name() + "_p95_ms", p95);
        out.metric(call.name() + "_p99_ms", p99);
        out.metric(call.name() + "_max_ms", max);
        out.metric(call.name() + "_bytes", Worker.percentile(bytes, 50));
        boolean pass = p95 <= GOAL_P95_MS;
        out.log(String.format(
                Locale.ROOT,
                "%-20s p50 %7.2f  p95 %7.2f  p99 %7.2f  max %7.2f ms  %,7.0f B  %s  %s",
                call.name(),
                p50,
                p95,
                p99,
                max,
                Worker.percentile(bytes, 50),
                pass ? "pass" : "FAIL",
                call.description()));
        if (!pass) {
            missed.add(call.name());
        }
    }

    private static void answered(Call call, Answer answer) {
        if (call.walk() != null) {
            call.walk().answered(answer.body());
        }
    }

    /**
     * A listing paged through as a user would: each call follows the next cursor of the one before,
     * from the top again at its end (or after {@code pages} pages).
     */
    private final class Walk {
        final String name;
        final String query;
        final String condition;
        final List<Object> values;
        final int pages;

        @Nullable
        String cursor;

        int page;

        Walk(String name, String query, String condition, Object... values) {
            this(name, query, condition, List.of(values), Integer.MAX_VALUE);
        }

        Walk(String name, String query, String condition, List<Object> values, int pages) {
            this.name = name;
            this.query = query;
            this.condition = condition;
            this.values = values;
            this.pages = pages;
        }

        String path(int i) {
            return "/jobs?limit=" + PAGE_SIZE + query + (cursor == null ? "" : "&cursor=" + encode(cursor));
        }

        void answered(JsonNode body) {
            JsonNode next = body.get("next");
            page++;
            if (next == null || next.isNull() || page >= pages) {
                cursor = null;
                page = 0;
            } else {
                cursor = next.asString();
            }
        }

        /** One walk to the end: calls (and time) to the first row, to a page, to the end; rows checked in SQL. */
        void stats() throws Exception {
            cursor = null;
            page = 0;
            int made = 0;
            long rows = 0;
            int toFirstRow = -1;
            int toPage = -1;
            double msToFirstRow = 0;
            double msToPage = 0;
            double elapsed = 0;
            do {
                Answer answer = get(path(made++));
                elapsed += answer.millis();
                rows += answer.body().get("items").size();
                answered(answer.body());
                if (toFirstRow < 0 && rows > 0) {
                    toFirstRow = made;
                    msToFirstRow = elapsed;
                }
                if (toPage < 0 && rows >= PAGE_SIZE) {
                    toPage = made;
                    msToPage = elapsed;
                }
            } while (cursor != null);
            long matching = queryLong("select count(*) from taskbound_job where " + condition, values.toArray());
            if (rows != matching) {
                throw new IllegalStateException(name + ": a walk through GET /jobs?" + query + " found " + rows
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
            out.metric(name + "_calls_to_end", made);
            out.metric(name + "_ms_to_end", elapsed);
            out.log(String.format(
                    Locale.ROOT,
                    "%-20s %d rows; first row after %s, %d rows after %s, end after %d calls (%.0f ms)",
                    name,
                    rows,
                    toFirstRow > 0 ? String.format(Locale.ROOT, "%d calls (%.0f ms)", toFirstRow, msToFirstRow) : "-",
                    PAGE_SIZE,
                    toPage > 0 ? String.format(Locale.ROOT, "%d calls (%.0f ms)", toPage, msToPage) : "- (fewer)",
                    made,
                    elapsed));
        }
    }

    /**
     * One walk from page 1 to page {@link #PAGES}, as a user clicking "next": the time to reach it,
     * and its first row checked against the store (the 2,451st newest job).
     */
    private void reachPage(Walk paging) throws Exception {
        paging.cursor = null;
        paging.page = 0;
        double elapsed = 0;
        JsonNode last = null;
        for (int page = 1; page <= PAGES; page++) {
            Answer answer = get(paging.path(page));
            elapsed += answer.millis();
            last = answer.body();
            paging.answered(last);
        }
        String expected = queryString(
                "select id::text from taskbound_job order by id desc offset ? limit 1", (PAGES - 1) * PAGE_SIZE);
        String first = last.get("items").get(0).get("id").asString();
        if (!first.equals(expected)) {
            throw new IllegalStateException("Page " + PAGES + " starts with " + first + ", the store's row "
                    + ((PAGES - 1) * PAGE_SIZE + 1) + " is " + expected);
        }
        out.metric("list_page_" + PAGES + "_ms_to_reach", elapsed);
        out.log(String.format(
                Locale.ROOT, "list_paging          page %d reached in %.0f ms (%d calls)", PAGES, elapsed, PAGES));
    }

    /** The cursor after the first {@code rows} rows of a listing, paged by the largest pages; checked in SQL. */
    private String cursorAfter(String query, int rows, String nextRowSql) throws Exception {
        String cursor = null;
        int limit = 1_000;
        for (int seen = 0; seen < rows; seen += limit) {
            JsonNode next = get("/jobs?limit=" + limit + query + (cursor == null ? "" : "&cursor=" + encode(cursor)))
                    .body()
                    .get("next");
            if (next == null || next.isNull()) {
                throw new IllegalStateException("GET /jobs?" + query + " ended before " + rows + " rows");
            }
            cursor = next.asString();
        }
        String first = get("/jobs?limit=" + PAGE_SIZE + query + "&cursor=" + encode(cursor))
                .body()
                .get("items")
                .get(0)
                .get("id")
                .asString();
        String expected = queryString(nextRowSql, rows);
        if (!first.equals(expected)) {
            throw new IllegalStateException("GET /jobs?" + query + " after " + rows + " rows starts with " + first
                    + ", the store's next row is " + expected);
        }
        return cursor;
    }

    /** The details of a dead job come with its attempts and log lines, as the UI shows them. */
    private void checkDetails(UUID id) throws Exception {
        JsonNode details = get("/jobs/" + id).body();
        int attempts = details.get("attempts").size();
        int logLines = details.get("logs").get("items").size();
        if (!details.get("job").get("state").asString().equals("DEAD") || attempts == 0 || logLines == 0) {
            throw new IllegalStateException("GET /jobs/" + id + " of a dead job answered " + attempts + " attempts and "
                    + logLines + " log lines");
        }
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
        // Shuffled by a fixed rule: the warm-up's jobs and the timed ones are spread alike.
        List<UUID> spread = new ArrayList<>(ids.size());
        for (int stride = 0; stride < 7; stride++) {
            for (int i = stride; i < ids.size(); i += 7) {
                spread.add(ids.get(i));
            }
        }
        return spread;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private long queryLong(String sql, Object... values) throws SQLException {
        return Long.parseLong(queryString(sql, values));
    }

    private String queryString(String sql, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    private List<String> queryStrings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }
}
