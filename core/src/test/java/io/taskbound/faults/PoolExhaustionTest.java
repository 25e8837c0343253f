package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.StoreUnavailableException;
import io.taskbound.loop.Loop;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application's own code takes every connection of the pool it shares with Taskbound and holds
 * them for 10 seconds while jobs run and another node enqueues more: Taskbound neither deadlocks
 * nor loses work, says an enqueue through the exhausted pool stored nothing, and drains the backlog
 * once the connections come back.
 */
class PoolExhaustionTest {

    private static final String WORK = "exhaust.work";
    private static final int POOL_SIZE = 10;
    private static final int JOBS_PER_PHASE = 50;
    private static final Duration EXHAUSTION = Duration.ofSeconds(10);

    private static PostgresServer postgres;

    public static class Work {
        private final FaultLedger ledger;

        Work(FaultLedger ledger) {
            this.ledger = ledger;
        }

        @Job(name = WORK)
        public void work(String key) throws InterruptedException {
            ledger.ran(key);
            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 400));
        }
    }

    @BeforeAll
    static void server() {
        postgres = PostgresServer.start("exhaust");
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @Test
    void anExhaustedPoolStopsNothingForGoodAndLosesNothing() throws Exception {
        FaultLedger ledger = new FaultLedger();
        List<Connection> taken = new ArrayList<>();
        try (HikariDataSource shared = postgres.pool("shared", POOL_SIZE);
                HikariDataSource other = postgres.pool("other", 5);
                TestEngine worker = TestEngine.start(shared, TestSettings.fast(), new Work(ledger));
                // Another node's pool, not started: it enqueues, only the worker runs jobs.
                TestEngine client = TestEngine.create(
                        other, TestSettings.fast(), null, RandomGenerator.getDefault(), new Work(ledger))) {
            enqueue(client, "before");
            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.distinctRuns() >= JOBS_PER_PHASE / 2);

            // The LISTEN connection stays with the worker: the application gets all the others.
            takeAllBut(shared, 1, taken);
            long exhausted = System.nanoTime();
            assertThat(shared.getHikariPoolMXBean().getActiveConnections()).isEqualTo(POOL_SIZE);
            enqueue(client, "during");

            StoreUnavailableException refused = catchThrowableOfType(
                    StoreUnavailableException.class, () -> worker.jobs().enqueue(Work::work, "refused"));
            assertThat(refused.mayHaveCommitted()).isFalse();
            assertThat(refused.getMessage())
                    .startsWith("Enqueue of job \"" + WORK + "\" (id ")
                    .contains("did not happen: the database could not be reached")
                    .contains("Connection is not available")
                    .contains("Nothing was stored");
            await("the heartbeat fails rather than hang")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> loop(worker, "taskbound-heartbeat").failuresInARow() > 0);
            // Holding the connections for the full 10 s is the fault itself, not a wait for a condition.
            Thread.sleep(Math.max(
                    0,
                    EXHAUSTION.toMillis()
                            - Duration.ofNanos(System.nanoTime() - exhausted).toMillis()));

            release(taken);
            long released = System.nanoTime();
            await("everything enqueued before and during succeeded")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> FaultLedger.states(other, WORK).getOrDefault("SUCCEEDED", 0L) == 2 * JOBS_PER_PHASE);
            Duration drained = Duration.ofNanos(System.nanoTime() - released);

            System.out.println(ledger.report(
                    "pool-exhaustion",
                    (POOL_SIZE - 1) + " of " + POOL_SIZE + " connections held by the application for "
                            + FaultLedger.seconds(EXHAUSTION)
                            + " (the tenth is the LISTEN connection); backlog drained "
                            + FaultLedger.seconds(drained) + " after release (to the last job succeeded)",
                    other,
                    WORK,
                    2 * JOBS_PER_PHASE));
            ledger.assertNothingLostNothingDeadNothingTwice(other, WORK, 2 * JOBS_PER_PHASE);
            assertThat(ledger.hasRun("refused")).isFalse();
            assertThat(worker.engine().loops()).noneMatch(Loop.Status::dead);
            await("the heartbeat succeeds again")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> loop(worker, "taskbound-heartbeat").failuresInARow() == 0);
        } finally {
            release(taken);
        }
    }

    private static void enqueue(TestEngine client, String phase) {
        for (int i = 0; i < JOBS_PER_PHASE; i++) {
            client.jobs().enqueue(Work::work, phase + "-" + i);
        }
    }

    // Competes with the engine's loops for the connections they give back, until it has all the pool
    // can give but {@code left}.
    private static void takeAllBut(HikariDataSource pool, int left, List<Connection> taken) {
        await("the application holds all the pool's free connections")
                .atMost(Duration.ofSeconds(20))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    try {
                        taken.add(pool.getConnection());
                    } catch (SQLException e) {
                        // The engine had them all just then; ask again.
                    }
                    return taken.size() == pool.getMaximumPoolSize() - left;
                });
    }

    private static void release(List<Connection> taken) throws SQLException {
        for (Connection connection : taken) {
            connection.close();
        }
        taken.clear();
    }

    private static Loop.Status loop(TestEngine engine, String name) {
        return engine.engine().loops().stream()
                .filter(loop -> loop.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "No loop " + name + " in " + engine.engine().loops()));
    }
}
