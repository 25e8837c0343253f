package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobRequest;
import io.taskbound.JobState;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's outcome survives connections broken exactly while it is being written: the completer
 * keeps it and writes it again, and the job never ends dead because of the network.
 */
class OutcomeWriteFailureTest {

    // Text only the completion statement sends; with prepareThreshold=0 it travels with every run.
    private static final String COMPLETION = "c.wall_us, c.cpu_us";

    private static PostgresServer postgres;
    private TcpProxy proxy;
    private HikariDataSource pool;
    private TestEngine engine;

    public static class Work {
        final AtomicInteger runs = new AtomicInteger();

        @Job(name = "work.answer")
        public int answer(int x) {
            runs.incrementAndGet();
            return x * 2;
        }
    }

    @BeforeAll
    static void server() {
        postgres = PostgresServer.start("outcome");
    }

    @AfterAll
    static void stopServer() {
        postgres.close();
    }

    @AfterEach
    void stop() {
        engine.close();
        pool.close();
        proxy.close();
    }

    private Work startEngine() {
        proxy = TcpProxy.to(postgres.port());
        pool = PostgresServer.pool("outcome", 10, postgres.url(proxy.port(), "prepareThreshold=0"));
        Work work = new Work();
        TaskboundSettings settings = TestSettings.fast();
        engine = TestEngine.start(pool, settings, work);
        return work;
    }

    @Test
    void anOutcomeWhoseWritesAreCutTwiceIsWrittenOnTheThirdTryAndTheJobSucceeds() {
        Work work = startEngine();
        // The batch write and the one-by-one write that follows it both lose their connection: the
        // outcome must be kept, not written as a dead job by the next statement that gets through.
        proxy.cutWhenClientSends(COMPLETION, false, 2);
        JobHandle<Integer> job = engine.jobs().enqueue(Work::answer, 21);

        assertThat(job.await(Duration.ofSeconds(30))).isEqualTo(42);
        assertThat(proxy.cuts()).isEqualTo(2);
        JobInfo info = engine.info(job.id());
        assertThat(info.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(info.attempt()).isEqualTo(1);
        assertThat(work.runs).hasValue(1);
    }

    @Test
    void anOutcomeWhoseCommitWasCutAfterTheServerGotItIsNotWrittenTwiceNorLost() {
        Work work = startEngine();
        // The server commits the completion, the node never hears so: writing it again finds the
        // lease already released, and the job stays as the first write left it.
        proxy.cutWhenClientSends(COMPLETION, true, 1);
        JobHandle<Integer> job = engine.jobs().enqueue(Work::answer, 5);

        assertThat(job.await(Duration.ofSeconds(30))).isEqualTo(10);
        assertThat(proxy.cuts()).isEqualTo(1);
        assertThat(engine.info(job.id()).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(work.runs).hasValue(1);
    }

    @Test
    void aNodeWhoseOutcomesCannotBeWrittenStopsClaimingUntilTheyAre() {
        proxy = TcpProxy.to(postgres.port());
        pool = PostgresServer.pool("outcome", 10, postgres.url(proxy.port(), "prepareThreshold=0"));
        Work work = new Work();
        TaskboundSettings settings = writingFiveOutcomesAtATime();
        engine = TestEngine.create(pool, settings, null, RandomGenerator.getDefault(), work);
        List<JobRequest<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            requests.add(engine.jobs().schedule(Work::answer, i));
        }
        List<JobHandle<Integer>> jobs = engine.jobs().enqueueAll(requests);
        proxy.cutWhenClientSends(COMPLETION, false, Integer.MAX_VALUE);

        engine.engine().start();

        await().atMost(Duration.ofSeconds(30)).until(() -> work.runs.get() >= 100);
        // Claiming stops near the bound (one claim may be under way when it is reached) and stays
        // stopped while no outcome can be written.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> work.runs.get() <= 120);
        proxy.cutWhenClientSends(COMPLETION, false, 0);
        for (JobHandle<Integer> job : jobs) {
            job.await(Duration.ofSeconds(60));
        }
        assertThat(work.runs).hasValue(400);
    }

    @Test
    void aNodeWhoseOutcomesAreWrittenSlowerThanItsJobsRunStopsClaimingAtTheBound() throws Exception {
        proxy = TcpProxy.to(postgres.port());
        pool = PostgresServer.pool("outcome", 10, postgres.url(proxy.port(), "prepareThreshold=0"));
        Work work = new Work();
        engine = TestEngine.create(pool, writingFiveOutcomesAtATime(), null, RandomGenerator.getDefault(), work);
        List<JobRequest<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            requests.add(engine.jobs().schedule(Work::answer, i));
        }
        List<JobHandle<Integer>> jobs = engine.jobs().enqueueAll(requests);
        // The database answers every write of outcomes, 50 ms late: 100 outcomes a second at most,
        // while the jobs themselves could run thousands.
        proxy.delayWhenClientSends(COMPLETION, Duration.ofMillis(50));
        AtomicInteger mostUnwritten = new AtomicInteger();

        engine.engine().start();

        try (HikariDataSource direct = postgres.pool("outcome-direct", 1)) {
            // Earlier tests' jobs share the database.
            int before = finished(direct);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        int unwritten = work.runs.get() - (finished(direct) - before);
                        mostUnwritten.accumulateAndGet(unwritten, Math::max);
                        return unwritten >= 100;
                    });
            // Claiming stops near the bound: one claim of 10 may be under way when it is reached, and
            // jobs claimed ahead (at most a batch) still start.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> {
                int unwritten = work.runs.get() - (finished(direct) - before);
                mostUnwritten.accumulateAndGet(unwritten, Math::max);
                return true;
            });
        }
        proxy.delayWhenClientSends(COMPLETION, Duration.ZERO);
        for (JobHandle<Integer> job : jobs) {
            job.await(Duration.ofSeconds(60));
        }
        assertThat(mostUnwritten.get()).isBetween(100, 130);
        assertThat(work.runs).hasValue(400);
    }

    private static int finished(HikariDataSource direct) throws SQLException {
        try (Connection connection = direct.getConnection();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("select count(*) from taskbound_job where state = 'SUCCEEDED'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * Outcomes written 5 at a time, so the node stops claiming at 20 x 5 = 100 unwritten ones; the
     * io lane runs 10 at once and claims 10 at a time.
     */
    private static TaskboundSettings writingFiveOutcomesAtATime() {
        TaskboundSettings fast = TestSettings.fast();
        LaneSettings io = fast.lane("io");
        return fast.withCompletionBatchSize(5)
                .withLane(
                        "io",
                        new LaneSettings(
                                ExecutorKind.VIRTUAL,
                                10,
                                io.priority(),
                                10,
                                null,
                                io.maxAttempts(),
                                io.initialBackoff(),
                                io.maxBackoff()));
    }
}
