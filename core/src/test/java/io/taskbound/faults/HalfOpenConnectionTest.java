package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.loop.Loop;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker node reaches PostgreSQL only through a proxy that, for 8 seconds, stops carrying
 * traffic without closing anything: every connection is half-open, and new ones get no answer.
 * The node notices within its network timeout, its loops keep failing and retrying rather than
 * hang, and once traffic flows again it finishes every job enqueued before, during and after, and
 * hears of new work by NOTIFY on a LISTEN connection it opened again.
 */
class HalfOpenConnectionTest {

    private static final String WORK = "halfopen.work";
    private static final int JOBS_PER_PHASE = 50;
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration BLACKHOLE = Duration.ofSeconds(8);
    // A poll so slow that only a notification can explain a job starting within the test's wait.
    private static final Duration NEVER_POLLS = Duration.ofMinutes(10);

    private static PostgresServer postgres;

    public static class Work {
        private final FaultLedger ledger;
        final Map<String, Long> startedAt = new ConcurrentHashMap<>();

        Work(FaultLedger ledger) {
            this.ledger = ledger;
        }

        @Job(name = WORK)
        public void work(String key) throws InterruptedException {
            startedAt.putIfAbsent(key, System.nanoTime());
            ledger.ran(key);
            Thread.sleep(ThreadLocalRandom.current().nextInt(200, 600));
        }
    }

    @BeforeAll
    static void server() {
        postgres = PostgresServer.start("halfopen");
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @Test
    void aNodeBehindABlackHoleNoticesWithinItsNetworkTimeoutAndRecoversWhenTrafficFlows() throws Exception {
        TaskboundSettings settings = TaskboundSettings.defaults()
                .withTimings(NEVER_POLLS, Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(5))
                .withNetworkTimeout(NETWORK_TIMEOUT);
        FaultLedger ledger = new FaultLedger();
        Work work = new Work(ledger);
        try (TcpProxy proxy = TcpProxy.to(postgres.port());
                // The application's pool must bound a new connection's log-in: one opened into the black
                // hole otherwise waits for the server's greeting forever, and it holds the pool's only
                // thread that opens connections, so the pool never opens another, even after the restore.
                HikariDataSource proxied =
                        PostgresServer.pool("worker", 10, postgres.url(proxy.port(), "loginTimeout=3"));
                HikariDataSource direct = postgres.pool("direct", 5);
                TestEngine worker = TestEngine.start(proxied, settings, work);
                // Enqueues straight to the server, and is not started: only the worker runs jobs.
                TestEngine client =
                        TestEngine.create(direct, settings, null, RandomGenerator.getDefault(), new Work(ledger))) {
            await("the worker listening")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> loop(worker, "taskbound-listener").lastSuccess() != null);
            enqueue(client, "before", JOBS_PER_PHASE);
            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.distinctRuns() >= JOBS_PER_PHASE / 2);

            proxy.blackhole();
            long blackholed = System.nanoTime();
            enqueue(client, "during", JOBS_PER_PHASE);
            // A statement waits at most the network timeout; a new connection the pool's 3 s.
            Duration bound = NETWORK_TIMEOUT.plusSeconds(3);
            await("the heartbeat fails")
                    .atMost(bound)
                    .until(() -> loop(worker, "taskbound-heartbeat").failuresInARow() > 0);
            Duration detection = Duration.ofNanos(System.nanoTime() - blackholed);
            int failures = loop(worker, "taskbound-heartbeat").failuresInARow();
            await("the heartbeat keeps trying: it is not hung")
                    .atMost(bound)
                    .until(() -> loop(worker, "taskbound-heartbeat").failuresInARow() > failures);
            // The LISTEN connection sends nothing while it waits: its own check finds it dead.
            await("the listener notices")
                    .atMost(NETWORK_TIMEOUT.multipliedBy(2).plusSeconds(3))
                    .until(() -> loop(worker, "taskbound-listener").failuresInARow() > 0);
            assertThat(worker.engine().loops()).noneMatch(Loop.Status::dead);
            // Holding the fault for its full length is the fault itself, not a wait for a condition.
            Thread.sleep(Math.max(
                    0,
                    BLACKHOLE.toMillis()
                            - Duration.ofNanos(System.nanoTime() - blackholed).toMillis()));

            proxy.restore();
            long restored = System.nanoTime();
            Instant restoredAt = Instant.now();
            await("everything enqueued before and during succeeded")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> FaultLedger.states(direct, WORK).getOrDefault("SUCCEEDED", 0L) == 2 * JOBS_PER_PHASE);
            Duration drained = Duration.ofNanos(System.nanoTime() - restored);

            // Work enqueued now reaches the worker by NOTIFY alone: its LISTEN connection is new.
            await("the worker listening again").atMost(Duration.ofSeconds(10)).until(() -> {
                Loop.Status listener = loop(worker, "taskbound-listener");
                return listener.failuresInARow() == 0
                        && listener.lastSuccess() != null
                        && listener.lastSuccess().isAfter(restoredAt);
            });
            long enqueuedAfter = System.nanoTime();
            enqueue(client, "after", JOBS_PER_PHASE);
            await("a job enqueued after the restore starts on the worker by NOTIFY")
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> work.startedAt.containsKey("after-0"));
            Duration wakeUp = Duration.ofNanos(work.startedAt.get("after-0") - enqueuedAfter);
            await("everything succeeded")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> FaultLedger.states(direct, WORK).getOrDefault("SUCCEEDED", 0L) == 3 * JOBS_PER_PHASE);

            System.out.println(ledger.report(
                    "half-open",
                    "blackhole of " + FaultLedger.seconds(BLACKHOLE) + "; detected after "
                            + FaultLedger.seconds(detection) + " (blackhole start to the heartbeat's first failure,"
                            + " network timeout " + FaultLedger.seconds(NETWORK_TIMEOUT) + "); drained after "
                            + FaultLedger.seconds(drained) + " (restore to the last job enqueued before or during"
                            + " succeeded); NOTIFY wake-up after the restore in " + FaultLedger.seconds(wakeUp),
                    direct,
                    WORK,
                    3 * JOBS_PER_PHASE));
            ledger.assertNothingLostNothingDeadNothingTwice(direct, WORK, 3 * JOBS_PER_PHASE);
            assertThat(worker.engine().loops()).noneMatch(Loop.Status::dead);
        }
    }

    private static void enqueue(TestEngine client, String phase, int jobs) {
        for (int i = 0; i < jobs; i++) {
            client.jobs().enqueue(Work::work, phase + "-" + i);
        }
    }

    private static Loop.Status loop(TestEngine engine, String name) {
        return engine.engine().loops().stream()
                .filter(loop -> loop.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "No loop " + name + " in " + engine.engine().loops()));
    }
}
