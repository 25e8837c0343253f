package io.taskbound.event;

import static io.taskbound.JobEvent.Kind.FAILED;
import static io.taskbound.JobEvent.Kind.STARTED;
import static io.taskbound.JobEvent.Kind.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobEvent;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node whose sweep recovers the running job of a dead node reports that attempt failed, then
 * its own run of the job, in order.
 */
class DeadNodeEventsTest {

    // Heartbeat every 200 ms, dead after 1 s.
    private static final TaskboundSettings SETTINGS = TaskboundSettings.defaults()
            .withTimings(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2));

    public static class Worker {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Job(name = "events.work", maxAttempts = 3)
        public int work(JobContext context) throws InterruptedException {
            started.countDown();
            release.await(60, TimeUnit.SECONDS);
            return context.attempt();
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
    void theSweepingNodeReportsTheLostAttemptFailedThenItsOwnRun() throws InterruptedException {
        poolA = TestDatabase.create();
        poolB = TestDatabase.anotherPool(poolA);
        Worker workerA = new Worker();
        Worker workerB = new Worker();
        TestEngine a = TestEngine.start(poolA, SETTINGS, workerA);
        UUID nodeA = a.engine().nodeId();
        UUID id = a.jobs().enqueue(Worker::work).id();
        assertThat(workerA.started.await(20, TimeUnit.SECONDS)).isTrue();
        a.crash();

        RecordingListener events = new RecordingListener();
        b = TestEngine.startWith(poolB, SETTINGS, null, builder -> builder.listener(events), workerB);
        assertThat(workerB.started.await(20, TimeUnit.SECONDS)).isTrue();
        workerB.release.countDown();
        events.await(id, SUCCEEDED);

        assertThat(events.kindsOf(id)).as("node b never saw the enqueue").containsExactly(FAILED, STARTED, SUCCEEDED);
        JobEvent lost = events.of(id).getFirst();
        assertThat(lost.attempt()).isEqualTo(1);
        assertThat(lost.maxAttempts()).isEqualTo(3);
        assertThat(lost.error()).isEqualTo("Node " + nodeA + " stopped heartbeating during attempt 1");
        assertThat(lost.runTime()).isNull();
        JobEvent rerun = events.of(id).get(1);
        assertThat(rerun.attempt()).isEqualTo(2);
        assertThat(rerun.dueAt()).as("queued again at the sweep").isEqualTo(lost.at());
        assertThat(events.of(id).get(2).attempt()).isEqualTo(2);
    }
}
