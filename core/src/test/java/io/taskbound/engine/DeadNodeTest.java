package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.NodeInfo;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.Completion;
import io.taskbound.store.JobEntity;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node that stops heartbeating is declared dead by the others, its running job runs again
 * elsewhere, and its late completion is ignored because its lease was taken back.
 */
class DeadNodeTest {

    // Heartbeat every 200 ms, dead after 1 s: recovery within a couple of seconds.
    private static final TaskboundSettings SETTINGS = TaskboundSettings.defaults()
            .withTimings(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2));

    public static class Worker {
        final String node;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Worker(String node) {
            this.node = node;
        }

        @Job(name = "worker.work")
        public String work(JobContext context) throws InterruptedException {
            started.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return node + " on attempt " + context.attempt();
        }
    }

    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private TestEngine b;

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        poolB.close();
        poolA.close();
    }

    @Test
    void jobOfACrashedNodeRunsOnAnotherAndTheCrashedNodesLateCompletionIsIgnored() throws InterruptedException {
        poolA = TestDatabase.create();
        poolB = TestDatabase.anotherPool(poolA);
        Worker workerA = new Worker("a");
        Worker workerB = new Worker("b");
        TestEngine a = TestEngine.start(poolA, SETTINGS, workerA);
        UUID nodeA = a.engine().nodeId();
        UUID id = a.jobs().enqueue(Worker::work).id();
        assertThat(workerA.started.await(20, TimeUnit.SECONDS)).isTrue();
        UUID leaseA = a.engine()
                .store()
                .session()
                .readOnly(em -> em.find(JobEntity.class, id).getLease());
        assertThat(leaseA).isNotNull();

        a.crash();
        b = TestEngine.start(poolB, SETTINGS, workerB);

        assertThat(workerB.started.await(20, TimeUnit.SECONDS))
                .as("node b took the job over")
                .isTrue();
        JobInfo rerun = b.info(id);
        assertThat(rerun.state()).isEqualTo(JobState.RUNNING);
        assertThat(rerun.attempt()).isEqualTo(2);
        assertThat(rerun.nodeId()).isEqualTo(b.engine().nodeId().toString());
        assertThat(b.jobs().queries().nodes()).extracting(NodeInfo::id).doesNotContain(nodeA);

        // Node a comes back from its pause and reports the run it had: too late, its lease is void.
        Completion late = new Completion(
                id,
                leaseA,
                JobState.SUCCEEDED,
                "\"a on attempt 1\"",
                null,
                null,
                "SUCCEEDED",
                Duration.ZERO,
                1_000,
                null,
                null,
                null);
        assertThat(b.engine().store().complete(List.of(late), List.of(), Map.of(), nodeA))
                .isEmpty();
        assertThat(b.info(id).state()).isEqualTo(JobState.RUNNING);

        workerB.release.countDown();

        assertThat(b.jobs().find(id).orElseThrow().await(Duration.ofSeconds(20)))
                .isEqualTo("b on attempt 2");
        assertThat(b.engine().store().complete(List.of(late), List.of(), Map.of(), nodeA))
                .isEmpty();
        JobInfo done = b.info(id);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.resultJson()).isEqualTo("\"b on attempt 2\"");
        assertThat(b.attempts(id)).singleElement().satisfies((AttemptInfo lost) -> {
            assertThat(lost.attempt()).isEqualTo(1);
            assertThat(lost.outcome()).isEqualTo("NODE_LOST");
            assertThat(lost.nodeId()).isEqualTo(nodeA.toString());
        });
    }
}
