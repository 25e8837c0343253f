package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobRequest;
import io.taskbound.StoreUnavailableException;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server terminates every connection of the application's ({@code pg_terminate_backend}), the
 * LISTEN connections included, several times while two nodes run jobs: nothing is lost or charged,
 * and a job enqueued on one node afterwards starts on the other within seconds, which only a
 * NOTIFY on a LISTEN connection opened again can explain, since both nodes poll every 10 minutes.
 */
class ConnectionTerminationTest {

    private static final String WORK = "terminate.work";
    private static final int ROUNDS = 3;
    private static final int JOBS_PER_NODE_AND_ROUND = 40;
    private static final int JOBS = ROUNDS * 2 * JOBS_PER_NODE_AND_ROUND;
    // A poll so slow that only a notification can explain a job starting within the test's wait.
    private static final Duration NEVER_POLLS = Duration.ofMinutes(10);
    private static final Duration WAKE_UP = Duration.ofSeconds(5);

    private static PostgresServer postgres;

    public static class Work {
        private final FaultLedger ledger;

        Work(FaultLedger ledger) {
            this.ledger = ledger;
        }

        @Job(name = WORK)
        public void work(String key) throws InterruptedException {
            ledger.ran(key);
            // Long enough that each round's jobs are still running when their connections go.
            Thread.sleep(ThreadLocalRandom.current().nextInt(300, 800));
        }
    }

    /** Registered on node B only: enqueued on A, it can start nowhere but on B. */
    public static class Probe {
        final Map<String, Long> startedAt = new ConcurrentHashMap<>();

        @Job(name = "terminate.probe")
        public void probe(String key) {
            startedAt.putIfAbsent(key, System.nanoTime());
        }
    }

    @BeforeAll
    static void server() {
        postgres = PostgresServer.start("terminate");
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @Test
    void terminatedConnectionsLoseNothingAndCrossNodeWakeUpWorksAgainWithinSeconds() {
        TaskboundSettings slowPoll = TaskboundSettings.defaults()
                .withTimings(NEVER_POLLS, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(5));
        FaultLedger ledger = new FaultLedger();
        Probe probe = new Probe();
        try (HikariDataSource admin = postgres.pool("admin", 1);
                HikariDataSource poolA = postgres.pool("node-a", 10);
                HikariDataSource poolB = postgres.pool("node-b", 10);
                TestEngine a = TestEngine.start(poolA, slowPoll, new Work(ledger));
                TestEngine b = TestEngine.start(poolB, slowPoll, new Work(ledger), probe);
                // Enqueues probes on node A's pool, and is not started: only B can run them.
                TestEngine probesOnA =
                        TestEngine.create(poolA, slowPoll, null, RandomGenerator.getDefault(), new Probe())) {
            await("both nodes listening")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> listeners(admin).size() == 2);
            Set<Integer> listenersBefore = listeners(admin);

            long lastTermination = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                int first = ledger.distinctRuns();
                for (int i = 0; i < JOBS_PER_NODE_AND_ROUND; i++) {
                    enqueue(a, "r" + round + "-a-" + i);
                    enqueue(b, "r" + round + "-b-" + i);
                }
                // Terminate while this round's jobs run, so their outcomes meet the broken connections.
                await().atMost(Duration.ofSeconds(20)).until(() -> ledger.distinctRuns() >= first + 20);
                Set<Integer> terminated = terminateAll(admin);
                lastTermination = System.nanoTime();
                if (round == 1) {
                    assertThat(terminated)
                            .as("terminated backends include both LISTEN connections")
                            .containsAll(listenersBefore);
                }
            }

            // At once, while the nodes are still finding their feet: the notification may come
            // before the LISTEN connection is back, and the job must start all the same.
            enqueueProbe(probesOnA, "right-after");
            await("the probe enqueued on A right after the terminations starts on B")
                    .atMost(WAKE_UP)
                    .until(() -> probe.startedAt.containsKey("right-after"));
            Duration firstWakeUp = Duration.ofNanos(probe.startedAt.get("right-after") - lastTermination);

            await("all jobs succeeded")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> FaultLedger.states(admin, WORK).getOrDefault("SUCCEEDED", 0L) == JOBS);
            // Both nodes listen on new connections: a notification alone starts the next probe.
            long enqueued = System.nanoTime();
            enqueueProbe(probesOnA, "later");
            await("the probe enqueued on A later starts on B by NOTIFY")
                    .atMost(WAKE_UP)
                    .until(() -> probe.startedAt.containsKey("later"));
            Duration notifyWakeUp = Duration.ofNanos(probe.startedAt.get("later") - enqueued);

            System.out.println(ledger.report(
                    "terminate-backends",
                    ROUNDS + " terminations of all connections; cross-node wake-up after "
                            + FaultLedger.seconds(firstWakeUp)
                            + " (last termination to the first job started on the other node), by NOTIFY in "
                            + FaultLedger.seconds(notifyWakeUp) + " afterwards",
                    admin,
                    WORK,
                    JOBS));
            ledger.assertNothingLostNothingDeadNothingTwice(admin, WORK, JOBS);
            assertThat(FaultLedger.states(admin, "terminate.probe")).isEqualTo(Map.of("SUCCEEDED", 2L));
            // A's listener may still be in its one-second pause before reconnecting.
            await("both nodes listening again")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(listeners(admin)).hasSize(2).doesNotContainAnyElementsOf(listenersBefore));
            assertThat(a.engine().loops()).noneMatch(loop -> loop.dead());
            assertThat(b.engine().loops()).noneMatch(loop -> loop.dead());
        }
    }

    private static void enqueue(TestEngine node, String key) {
        enqueueCarefully(node, () -> node.jobs().schedule(Work::work, key).uniqueKey(key));
    }

    private static void enqueueProbe(TestEngine node, String key) {
        enqueueCarefully(node, () -> node.jobs().schedule(Probe::probe, key).uniqueKey(key));
    }

    // An enqueue may meet a connection the server just terminated and fail saying so. What a careful
    // caller does: when the commit's outcome is unknown, look the job up once the database answers,
    // and enqueue again only if it is not stored (a unique key alone is not enough: the first job
    // may have run and finished before the second is stored).
    private static void enqueueCarefully(TestEngine node, Supplier<JobRequest<?>> request) {
        List<UUID> maybeStored = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> {
                    if (maybeStored.stream().anyMatch(id -> node.jobs().info(id).isPresent())) {
                        return true;
                    }
                    try {
                        return request.get().enqueue().id() != null;
                    } catch (StoreUnavailableException e) {
                        if (e.mayHaveCommitted()) {
                            maybeStored.addAll(e.jobIds());
                        }
                        throw e;
                    }
                });
    }

    /** Terminates every backend of the {@code taskbound} database but the caller's; returns their pids. */
    private static Set<Integer> terminateAll(HikariDataSource admin) {
        // In the select list, not the where clause: the planner may order conditions as it likes,
        // and would terminate the caller's own backend too.
        return pids(
                admin,
                "select pid, pg_terminate_backend(pid) from pg_stat_activity"
                        + " where datname = 'taskbound' and pid <> pg_backend_pid()");
    }

    /** The backends whose last statement was a LISTEN: the nodes' notification connections. */
    private static Set<Integer> listeners(HikariDataSource admin) {
        return pids(admin, "select pid from pg_stat_activity where datname = 'taskbound' and query like 'listen %'");
    }

    private static Set<Integer> pids(HikariDataSource admin, String sql) {
        Set<Integer> pids = new HashSet<>();
        try (Connection connection = admin.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }
}
