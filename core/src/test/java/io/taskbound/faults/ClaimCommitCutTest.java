package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A claim whose commit reaches the server while its answer never reaches the node leaves jobs
 * RUNNING under a node that is alive and does not know it has them; no dead-node sweep would ever
 * take them back. The node notices the claim in doubt and puts them back in the queue.
 */
class ClaimCommitCutTest {

    // Text only the claim statement sends; with prepareThreshold=0 it travels with every claim.
    private static final String CLAIM = "returning j.id, j.name, j.lane, j.args";

    private PostgresServer postgres;
    private TcpProxy proxy;
    private HikariDataSource pool;
    private TestEngine engine;

    public static class Work {
        final AtomicInteger runs = new AtomicInteger();

        @Job(name = "work.once")
        public void once(int key) {
            runs.incrementAndGet();
        }
    }

    @BeforeEach
    void start() {
        postgres = PostgresServer.start("claim");
        proxy = TcpProxy.to(postgres.port());
        pool = PostgresServer.pool("claim", 10, postgres.url(proxy.port(), "prepareThreshold=0"));
    }

    @AfterEach
    void stop() {
        engine.close();
        pool.close();
        proxy.close();
        postgres.close();
    }

    @Test
    void jobsTakenByAClaimWhoseCommitAnswerWasLostAreQueuedAgainAndRunOnce() {
        Work work = new Work();
        // One lane, so that the first claim to commit is the one that finds the jobs.
        TaskboundSettings fast = TestSettings.fast();
        Map<Bound, String> routes = new EnumMap<>(Bound.class);
        for (Bound bound : Bound.values()) {
            routes.put(bound, "io");
        }
        TaskboundSettings settings = new TaskboundSettings(
                        null,
                        fast.pollInterval(),
                        false,
                        fast.heartbeatInterval(),
                        fast.deadNodeTimeout(),
                        fast.shutdownTimeout(),
                        fast.completionBatchSize(),
                        fast.completionWriters(),
                        Map.of("io", fast.lane("io")),
                        routes,
                        fast.retention(),
                        fast.pruneInterval(),
                        fast.misfireThreshold(),
                        fast.networkTimeout(),
                        fast.figuresInterval())
                .withNetworkTimeout(Duration.ofSeconds(1));
        // Built first, so that the cut is armed before its dispatchers claim anything.
        engine = TestEngine.create(pool, settings, null, java.util.random.RandomGenerator.getDefault(), work);
        List<JobHandle<Void>> jobs = new ArrayList<>();
        for (int key = 0; key < 5; key++) {
            jobs.add(engine.jobs().enqueue(Work::once, key));
        }
        proxy.cutWhenClientSendsAfter(CLAIM, "COMMIT", true, 1);

        engine.engine().start();

        for (JobHandle<Void> job : jobs) {
            job.await(Duration.ofSeconds(30));
            assertThat(engine.info(job.id()).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(engine.info(job.id()).attempt()).isEqualTo(1);
        }
        assertThat(proxy.cuts()).isEqualTo(1);
        assertThat(work.runs).hasValue(5);
    }
}
