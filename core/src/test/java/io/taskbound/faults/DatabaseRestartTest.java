package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.OverlapPolicy;
import io.taskbound.StoreUnavailableException;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted three times under two busy nodes, with jobs running, enqueues going on,
 * delayed jobs coming due and a schedule firing every second: nothing is lost, nothing ends dead or
 * failed, no job runs twice, and the nodes carry on by themselves each time.
 */
class DatabaseRestartTest {

    private PostgresServer postgres;
    private final List<AutoCloseable> closing = new ArrayList<>();

    public static class Work {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        final Set<Instant> fireTimes = ConcurrentHashMap.newKeySet();
        final AtomicInteger finished = new AtomicInteger();
        volatile long lastFinishedNanos;

        @Job(name = "restart.work")
        public void work(String key) throws InterruptedException {
            runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(50);
            finished.incrementAndGet();
            lastFinishedNanos = System.nanoTime();
        }

        @Job(name = "restart.tick")
        public void tick(JobContext context) {
            context.fireTime().ifPresent(fireTimes::add);
        }
    }

    private static boolean stored(TestEngine node, List<UUID> maybeStored) {
        return maybeStored.stream().anyMatch(id -> node.jobs().info(id).isPresent());
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : closing.reversed()) {
            resource.close();
        }
        postgres.close();
    }

    @Test
    void threeRestartsUnderLoadLoseNothingAndRunNothingTwice() throws Exception {
        postgres = PostgresServer.start("restart");
        TaskboundSettings settings = TestSettings.fast().withNetworkTimeout(Duration.ofSeconds(5));
        Work work = new Work();
        TestEngine a = engine("a", settings, work);
        TestEngine b = engine("b", settings, work);
        a.jobs()
                .recurring("restart.tick")
                .every(Duration.ofSeconds(1))
                .overlap(OverlapPolicy.ALLOW)
                .call(Work::tick);

        Set<String> enqueued = ConcurrentHashMap.newKeySet();
        AtomicInteger failedEnqueues = new AtomicInteger();
        AtomicBoolean enqueuing = new AtomicBoolean(true);
        Thread producer = Thread.ofPlatform().name("producer").start(() -> {
            for (int n = 0; enqueuing.get(); n++) {
                String key = "job-" + n;
                TestEngine node = n % 2 == 0 ? a : b;
                // Every tenth job is delayed, so that some come due while the database is down.
                boolean delayed = n % 10 == 0;
                List<UUID> maybeStored = new ArrayList<>();
                while (true) {
                    try {
                        // What a careful caller does after an enqueue that may have committed: look
                        // the job up once the database answers, and enqueue again only if it is not
                        // stored. (A unique key alone is not enough: the first job may have run and
                        // finished before the second is stored.)
                        if (stored(node, maybeStored)) {
                            enqueued.add(key);
                            break;
                        }
                        var request = node.jobs().schedule(Work::work, key).uniqueKey(key);
                        if (delayed) {
                            request.in(Duration.ofMillis(1500));
                        } else {
                            request.enqueue();
                        }
                        enqueued.add(key);
                        break;
                    } catch (StoreUnavailableException e) {
                        failedEnqueues.incrementAndGet();
                        if (e.mayHaveCommitted() && !e.jobIds().isEmpty()) {
                            maybeStored.add(e.jobIds().getFirst());
                        }
                        pause(100);
                    }
                }
                pause(10);
            }
        });

        List<Double> recoveries = new ArrayList<>();
        List<Double> downtimes = new ArrayList<>();
        Instant lastRestart = null;
        for (int restart = 0; restart < 3; restart++) {
            int before = work.finished.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> work.finished.get() >= before + 60);
            long down = System.nanoTime();
            postgres.restart();
            long back = System.nanoTime();
            lastRestart = Instant.now();
            downtimes.add((back - down) / 1e9);
            int atRestart = work.finished.get();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> work.finished.get() > atRestart && work.lastFinishedNanos > back);
            recoveries.add((work.lastFinishedNanos - back) / 1e9);
        }
        // The schedule carries on after the last restart.
        Instant afterLast = lastRestart;
        await().atMost(Duration.ofSeconds(30))
                .until(() -> work.fireTimes.stream().filter(afterLast::isBefore).count() >= 2);
        enqueuing.set(false);
        producer.join(Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> work.runs.keySet().containsAll(enqueued)
                        && states().getOrDefault("QUEUED", 0L)
                                        + states().getOrDefault("RUNNING", 0L)
                                        + states().getOrDefault("RETRYING", 0L)
                                == 0);
        Map<String, Long> states = states();
        long twice =
                work.runs.values().stream().filter(count -> count.get() > 1).count();
        System.out.printf(
                "FAULT database-restart x3: down %s s, first job finished %s s after each restart; %d jobs,"
                        + " states %s, %d enqueues retried, %d run twice, %d schedule fire times %s%n",
                downtimes.stream().map(s -> String.format("%.2f", s)).toList(),
                recoveries.stream().map(s -> String.format("%.2f", s)).toList(),
                enqueued.size(),
                states,
                failedEnqueues.get(),
                twice,
                work.fireTimes.size(),
                work.fireTimes.stream()
                        .sorted()
                        .map(t -> t.toString().substring(11, 19))
                        .toList());

        assertThat(work.runs.keySet()).containsAll(enqueued);
        assertThat(states).containsOnlyKeys("SUCCEEDED");
        assertThat(twice).isZero();
        assertThat(jobsPerKey())
                .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
        // The schedule fired after each restart, and never twice for one fire time.
        assertThat(work.fireTimes).hasSizeGreaterThan(5);
        assertThat(duplicateFireTimes()).isZero();
    }

    public static class Slow {
        final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

        @Job(name = "restart.slow")
        public void slow(int key) throws InterruptedException {
            runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(15_000);
        }
    }

    @Test
    void anOutageLongerThanTheDeadNodeTimeoutDeclaresNoLiveNodeDead() throws Exception {
        postgres = PostgresServer.start("outage");
        // Dead after 8 s without a heartbeat; the database is gone for 9 s while jobs of 15 s run.
        TaskboundSettings settings = TestSettings.fast()
                .withTimings(
                        Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(8), Duration.ofSeconds(5))
                .withNetworkTimeout(Duration.ofSeconds(2));
        // The two working nodes reach the database through a proxy and get their connections back a
        // moment after a third node, which only sweeps: it is the first to see the database again.
        // (Their pools then take a few seconds to fill again, well within the dead-node timeout.)
        TcpProxy proxy = TcpProxy.to(postgres.port());
        closing.add(proxy);
        Slow slow = new Slow();
        TestEngine a = engine("a", settings, slow, postgres.url(proxy.port(), ""));
        engine("b", settings, slow, postgres.url(proxy.port(), ""));
        engine("sweeper", settings, new Object(), postgres.url(postgres.port(), ""));
        for (int key = 0; key < 4; key++) {
            a.jobs().enqueue(Slow::slow, key);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.runs.size() == 4);

        proxy.refuse();
        postgres.stop();
        pause(9_000);
        postgres.start();
        pause(500);
        proxy.restore();

        // Read straight from the database: the working nodes' pools may still be reconnecting.
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> query("select state || ' attempt ' || attempt, count(*) from taskbound_job"
                                + " where name = 'restart.slow' group by 1"),
                        states -> states.equals(Map.of("SUCCEEDED attempt 1", 4L)));
        assertThat(slow.runs)
                .allSatisfy((key, runs) -> assertThat(runs).as("job %s", key).hasValue(1));
    }

    private TestEngine engine(String name, TaskboundSettings settings, Object work) {
        return engine(name, settings, work, postgres.url(postgres.port(), ""));
    }

    private TestEngine engine(String name, TaskboundSettings settings, Object work, String url) {
        HikariDataSource pool = PostgresServer.pool("restart-" + name, 10, url);
        closing.add(pool);
        TestEngine engine = TestEngine.start(pool, settings, work);
        closing.add(engine);
        return engine;
    }

    private Map<String, Long> states() throws SQLException {
        return query("select state, count(*) from taskbound_job where name = 'restart.work' group by state");
    }

    private Map<String, Long> jobsPerKey() throws SQLException {
        return query("select unique_key, count(*) from taskbound_job where name = 'restart.work' group by unique_key");
    }

    private long duplicateFireTimes() throws SQLException {
        return query("select fire_time::text, count(*) from taskbound_job where schedule_id = 'restart.tick'"
                        + " group by fire_time having count(*) > 1")
                .size();
    }

    private Map<String, Long> query(String sql) throws SQLException {
        try (Connection connection =
                        java.sql.DriverManager.getConnection(postgres.url(postgres.port(), ""), "postgres", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            Map<String, Long> result = new LinkedHashMap<>();
            while (rows.next()) {
                result.put(rows.getString(1), rows.getLong(2));
            }
            return result;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
