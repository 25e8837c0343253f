package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.loop.Loop;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.StatementCounter;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a node with nothing to do costs the database: at most one statement a second, every loop
 * together (heartbeat, dead-node sweep, looks for unannounced work and schedules, pruning, the
 * transactions around them), counted under the connection pool.
 */
class IdleCostTest {

    public static class Reports {
        @Job(name = "reports.render")
        public void render(long id) {}
    }

    // Long enough to hold every periodic look of an idle node but the minute's pruning: the
    // heartbeat's 2 s, the sweep's up to 10 s, the 30 s looks for work and schedules, and the LISTEN
    // connection's 30 s check.
    private static final Duration WINDOW = Duration.ofSeconds(31);

    @Test
    void anIdleNodeWithTheDefaultSettingsSendsAtMostOneStatementASecond() {
        StatementCounter counter = new StatementCounter();
        try (HikariDataSource database = TestDatabase.create();
                HikariDataSource counted = TestDatabase.counted(database, counter);
                TestEngine node = TestEngine.start(counted, TaskboundSettings.defaults(), new Reports())) {
            await("every loop's first iteration")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> node.engine().loops().stream().allMatch(loop -> loop.lastSuccess() != null));
            counter.reset();
            long start = System.nanoTime();

            await("the measured window, every loop staying up")
                    .during(WINDOW)
                    .atMost(WINDOW.plusSeconds(10))
                    .until(() -> node.engine().loops().stream().noneMatch(Loop.Status::dead));

            double seconds = (System.nanoTime() - start) / 1e9;
            double perSecond = counter.statements() / seconds;
            String sent = describe(counter.byStatement());
            System.out.printf(
                    "Idle node: %d statements in %.1f s (%.2f/s) and %d connection checks:%n%s%n",
                    counter.statements(), seconds, perSecond, counter.checks(), sent);
            assertThat(perSecond)
                    .as("statements per second of an idle node; it sent:%n%s", sent)
                    .isLessThanOrEqualTo(1.0);
        }
    }

    private static String describe(Map<String, Long> statements) {
        return statements.entrySet().stream()
                .map(e -> String.format(
                        "%5d  %s",
                        e.getValue(), e.getKey().length() > 110 ? e.getKey().substring(0, 110) + "..." : e.getKey()))
                .collect(Collectors.joining("\n"));
    }
}
