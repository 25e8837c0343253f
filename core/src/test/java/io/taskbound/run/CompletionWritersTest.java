package io.taskbound.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.JobState;
import io.taskbound.loop.Loop;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import io.taskbound.store.JobStore;
import io.taskbound.store.NewJob;
import io.taskbound.store.NodeStore;
import io.taskbound.store.StandalonePersistence;
import io.taskbound.store.StoreSession;
import io.taskbound.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several writers write outcomes at once, on real PostgreSQL: each outcome is written exactly once,
 * every writer takes its share, and the bound on unwritten outcomes holds over all of them.
 */
class CompletionWritersTest {

    private static final String NAME = "work.noop";

    private final UUID nodeId = UUID.randomUUID();
    private HikariDataSource pool;
    private StandalonePersistence persistence;
    private JobStore store;
    private ResultWaiters waiters;
    private Completer completer;

    /** Records each outcome written, and on which writer's thread. */
    private static final class Recorder implements RunObserver {
        final Map<UUID, AtomicInteger> writes = new ConcurrentHashMap<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void started(ClaimedJob job) {}

        @Override
        public void ended(ClaimedJob job, Completion outcome) {}

        @Override
        public void written(Completion outcome, JobState stored) {
            writes.computeIfAbsent(outcome.jobId(), id -> new AtomicInteger()).incrementAndGet();
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void discarded(Completion outcome) {}
    }

    @BeforeEach
    void openStore() {
        pool = TestDatabase.create();
        persistence = StandalonePersistence.open(pool);
        StoreSession session = new StoreSession(
                pool,
                persistence.entityManagerFactory(),
                persistence.transactionManager(),
                null,
                Duration.ofSeconds(30));
        store = new JobStore(session);
        // Only a registered node claims.
        new NodeStore(session).register(nodeId, "writers-test");
        waiters = new ResultWaiters(store, Duration.ofMillis(200));
    }

    @AfterEach
    void close() {
        if (completer != null) {
            completer.stop(Duration.ofSeconds(5));
        }
        persistence.close();
        pool.close();
    }

    @Test
    void outcomesOfAThousandJobsAreEachWrittenOnceAndEveryWriterWritesItsShare() throws SQLException {
        List<ClaimedJob> claimed = claim(1_000);
        Recorder recorder = new Recorder();
        completer = new Completer(store, waiters, nodeId, 10, 4);
        completer.observe(recorder);
        completer.writers().forEach(Loop::start);

        claimed.forEach(job -> completer.submit(succeeded(job)));

        await().atMost(Duration.ofSeconds(60)).until(() -> completer.unwritten() == 0);
        assertThat(recorder.writes).hasSize(1_000);
        assertThat(recorder.writes.values())
                .allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(recorder.threads)
                .containsExactlyInAnyOrder(
                        "taskbound-completer-1",
                        "taskbound-completer-2",
                        "taskbound-completer-3",
                        "taskbound-completer-4");
        assertThat(completer.unwrittenJobIds()).isEmpty();
        assertThat(stored("SUCCEEDED")).isEqualTo(1_000);
        assertThat(stored("RUNNING")).isZero();
    }

    @Test
    void claimsStopWhileAllWritersTogetherHoldMoreThanTheBoundAndResumeAtHalf() throws SQLException {
        // Batches of 5: claims stop beyond 20 x 5 = 100 unwritten outcomes, whichever writer holds them.
        List<ClaimedJob> claimed = claim(150);
        completer = new Completer(store, waiters, nodeId, 5, 3);
        AtomicInteger resumed = new AtomicInteger();
        AtomicInteger unwrittenAtResume = new AtomicInteger(-1);
        completer.whenClaimsResume(() -> {
            unwrittenAtResume.set(completer.unwritten());
            resumed.incrementAndGet();
        });

        // Handed in before any writer runs: nothing is written yet.
        claimed.forEach(job -> completer.submit(succeeded(job)));
        assertThat(completer.acceptsClaims()).isFalse();
        assertThat(completer.unwrittenJobIds()).hasSize(150);

        completer.writers().forEach(Loop::start);

        await().atMost(Duration.ofSeconds(60)).until(() -> completer.unwritten() == 0);
        assertThat(resumed).hasValue(1);
        assertThat(unwrittenAtResume.get()).isBetween(0, 50);
        assertThat(completer.acceptsClaims()).isTrue();
        assertThat(completer.unwrittenJobIds()).isEmpty();
        assertThat(stored("SUCCEEDED")).isEqualTo(150);
    }

    private List<ClaimedJob> claim(int count) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new NewJob(UUID.randomUUID(), NAME, "io", Bound.IO, 0, null, Duration.ZERO, 3, null, "[]", null));
        }
        store.insertAll(jobs);
        List<ClaimedJob> claimed = store.claim("io", count, Set.of(NAME), nodeId);
        assertThat(claimed).hasSize(count);
        return claimed;
    }

    private static Completion succeeded(ClaimedJob job) {
        return new Completion(
                job.id(),
                job.lease(),
                JobState.SUCCEEDED,
                "1",
                null,
                null,
                "SUCCEEDED",
                Duration.ZERO,
                1,
                null,
                null,
                null);
    }

    private int stored(String state) throws SQLException {
        try (Connection connection = pool.getConnection();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("select count(*) from taskbound_job where state = '" + state + "'")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
