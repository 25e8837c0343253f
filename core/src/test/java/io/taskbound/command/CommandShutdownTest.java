package io.taskbound.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.JobLogLine;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** A command still running when its node stops is killed once the shutdown timeout is up. */
class CommandShutdownTest {

    private final HikariDataSource dataSource = TestDatabase.create();

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aCommandStillRunningAtShutdownIsKilledAndItsJobRequeued() {
        // The default test settings give running jobs 5 s to end.
        TestEngine engine = TestEngine.start(dataSource, TestSettings.fast(), new CommandTestJobs());
        UUID id = engine.jobs()
                .command("sh", "-c", "echo shell $$; sleep 300")
                .enqueue()
                .id();
        long pid = await("the command's pid")
                .atMost(Duration.ofSeconds(20))
                .until(
                        () -> engine.logs(id).stream()
                                .map(JobLogLine::message)
                                .filter(line -> line.startsWith("shell "))
                                .map(line -> Long.parseLong(line.substring(6)))
                                .findFirst()
                                .orElse(null),
                        found -> found != null);

        engine.close();

        await("the command gone")
                .atMost(Duration.ofSeconds(10))
                .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(new JdbcTemplate(dataSource)
                        .queryForObject("select state from taskbound_job where id = ?", String.class, id))
                .isEqualTo("QUEUED");
    }
}
