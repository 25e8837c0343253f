package io.taskbound.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The api scenario's "live tabs": what ten open live overview tabs of the dashboard cost the
 * database. With the application up and nothing else reading, the statements its database executes
 * are counted over a window with nobody watching, then over an equal window with {@value #TABS}
 * event streams open ({@code GET /taskbound/api/events}, read line by line as a browser's {@code
 * EventSource} does); the difference per second is what the tabs add.
 *
 * <p>The server counts ({@code pg_stat_statements}, as {@link IdleProbe}): every statement executed
 * on the store's database, transaction control included, but for this probe's own readings and the
 * bench's heartbeat of {@code bench-node-2}, which runs in both windows and is no part of the
 * application, and with the COMMITs it does not count added ({@link #uncountedEnds}). The server tracks nothing unless a database asks ({@link BenchServer}); for the
 * probe the database asks ({@code ALTER DATABASE ... SET}, which a session takes when it opens), the
 * application's pool is made to open new connections, and both are undone afterwards.
 */
final class LiveTabsProbe {

    static final int TABS = 10;

    /** Each window: long enough to hold one of the engine's 30 s periodic looks. */
    static final Duration WINDOW = Duration.ofSeconds(31);

    /** The goal: statements per second the tabs add, in total. */
    static final double GOAL_PER_S = 2;

    /**
     * A read of the overview ({@code GET /stats}) keeps the dashboard's snapshots coming this long
     * (the dashboard's {@code DashboardFeed.WATCHED_FOR}); the idle window starts after it, and after
     * one more refresh.
     */
    static final Duration WATCHED_FOR = Duration.ofMinutes(2);

    /** The default figures interval, and so the dashboard's refresh. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    /** The bench's own statement (the second node's heartbeat, {@link QueriesBench}), not counted. */
    private static final String BENCH_HEARTBEAT = "update taskbound_node set heartbeat_at = now() where id = $1";

    private static final int TOP = 12;

    private final String jdbcUrl;
    private final ConfigurableApplicationContext application;
    private final String events;
    private final String authorization;
    private final QueriesBench.Output out;

    LiveTabsProbe(
            String jdbcUrl,
            ConfigurableApplicationContext application,
            String api,
            String authorization,
            QueriesBench.Output out) {
        this.jdbcUrl = jdbcUrl;
        this.application = application;
        this.events = api + "/events";
        this.authorization = authorization;
        this.out = out;
    }

    /** Measures; {@code lastOverviewRead} is the {@link System#nanoTime()} of the last read of the overview. */
    void measure(long lastOverviewRead) throws Exception {
        String database;
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement()) {
            database = queryString(statement, "select current_database()");
            statement.execute("create extension if not exists pg_stat_statements");
            statement.execute("alter database " + database + " set compute_query_id = on");
            statement.execute("alter database " + database + " set pg_stat_statements.track = 'top'");
        }
        try {
            renewConnections();
            long quietFrom =
                    lastOverviewRead + WATCHED_FOR.plus(REFRESH).plusSeconds(1).toNanos();
            long wait = quietFrom - System.nanoTime();
            if (wait > 0) {
                out.log(String.format(
                        Locale.ROOT,
                        "live tabs: waiting %.0f s for the last read of the overview to expire",
                        wait / 1e9));
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            try (Connection counting = DriverManager.getConnection(jdbcUrl)) {
                Map<String, Long> start = statements(counting);
                TimeUnit.MILLISECONDS.sleep(WINDOW.toMillis());
                Map<String, Long> idleEnd = statements(counting);
                Map<String, Long> idle = IdleProbe.between(start, idleEnd);
                watched(counting, idle);
            }
        } finally {
            try (Connection connection = DriverManager.getConnection(jdbcUrl);
                    Statement statement = connection.createStatement()) {
                statement.execute("alter database " + database + " reset pg_stat_statements.track");
                statement.execute("alter database " + database + " reset compute_query_id");
            }
            renewConnections();
        }
    }

    private void watched(Connection counting, Map<String, Long> idle) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        List<Tab> tabs = new ArrayList<>();
        try {
            for (int i = 0; i < TABS; i++) {
                tabs.add(new Tab(http, i));
            }
            for (Tab tab : tabs) {
                if (!tab.firstOverview.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("live tabs: tab " + tab.number + " had no overview within 30 s");
                }
            }
            int[] before = tabs.stream().mapToInt(t -> t.overviews.get()).toArray();
            Map<String, Long> start = statements(counting);
            TimeUnit.MILLISECONDS.sleep(WINDOW.toMillis());
            Map<String, Long> end = statements(counting);
            int fewest = Integer.MAX_VALUE;
            int most = 0;
            for (Tab tab : tabs) {
                int received = tab.overviews.get() - before[tab.number];
                if (tab.failure != null) {
                    throw new IllegalStateException("live tabs: tab " + tab.number + " failed", tab.failure);
                }
                fewest = Math.min(fewest, received);
                most = Math.max(most, received);
            }
            if (fewest == 0) {
                throw new IllegalStateException("live tabs: a tab received no overview event in the window");
            }
            report(idle, IdleProbe.between(start, end), fewest, most);
        } finally {
            for (Tab tab : tabs) {
                tab.close();
            }
            http.close();
        }
    }

    private void report(Map<String, Long> idle, Map<String, Long> watched, int fewest, int most) {
        long idleTotal = total(idle);
        long watchedTotal = total(watched);
        if (watchedTotal == 0) {
            throw new IllegalStateException("live tabs: no statements counted while watched: the server did not count");
        }
        long idleEnds = uncountedEnds(idle);
        long watchedEnds = uncountedEnds(watched);
        double seconds = WINDOW.toMillis() / 1000.0;
        double counted = (watchedTotal - idleTotal) / seconds;
        double added = (watchedTotal + watchedEnds - idleTotal - idleEnds) / seconds;
        boolean pass = added <= GOAL_PER_S;
        out.metric("live_tabs_idle_statements", idleTotal);
        out.metric("live_tabs_watched_statements", watchedTotal);
        out.metric("live_tabs_idle_uncounted_commits", idleEnds);
        out.metric("live_tabs_watched_uncounted_commits", watchedEnds);
        out.metric("live_tabs_added_per_s_counted", counted);
        out.metric("live_tabs_added_per_s", added);
        out.metric("live_tabs_over_goal", pass ? 0 : 1);
        out.metric("live_tabs_window_s", seconds);
        out.metric("live_tabs_overviews_per_tab_min", fewest);
        out.metric("live_tabs_overviews_per_tab_max", most);
        out.log(String.format(
                Locale.ROOT,
                "live tabs: %d statements idle (+%d commits not counted), %d with %d tabs (+%d), in %.0f s each:"
                        + " %.2f/s added (%.2f/s as counted), goal ≤ %.0f/s: %s (%d–%d overviews per tab)",
                idleTotal,
                idleEnds,
                watchedTotal,
                TABS,
                watchedEnds,
                seconds,
                added,
                counted,
                GOAL_PER_S,
                pass ? "pass" : "FAIL",
                fewest,
                most));

        Set<String> all = new HashSet<>(idle.keySet());
        all.addAll(watched.keySet());
        List<String> top = all.stream()
                .sorted((a, b) -> {
                    long byAdded = (watched.getOrDefault(b, 0L) - idle.getOrDefault(b, 0L))
                            - (watched.getOrDefault(a, 0L) - idle.getOrDefault(a, 0L));
                    return byAdded != 0
                            ? Long.signum(byAdded)
                            : Long.compare(watched.getOrDefault(b, 0L), watched.getOrDefault(a, 0L));
                })
                .limit(TOP)
                .toList();
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "Live tabs: statements the store's database executed (pg_stat_statements, transaction control"
                        + " included) in %.0f s with nobody watching, then in %.0f s with %d live overview tabs open"
                        + " (GET /taskbound/api/events, each receiving %d–%d overview events in the window), the"
                        + " default figures interval: %d idle, %d watched, %.2f/s added as counted. pg_stat_statements"
                        + " does not count the COMMIT the driver sends for Connection.commit(): one per BEGIN it"
                        + " counted, less the COMMITs it did, is %d idle and %d watched; with them, **%d idle, %d"
                        + " watched, %.2f statements/s added** (goal ≤ %.0f/s: %s).\n\n",
                seconds,
                seconds,
                TABS,
                fewest,
                most,
                idleTotal,
                watchedTotal,
                counted,
                idleEnds,
                watchedEnds,
                idleTotal + idleEnds,
                watchedTotal + watchedEnds,
                added,
                GOAL_PER_S,
                pass ? "pass" : "**FAIL**"));
        md.append("The statements by calls added (the ")
                .append(Math.min(TOP, top.size()))
                .append(" first of ")
                .append(all.size())
                .append("):\n\n| added | idle | watched | statement |\n|---|---|---|---|\n");
        for (String statement : top) {
            long i = idle.getOrDefault(statement, 0L);
            long w = watched.getOrDefault(statement, 0L);
            md.append("| ")
                    .append(w - i)
                    .append(" | ")
                    .append(i)
                    .append(" | ")
                    .append(w)
                    .append(" | `")
                    .append(shorten(statement))
                    .append("` |\n");
        }
        out.plan("live_tabs", md.toString());
    }

    private static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The transaction ends the server did not count: this {@code pg_stat_statements} (PostgreSQL 18.4,
     * {@code track = 'top'}) counts the BEGIN the driver sends but mostly not the COMMIT of {@code
     * Connection.commit()} (checked on one connection: ten read-only transactions committed and one
     * plain {@code commit} statement counted 10 BEGIN and 2 COMMIT); one end per BEGIN, less those counted.
     */
    private static long uncountedEnds(Map<String, Long> calls) {
        long begins = 0;
        long ends = 0;
        for (Map.Entry<String, Long> entry : calls.entrySet()) {
            String word = entry.getKey().strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            switch (word) {
                case "BEGIN", "START" -> begins += entry.getValue();
                case "COMMIT", "ROLLBACK", "END", "ABORT" -> ends += entry.getValue();
                default -> {}
            }
        }
        return Math.max(0, begins - ends);
    }

    private static String shorten(String statement) {
        String line =
                statement.replaceAll("\\s+", " ").trim().replace("|", "\\|").replace("`", "'");
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }

    /**
     * The application's pool opens new connections (sessions take the database's settings when they
     * open); the one the engine holds for LISTEN stays, and executes no statement.
     */
    private void renewConnections() throws SQLException, InterruptedException {
        HikariDataSource pool = application.getBean(DataSource.class).unwrap(HikariDataSource.class);
        pool.getHikariPoolMXBean().softEvictConnections();
        TimeUnit.SECONDS.sleep(1);
    }

    /** Calls so far per statement on this database, but for the probe's own and the bench's. */
    private static Map<String, Long> statements(Connection connection) throws SQLException {
        Map<String, Long> calls = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select query, sum(calls) from pg_stat_statements"
                        + " where dbid = (select oid from pg_database where datname = current_database())"
                        + " and query not like '%pg_stat_statements%' and query <> '" + BENCH_HEARTBEAT + "'"
                        + " group by query")) {
            while (rows.next()) {
                calls.put(rows.getString(1), rows.getLong(2));
            }
        }
        return calls;
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    /** A live overview tab: one event stream, read line by line on a thread of its own. */
    private final class Tab {
        final int number;
        final AtomicInteger overviews = new AtomicInteger();
        final CountDownLatch firstOverview = new CountDownLatch(1);
        final InputStream body;
        final Thread reader;
        volatile boolean closing;
        volatile @Nullable Exception failure;

        Tab(HttpClient http, int number) throws IOException, InterruptedException {
            this.number = number;
            HttpRequest request = HttpRequest.newBuilder(URI.create(events))
                    .header("Authorization", authorization)
                    .header("Accept", "text/event-stream")
                    .header("Cache-Control", "no-cache")
                    .GET()
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            if (response.statusCode() != 200) {
                String text = new String(body.readNBytes(500), StandardCharsets.UTF_8);
                body.close();
                throw new IllegalStateException("GET " + events + " answered " + response.statusCode() + ": " + text);
            }
            reader = Thread.ofVirtual().name("bench-live-tab-" + number).start(this::read);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:") && line.substring(6).trim().equals("overview")) {
                        overviews.incrementAndGet();
                        firstOverview.countDown();
                    }
                }
                if (!closing) {
                    failure = new IllegalStateException("the stream ended");
                }
            } catch (IOException e) {
                if (!closing) {
                    failure = e;
                }
            }
        }

        void close() {
            closing = true;
            try {
                body.close();
            } catch (IOException e) {
                // closing anyway
            }
            reader.interrupt();
        }
    }
}
