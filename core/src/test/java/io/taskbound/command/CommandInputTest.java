package io.taskbound.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Jobs;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A command that cannot be right is refused where it is given, with a message naming the input and
 * what to do, and nothing is stored; and the command job is never started by name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandInputTest {

    private final HikariDataSource dataSource = TestDatabase.create();
    private TestEngine engine;
    private Jobs jobs;

    @BeforeAll
    void create() {
        // Built, not started: enqueues are stored, nothing runs.
        engine = TestEngine.create(dataSource, TestSettings.fast(), null, RandomGenerator.getDefault());
        jobs = engine.jobs();
    }

    @AfterAll
    void close() {
        engine.close();
        dataSource.close();
    }

    @AfterEach
    void nothingIsStored() {
        assertThat(new JdbcTemplate(dataSource).queryForObject("select count(*) from taskbound_job", Long.class))
                .as("nothing was stored")
                .isZero();
    }

    @Test
    void anEmptyCommandIsRefused() {
        refused(() -> jobs.command(List.of()).enqueue(), "The command is empty: pass the program and its arguments");
        refused(() -> jobs.command().enqueue(), "The command is empty");
        refused(() -> jobs.command((String[]) null), "The command is null");
        refused(() -> jobs.command((List<String>) null), "The command is empty");
    }

    @Test
    void aNullElementOrABlankProgramIsRefused() {
        refused(() -> jobs.command(Arrays.asList("ls", null)), "Element 2 of command [ls, null] is null");
        refused(() -> jobs.command(" ", "-l"), "The program of command [ , -l] is blank");
    }

    @Test
    void anEmptyArgumentIsTakenAsItIs() {
        assertThat(CommandLine.of(List.of("ssh-keygen", "-N", "")).shown()).isEqualTo("ssh-keygen -N ''");
    }

    @Test
    void aNulCharacterIsRefusedWherever() {
        refused(() -> jobs.command("echo", "a\0b"), "Element 2 of command [echo, a\\u0000b] holds a NUL character");
        refused(
                () -> jobs.command("ls").directory(Path.of("/tmp")).environment("A", "x\0"),
                "The value of environment variable A holds a NUL character");
        refused(() -> jobs.command("ls").environment("A\0", "x"), "Environment variable name \"A\\u0000\"");
    }

    @Test
    void aRelativeDirectoryIsRefused() {
        refused(
                () -> jobs.command("ls").directory(Path.of("reports")),
                "Directory \"reports\" of a command is not an absolute path: it would be read against the working"
                        + " directory of whichever node runs the job; pass an absolute one");
        refused(() -> jobs.command("ls").directory(null), "The directory of command \"ls\" is null");
    }

    @Test
    void aBadEnvironmentVariableIsRefused() {
        refused(
                () -> jobs.command("ls").environment("A=B", "c"),
                "Environment variable name \"A=B\" holds '=', which ends a name in an environment");
        refused(() -> jobs.command("ls").environment(" ", "c"), "Environment variable name \" \" is blank");
        refused(() -> jobs.command("ls").environment(null, "c"), "Environment variable name is null");
        refused(() -> jobs.command("ls").environment("A", null), "Environment variable A has a null value");
        Map<String, String> withNullValue = new HashMap<>();
        withNullValue.put("B", null);
        refused(() -> jobs.command("ls").environment(withNullValue), "Environment variable B has a null value");
        refused(() -> jobs.command("ls").environment(null), "The environment variables are null");
    }

    @Test
    void aBadTimeoutLaneOrAttemptCountIsRefused() {
        refused(
                () -> jobs.command("ls").timeout(Duration.ZERO),
                "Timeout of job \"taskbound.command\" must be positive");
        refused(() -> jobs.command("ls").timeout(null), "The timeout of command \"ls\" is null");
        refused(() -> jobs.command("ls").lane("nowhere"), "Unknown lane \"nowhere\" for job \"taskbound.command\"");
        refused(
                () -> jobs.command("ls").maxAttempts(0),
                "Max attempts of job \"taskbound.command\" must be at least 1");
    }

    @Test
    void theCommandJobIsNeverStartedByName() {
        refused(
                () -> jobs.enqueue(CommandJob.NAME, "[{\"command\": [\"ls\"]}]"),
                "Job \"taskbound.command\" is Taskbound's own and cannot be started by name: enqueue a command from"
                        + " the application's code with jobs.command(...)");
        refused(
                () -> jobs.recurring("every-minute")
                        .every(Duration.ofMinutes(1))
                        .call(CommandJob.NAME, "[]"),
                "cannot be started by name");
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
