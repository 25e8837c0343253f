package io.taskbound.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.CommandResult;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobLogLine;
import io.taskbound.JobState;
import io.taskbound.loop.Loop;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * External commands as jobs, through {@code jobs.command(...)}: the command job is built in, and
 * runs on every node that runs jobs. Output reaches the job's log, exit codes become outcomes, and a
 * timeout or a cancellation kills the command with every process it started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandJobTest {

    private final HikariDataSource dataSource = TestDatabase.create();
    private TestEngine engine;

    @BeforeAll
    void start() {
        engine = TestEngine.start(dataSource, TestSettings.fast(), new CommandTestJobs());
    }

    @AfterAll
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void aCommandThatExitsWithZeroSucceedsWithItsOutputInTheJobLog() {
        JobHandle<CommandResult> handle = engine.jobs()
                .command("sh", "-c", "echo one; echo two >&2; echo three")
                .enqueue();

        CommandResult result = handle.await(Duration.ofSeconds(30));

        assertThat(result.exitCode()).isZero();
        assertThat(result.durationMillis()).isNotNegative();
        assertThat(engine.info(handle.id()).resultJson()).contains("\"exitCode\"");
        List<String> lines = awaitLogLines(handle.id(), 3);
        assertThat(lines).containsExactlyInAnyOrder("one", "stderr: two", "three");
        assertThat(lines.stream().filter(line -> !line.startsWith("stderr: ")))
                .as("stdout in its order")
                .containsExactly("one", "three");
    }

    @Test
    void aCommandThatExitsWithAnotherCodeFailsWithTheCodeAndTheLastLinesAndIsRetried() {
        UUID id = engine.jobs()
                .command("sh", "-c", "for i in $(seq 1 30); do echo line $i; done; echo broken >&2; exit 3")
                .maxAttempts(2)
                .enqueue()
                .id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).as("retried as its attempts allow").isEqualTo(2);
        assertThat(dead.error())
                .startsWith(CommandFailedException.class.getName() + ": Command \"sh -c 'for i in")
                .contains("exited with code 3 after ")
                .contains("\n-- its last 20 lines of stdout:\nline 11\n")
                .contains("line 30\n-- its last line of stderr:\nbroken")
                .doesNotContain("line 10\n");
        assertThat(engine.attempts(id)).extracting(AttemptInfo::outcome).containsExactly("FAILED", "FAILED");
    }

    @Test
    void aCommandKilledByASignalSaysWhichSignal() {
        UUID id = engine.jobs()
                .command("sh", "-c", "kill -9 $$")
                .maxAttempts(1)
                .enqueue()
                .id();

        assertThat(engine.awaitState(id, JobState.DEAD).error())
                .contains("exited with code 137, which is how a kill by signal 9 (SIGKILL) shows")
                .contains("it wrote no output");
    }

    @Test
    void aTimeoutKillsTheCommandAndEveryProcessItStarted() {
        UUID id = engine.jobs()
                .command("sh", "-c", "sleep 300 & echo child $!; sleep 300 & echo child $!; echo shell $$; wait")
                .timeout(Duration.ofSeconds(2))
                .maxAttempts(1)
                .enqueue()
                .id();
        List<Long> pids = awaitPids(id);

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.error()).startsWith("io.taskbound.JobTimeoutException: Job \"taskbound.command\" timed out");
        assertThat(engine.attempts(id)).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo("TIMED_OUT");
            assertThat(attempt.stackTrace()).contains("was killed when its run was interrupted, with 2 processes");
        });
        await("the command and its children gone")
                .atMost(Duration.ofSeconds(10))
                .until(() -> pids.stream().allMatch(CommandJobTest::gone));
    }

    @Test
    void aCancellationKillsTheCommandAndEveryProcessItStarted() {
        UUID id = engine.jobs()
                .command("sh", "-c", "sleep 300 & echo child $!; echo shell $$; wait")
                .enqueue()
                .id();
        List<Long> pids = awaitPids(id);

        assertThat(engine.jobs().cancel(id)).isTrue();

        assertThat(engine.awaitState(id, JobState.CANCELLED).attempt()).isEqualTo(1);
        await("the command and its child gone")
                .atMost(Duration.ofSeconds(10))
                .until(() -> pids.stream().allMatch(CommandJobTest::gone));
    }

    @Test
    void theDirectoryAndTheEnvironmentAreApplied(@TempDir Path directory) throws IOException {
        Path real = directory.toRealPath();
        UUID id = engine.jobs()
                .command("sh", "-c", "echo \"$GREETING $NAME from $(pwd)\"")
                .directory(real)
                .environment("GREETING", "hello")
                .environment(Map.of("NAME", "Ada"))
                .enqueue()
                .id();

        engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(awaitLogLines(id, 1)).containsExactly("hello Ada from " + real);
    }

    @Test
    void theCommandInheritsTheNodesEnvironment() {
        UUID id = engine.jobs().command("sh", "-c", "echo \"$PATH\"").enqueue().id();

        engine.awaitState(id, JobState.SUCCEEDED);

        assertThat(awaitLogLines(id, 1)).containsExactly(System.getenv("PATH"));
    }

    @Test
    void aProgramThatDoesNotExistFailsAtOnceWithoutRetries() {
        UUID id = engine.jobs()
                .command("taskbound-no-such-program", "--help")
                .maxAttempts(5)
                .enqueue()
                .id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.error())
                .contains("Command \"taskbound-no-such-program --help\" could not start")
                .contains("program \"taskbound-no-such-program\" cannot be run on this node")
                .contains("install it")
                .contains("or pass its absolute path");
    }

    @Test
    void aDirectoryMissingOnTheNodeFailsAtOnceWithoutRetries(@TempDir Path parent) {
        Path missing = parent.resolve("missing");
        UUID id = engine.jobs()
                .command("ls")
                .directory(missing)
                .maxAttempts(5)
                .enqueue()
                .id();

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).isEqualTo(1);
        assertThat(dead.error())
                .contains("Command \"ls\" cannot run in directory \"" + missing + "\": it does not exist on this node")
                .contains("create it here");
    }

    @Test
    void aCommandThatReadsItsInputSeesItsEndAtOnce() {
        JobHandle<CommandResult> handle = engine.jobs().command("cat").enqueue();

        assertThat(handle.await(Duration.ofSeconds(30)).exitCode()).isZero();
    }

    @Test
    void aNodeWithoutJobsOfItsOwnEnqueuesCommandsButRunsNone() {
        try (HikariDataSource own = TestDatabase.create();
                TestEngine enqueuer = TestEngine.start(own, TestSettings.fast())) {
            UUID id = enqueuer.jobs().command("true").enqueue().id();

            assertThat(enqueuer.info(id).state()).isEqualTo(JobState.QUEUED);
            assertThat(enqueuer.engine().loops())
                    .extracting(Loop.Status::name)
                    .noneMatch(name -> name.endsWith("-dispatcher"));
        }
    }

    private List<String> awaitLogLines(UUID id, int count) {
        return await("the job's log lines")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> engine.logs(id).stream().map(JobLogLine::message).toList(),
                        lines -> lines.size() >= count);
    }

    // The pids the command logged as "child N" and "shell N", once the shell's own is in.
    private List<Long> awaitPids(UUID id) {
        List<String> lines = await("the command's pids")
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> engine.logs(id).stream().map(JobLogLine::message).toList(),
                        logged -> logged.stream().anyMatch(line -> line.startsWith("shell ")));
        Pattern pid = Pattern.compile("^(?:child|shell) (\\d+)$");
        return lines.stream()
                .map(pid::matcher)
                .filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1)))
                .toList();
    }

    // Killed, or a zombie that nobody reaped: an orphan's parent here may be an init that never does.
    private static boolean gone(long pid) {
        if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException vanished) {
            return true;
        }
    }
}
