package io.taskbound.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** How a node learns of work enqueued on another node: NOTIFY at once, or the poll without it. */
class CrossNodeWakeUpTest {

    public static class Greeter {
        final BlockingQueue<String> greeted = new LinkedBlockingQueue<>();

        @Job(name = "greeter.greet")
        public String greet(String name) {
            greeted.add(name);
            return "hello " + name;
        }
    }

    // A poll so slow that only a notification can explain a job starting within the test's wait.
    private static final Duration NEVER_POLLS = Duration.ofMinutes(10);

    @Test
    void aJobEnqueuedOnAnotherNodeIsStartedByNotifyWithoutWaitingForThePoll() throws Exception {
        HikariDataSource database = TestDatabase.create();
        TaskboundSettings slowPoll = TaskboundSettings.defaults()
                .withTimings(NEVER_POLLS, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));
        Greeter worker = new Greeter();
        try (TestEngine running = TestEngine.start(database, slowPoll, worker);
                TestEngine enqueuing = TestEngine.create(
                        TestDatabase.anotherPool(database),
                        slowPoll,
                        null,
                        RandomGenerator.getDefault(),
                        new Greeter())) {
            // A first job, however it is found, leaves the worker's dispatcher asleep for the poll.
            JobHandle<String> warmUp = enqueuing.jobs().enqueue(Greeter::greet, "warm-up");
            assertThat(worker.greeted.poll(20, TimeUnit.SECONDS)).isEqualTo("warm-up");
            running.jobs().find(warmUp.id()).orElseThrow().await(Duration.ofSeconds(20));

            JobHandle<String> greeting = enqueuing.jobs().enqueue(Greeter::greet, "ada");

            assertThat(worker.greeted.poll(20, TimeUnit.SECONDS))
                    .as("started by NOTIFY, long before the next poll")
                    .isEqualTo("ada");
            // The enqueuing node is not started; the result is read on the node that ran the job.
            assertThat(running.jobs().find(greeting.id()).orElseThrow().await(Duration.ofSeconds(20)))
                    .isEqualTo("hello ada");
        }
    }

    @Test
    void inPollOnlyModeJobsFromAnotherNodeRunAfterThePoll() {
        HikariDataSource database = TestDatabase.create();
        TaskboundSettings pollOnly = TestSettings.pollOnly(TestSettings.fast());
        Greeter worker = new Greeter();
        try (TestEngine running = TestEngine.start(database, pollOnly, worker);
                TestEngine enqueuing = TestEngine.create(
                        TestDatabase.anotherPool(database),
                        pollOnly,
                        null,
                        RandomGenerator.getDefault(),
                        new Greeter())) {
            JobHandle<String> greeting = enqueuing.jobs().enqueue(Greeter::greet, "grace");
            assertThat(running.jobs().find(greeting.id()).orElseThrow().await(Duration.ofSeconds(20)))
                    .isEqualTo("hello grace");
            assertThat(worker.greeted).containsExactly("grace");
        }
    }
}
