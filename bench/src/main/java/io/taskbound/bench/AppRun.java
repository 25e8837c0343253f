package io.taskbound.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One case of the memory or gc-isolation scenario for one contender, run by the orchestrator: it
 * creates the database and the contender's schema, starts the application JVM ({@link AppNode}),
 * requests its web endpoint every 10 ms ({@link WebProbe}), enqueues through a client of the
 * contender in the orchestrator's JVM that runs no jobs (so that enqueues go on whatever becomes of
 * the application), and counts from the database what the jobs recorded ({@link MemoryProbe}).
 */
final class AppRun {

    /** The memory scenario's cases: the one job among the ordinary ones. */
    enum MemoryCase {
        RUNAWAY("runaway", JobKind.MEMORY_RUNAWAY),
        HALT("halt", JobKind.MEMORY_HALT),
        HOLD("hold", JobKind.MEMORY_HOLD);

        final String id;
        final JobKind kind;

        MemoryCase(String id, JobKind kind) {
            this.id = id;
            this.kind = kind;
        }
    }

    /** gc-isolation's cases: where the churning job runs. */
    static final String WORKER = "worker";

    static final String IN_APP = "in-app";

    static final int ORDINARY_JOBS = 100;

    /** The ordinary jobs are enqueued at this rate, so that they meet the one job while it runs. */
    private static final int ORDINARY_PER_SECOND = 20;

    /** Requests after the application started and before anything is measured: the endpoint's warm-up. */
    private static final Duration WARM_UP = Duration.ofSeconds(5);

    /** Memory: the window before the enqueue whose p99 is the case's baseline. */
    private static final Duration BEFORE = Duration.ofSeconds(3);

    /** Memory: the least time a case lasts after the one job started: the hold job holds 5 s. */
    private static final Duration AFTER_START = Duration.ofSeconds(6);

    /** An application JVM on two busy cores has taken over 20 s to start. */
    private static final Duration START_UP = Duration.ofMinutes(2);

    /** Outcome of a case: its figures, the lines the report shows under the table, and why it failed, or null. */
    record Outcome(
            List<Result> results,
            List<Plan> notes,
            @Nullable String failure) {}

    private final BenchServer server;
    private final boolean quick;
    private final FaultRun.Spawner spawner;
    private final Path logs;

    AppRun(BenchServer server, boolean quick, FaultRun.Spawner spawner) throws IOException {
        this.server = server;
        this.quick = quick;
        this.spawner = spawner;
        this.logs = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "taskbound-bench-app"));
    }

    /** The memory scenario's {@code memoryCase} for {@code contender}. */
    Outcome memory(String contender, MemoryCase memoryCase) throws Exception {
        return withApp(
                contender,
                new AppLane(AppLane.PROCESS, false, List.of()),
                memoryCase.id,
                (app, client, dataSource, web, results, notes) -> {
                    Thread.sleep(BEFORE.toMillis());
                    long enqueuedAt = System.currentTimeMillis();
                    client.enqueue(memoryCase.kind, 0);
                    long start = System.nanoTime();
                    for (int i = 0; i < ORDINARY_JOBS; i++) {
                        long wait = start + i * TimeUnit.SECONDS.toNanos(1) / ORDINARY_PER_SECOND - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        client.enqueue(JobKind.ORDINARY, i);
                    }
                    long deadline = enqueuedAt + (quick ? 30_000 : 45_000);
                    long diedAt = 0;
                    long now;
                    while (true) {
                        now = System.currentTimeMillis();
                        if (diedAt == 0 && !app.isAlive()) {
                            diedAt = now;
                        }
                        Long started = MemoryProbe.first(dataSource, memoryCase.kind, "start");
                        boolean done = MemoryProbe.count(dataSource, JobKind.ORDINARY, "end") >= ORDINARY_JOBS
                                && started != null
                                && now >= started + AFTER_START.toMillis();
                        if (done || (diedAt != 0 && now >= diedAt + 1_000) || now >= deadline) {
                            break;
                        }
                        Thread.sleep(100);
                    }
                    Long started = MemoryProbe.first(dataSource, memoryCase.kind, "start");
                    WebProbe.Window during = web.window(started != null ? started : enqueuedAt, now);
                    WebProbe.Window before = web.window(enqueuedAt - BEFORE.toMillis(), enqueuedAt);
                    boolean alive = app.isAlive() && during.lastOkMillis() >= now - 1_000;
                    results.add(result(Scenario.MEMORY, contender, memoryCase.id, "app_alive", alive ? 1 : 0));
                    long completed = MemoryProbe.count(dataSource, JobKind.ORDINARY, "end");
                    results.add(result(Scenario.MEMORY, contender, memoryCase.id, "completed", completed));
                    results.add(result(Scenario.MEMORY, contender, memoryCase.id, "web_errors", during.errors()));
                    results.add(result(Scenario.MEMORY, contender, memoryCase.id, "web_requests", during.requests()));
                    addP99(results, Scenario.MEMORY, contender, memoryCase.id, "web_p99_ms", during);
                    addP99(results, Scenario.MEMORY, contender, memoryCase.id, "web_p99_before_ms", before);
                    String exit = app.isAlive() ? "" : "; the application JVM exited with status " + app.exitValue();
                    notes.add(new Plan(
                            Scenario.MEMORY.id(),
                            contender,
                            memoryCase.id,
                            "the one job: " + oneLine(client.jobOutcome(dataSource, memoryCase.kind)) + exit
                                    + (started == null ? "; it never recorded a start" : "")));
                });
    }

    /** gc-isolation for {@code contender}, its job on a worker JVM ({@link #WORKER}) or in the application. */
    Outcome gcIsolation(String contender, String where) throws Exception {
        // The worker starts with the lane, so that its start-up is over before the job: what is
        // measured is the job's allocation, not a JVM booting on the same two cores.
        AppLane lane = where.equals(WORKER)
                ? new AppLane(AppLane.PROCESS, true, List.of())
                : new AppLane(AppLane.PLATFORM, false, List.of());
        return withApp(contender, lane, where, (app, client, dataSource, web, results, notes) -> {
            long idleFrom = System.currentTimeMillis();
            Thread.sleep(TimeUnit.SECONDS.toMillis(Scenario.GC_ISOLATION.size(quick)));
            long enqueuedAt = System.currentTimeMillis();
            // The churn's index is the gigabytes it allocates.
            client.enqueue(JobKind.MEMORY_CHURN, Scenario.GC_ISOLATION.size(quick));
            long deadline = enqueuedAt + TimeUnit.MINUTES.toMillis(quick ? 2 : 5);
            Long ended;
            while ((ended = MemoryProbe.first(dataSource, JobKind.MEMORY_CHURN, "end")) == null) {
                if (!app.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the churning job did not end"
                            + (app.isAlive()
                                    ? " within " + (deadline - enqueuedAt) / 1000 + " s"
                                    : ": the application died")
                            + "; " + oneLine(client.jobOutcome(dataSource, JobKind.MEMORY_CHURN)));
                }
                Thread.sleep(100);
            }
            long started = MemoryProbe.first(dataSource, JobKind.MEMORY_CHURN, "start");
            WebProbe.Window idle = web.window(idleFrom, enqueuedAt);
            WebProbe.Window during = web.window(started, ended);
            addP99(results, Scenario.GC_ISOLATION, contender, where, "web_p99_idle_ms", idle);
            addP99(results, Scenario.GC_ISOLATION, contender, where, "web_p99_ms", during);
            results.add(result(
                    Scenario.GC_ISOLATION, contender, where, "p99_ratio", during.p99Millis() / idle.p99Millis()));
            results.add(result(Scenario.GC_ISOLATION, contender, where, "wall_s", (ended - started) / 1000.0));
            results.add(result(Scenario.GC_ISOLATION, contender, where, "web_errors", during.errors()));
            results.add(result(Scenario.GC_ISOLATION, contender, where, "web_requests", during.requests()));
        });
    }

    /** What a case does once its application is up and its endpoint requested. */
    private interface Body {
        void run(
                Process app,
                Contender client,
                DataSource dataSource,
                WebProbe web,
                List<Result> results,
                List<Plan> notes)
                throws Exception;
    }

    private Outcome withApp(String contenderName, AppLane lane, String caseId, Body body) throws Exception {
        String url = server.createDatabase();
        Contender client = Contenders.create(contenderName);
        List<Result> results = new ArrayList<>();
        List<Plan> notes = new ArrayList<>();
        Process app = null;
        Path log = logs.resolve(contenderName + "-" + caseId + ".log");
        try (HikariDataSource dataSource = pool(url)) {
            MemoryProbe.createTables(dataSource);
            // Creates the schema; never started, so it only enqueues.
            client.prepareApp(dataSource, lane);
            int port = freePort();
            app = spawner.spawn(
                    contenderName,
                    List.of(
                            "serve",
                            contenderName,
                            lane.executor(),
                            String.valueOf(lane.eagerStart()),
                            url,
                            String.valueOf(port)),
                    log);
            String notStarted = awaitStarted(dataSource, app, log);
            if (notStarted != null) {
                return new Outcome(results, notes, caseId + ": " + notStarted);
            }
            try (WebProbe web = new WebProbe(port)) {
                Thread.sleep(WARM_UP.toMillis());
                body.run(app, client, dataSource, web, results, notes);
            }
            return new Outcome(results, notes, null);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(results, notes, caseId + ": " + reason + "; " + LogTail.of(log));
        } finally {
            if (app != null) {
                app.destroyForcibly();
                app.waitFor(30, TimeUnit.SECONDS);
            }
            try {
                client.close();
            } catch (Exception e) {
                // The client only enqueued; how it closes is not measured.
            }
            server.dropDatabase(url);
        }
    }

    private static @Nullable String awaitStarted(DataSource dataSource, Process app, Path log) throws Exception {
        long deadline = System.nanoTime() + START_UP.toNanos();
        while (!MemoryProbe.arrived(dataSource, "started")) {
            if (!app.isAlive()) {
                return "the application JVM exited (" + app.exitValue() + ") while starting; " + LogTail.of(log);
            }
            if (System.nanoTime() > deadline) {
                return "the application JVM did not start within " + START_UP.toSeconds() + " s";
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static void addP99(
            List<Result> results,
            Scenario scenario,
            String contender,
            String caseId,
            String metric,
            WebProbe.Window w) {
        if (!Double.isNaN(w.p99Millis())) {
            results.add(result(scenario, contender, caseId, metric, w.p99Millis()));
        }
    }

    private static Result result(Scenario scenario, String contender, String caseId, String metric, double value) {
        return new Result(
                scenario.id(),
                contender,
                metric,
                value,
                null,
                caseId,
                Contenders.create(contender).settings());
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 600 ? line.substring(0, 600) + " …" : line;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(5);
        config.setPoolName("bench-app");
        return new HikariDataSource(config);
    }
}
