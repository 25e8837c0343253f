package io.taskbound.bench.contender;

import io.taskbound.bench.Contender;
import io.taskbound.bench.Fault;
import io.taskbound.bench.JobKind;
import io.taskbound.bench.Probe;
import io.taskbound.bench.Scenario;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The physical limit of a PostgreSQL queue here: the tightest plain-JDBC loop, with no framework.
 * One table, batched insert, claim of up to 500 rows per statement with {@code FOR UPDATE SKIP
 * LOCKED}, batched completion, and a 1 ms idle poll instead of notifications. Jobs run on the
 * executor their kind needs (virtual threads for waiting, one platform thread per core for
 * computing), or inline when they return at once. Done rows stay (state 2), except in the soak
 * scenario, where a prune loop deletes them after about as long as Taskbound keeps them.
 */
public final class RawFloorContender implements Contender {

    private static final int CLAIM_BATCH = 500;
    private static final int CLAIMERS = 2;

    private DataSource dataSource;
    private final LinkedBlockingQueue<Long> done = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService cpu =
            Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    private volatile boolean running;
    private volatile boolean prune;
    /** The highest id the completion loop has marked done; written by that loop only. */
    private volatile long highestDone;

    @Override
    public String name() {
        return "raw-floor";
    }

    @Override
    public String settings() {
        return CLAIMERS + " claim loops, claim batch " + CLAIM_BATCH + " with FOR UPDATE SKIP LOCKED, batched"
                + " completion, 1 ms idle poll, no notifications, no retries, no state beyond a status column."
                + " Soak: a prune loop every " + Scenario.SOAK_PRUNE_INTERVAL.toSeconds() + " s deletes, in one"
                + " statement, the done rows whose id is at most the highest id done "
                + Scenario.SOAK_RETENTION.toSeconds() + " s earlier (ids follow enqueue order, claims take the"
                + " lowest ids first and no-op jobs are done within milliseconds, so that is the rows done about"
                + " " + Scenario.SOAK_RETENTION.toSeconds() + " s ago or more), with no timestamp column."
                + " Faults: no recovery of any kind, as above: a claim is a state change with no owner, lease or"
                + " heartbeat, so the kill cases are not available, and in pg-restart each claim or completion loop"
                + " ends at its first SQL error (the jobs it claimed and those enqueued later stay unrun); the"
                + " faults' job runs on virtual threads like the 1 s wait; enqueueOnce is a plain insert (no key)";
    }

    @Override
    public List<String> jobTables() {
        return List.of("raw_job");
    }

    @Override
    public Optional<String> notAvailable(Scenario scenario) {
        return switch (scenario) {
            case CRON ->
                Optional.of("raw-floor is a queue floor with no scheduler: recurring schedules (computing fire times,"
                        + " firing each exactly once across nodes) are exactly the framework it leaves out, so there"
                        + " is no floor to measure");
            case QUERIES ->
                Optional.of("raw-floor is a queue floor with no read side: listings, details, logs and counts are"
                        + " framework it leaves out (its table has no names, lanes, arguments or history)");
            case MEMORY, GC_ISOLATION ->
                Optional.of("not applicable: raw-floor is a plain-JDBC queue loop, not a job system an application"
                        + " embeds; it has no jobs of its own to run in or out of the application's JVM");
            default -> Contender.super.notAvailable(scenario);
        };
    }

    @Override
    public Optional<String> notAvailable(Fault fault) {
        return fault.kill()
                ? Optional.of("raw-floor has no recovery of dead workers: a claimed row has no owner, lease or"
                        + " heartbeat, so the jobs a killed node held stay claimed for ever; there is no floor for"
                        + " a recovery to measure")
                : Optional.empty();
    }

    @Override
    public void prepare(DataSource dataSource) throws SQLException {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "create table if not exists raw_job (id bigserial primary key, kind int not null, idx int not null,"
                            + " state int not null default 0)");
            statement.execute("create index if not exists raw_job_queued on raw_job (id) where state = 0");
        }
    }

    @Override
    public void prepareSoak(DataSource dataSource) throws SQLException {
        prepare(dataSource);
        prune = true;
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < CLAIMERS; i++) {
            threads.add(Thread.ofPlatform().name("raw-claim-" + i).start(this::claimLoop));
        }
        threads.add(Thread.ofPlatform().name("raw-complete").start(this::completeLoop));
        if (prune) {
            threads.add(Thread.ofPlatform().name("raw-prune").start(this::pruneLoop));
        }
    }

    @Override
    public void enqueueBulk(JobKind kind, int from, int count) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into raw_job (kind, idx) select ?, g from generate_series(?, ?) g")) {
            insert.setInt(1, kind.ordinal());
            insert.setInt(2, from);
            insert.setInt(3, from + count - 1);
            insert.executeUpdate();
        }
    }

    @Override
    public void enqueue(JobKind kind, int index) throws SQLException {
        enqueueBulk(kind, index, 1);
    }

    private void claimLoop() {
        JobKind[] kinds = JobKind.values();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(
                        "update raw_job set state = 1 where id in (select id from raw_job where state = 0"
                                + " order by id limit ? for update skip locked) returning id, kind, idx")) {
            while (running) {
                claim.setInt(1, CLAIM_BATCH);
                int claimed = 0;
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        claimed++;
                        long id = rows.getLong(1);
                        JobKind kind = kinds[rows.getInt(2)];
                        int index = rows.getInt(3);
                        switch (kind) {
                            case SLEEP_1S, EFFECT -> virtual.execute(() -> run(id, kind, index));
                            case CPU_50MS -> cpu.execute(() -> run(id, kind, index));
                            default -> run(id, kind, index);
                        }
                    }
                }
                if (claimed == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (SQLException | InterruptedException e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void run(long id, JobKind kind, int index) {
        try {
            Probe.run(kind, index);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        done.add(id);
    }

    private void completeLoop() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement complete =
                        connection.prepareStatement("update raw_job set state = 2 where id = any (?)")) {
            List<Long> batch = new ArrayList<>();
            while (running || !done.isEmpty()) {
                Long first = done.poll(10, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                done.drainTo(batch, 5_000);
                complete.setArray(1, connection.createArrayOf("bigint", batch.toArray()));
                complete.executeUpdate();
                highestDone = Math.max(
                        highestDone,
                        batch.stream().mapToLong(Long::longValue).max().orElse(0));
                batch.clear();
            }
        } catch (SQLException | InterruptedException e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Every prune interval, notes the highest id done so far, and deletes the done rows up to the
     * newest note that is at least the retention old.
     */
    private void pruneLoop() {
        Deque<long[]> notes = new ArrayDeque<>();
        long retention = Scenario.SOAK_RETENTION.toNanos();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete =
                        connection.prepareStatement("delete from raw_job where state = 2 and id <= ?")) {
            while (running) {
                long now = System.nanoTime();
                notes.addLast(new long[] {now, highestDone});
                long upTo = 0;
                while (now - notes.getFirst()[0] >= retention) {
                    upTo = notes.removeFirst()[1];
                }
                if (upTo > 0) {
                    delete.setLong(1, upTo);
                    delete.executeUpdate();
                }
                long next = now + Scenario.SOAK_PRUNE_INTERVAL.toNanos();
                while (running && System.nanoTime() < next) {
                    Thread.sleep(10);
                }
            }
        } catch (SQLException | InterruptedException e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public long finishedInStore(DataSource dataSource, long enqueued) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from raw_job where state = 2")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        virtual.shutdownNow();
        cpu.shutdownNow();
    }
}
