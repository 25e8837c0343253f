package io.taskbound.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.CommandResult;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobLogLine;
import io.taskbound.JobState;
import io.taskbound.settings.LaneSettings;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A command sent to a {@code process} lane runs from a worker JVM: not the default, since the worker
 * would only wait, but it works as on any lane.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandOnProcessLaneTest {

    private final HikariDataSource dataSource = TestDatabase.create();
    private TestEngine engine;

    @BeforeAll
    void start() {
        engine = TestEngine.startWith(
                dataSource,
                TestSettings.fast()
                        .withLane(
                                "worker",
                                new LaneSettings(
                                        "process", 1, 30, 1, null, 1, Duration.ofMillis(10), Duration.ofMillis(10))),
                null,
                builder -> builder.processWorkers((lane, defaults) -> defaults.withHeap("64m")
                        .withJvmOptions(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))),
                new CommandTestJobs());
    }

    @AfterAll
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void aCommandOnAProcessLaneRunsFromAWorkerWithItsOutputInTheLog() {
        JobHandle<CommandResult> handle = engine.jobs()
                .command("sh", "-c", "echo from $PPID")
                .lane("worker")
                .enqueue();

        assertThat(handle.await(Duration.ofSeconds(60)).exitCode()).isZero();
        String line = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> engine.logs(handle.id()).stream()
                                .map(JobLogLine::message)
                                .findFirst()
                                .orElse(null),
                        message -> message != null);
        assertThat(line)
                .startsWith("from ")
                .isNotEqualTo("from " + ProcessHandle.current().pid());
    }

    @Test
    void aProgramThatDoesNotExistFailsAtOnceFromAWorkerToo() {
        UUID id = engine.jobs()
                .command("taskbound-no-such-program")
                .lane("worker")
                .maxAttempts(3)
                .enqueue()
                .id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.error()).contains("program \"taskbound-no-such-program\" cannot be run on this node");
    }
}
