package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobState;
import io.taskbound.testing.MutableClock;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jobs live in the database: whatever engine starts next on it picks them up. */
class RestartTest {

    public static class Mailer {
        final List<String> sent = new CopyOnWriteArrayList<>();

        @Job
        public void send(String to) {
            sent.add(to);
        }
    }

    private final MutableClock clock = MutableClock.atNow();
    private HikariDataSource dataSource;
    private TestEngine engine;

    @BeforeEach
    void createDatabase() {
        dataSource = TestDatabase.create();
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void jobsEnqueuedBeforeAnyEngineRunsArePickedUpByTheFirstThatStarts() {
        Mailer notRunning = new Mailer();
        UUID now;
        UUID later;
        try (TestEngine application = engine(notRunning)) {
            now = application.jobs().enqueue(Mailer::send, "now").id();
            later = application
                    .jobs()
                    .schedule(Mailer::send, "later")
                    .in(Duration.ofHours(1))
                    .id();
        }

        Mailer mailer = new Mailer();
        engine = started(mailer);

        engine.awaitState(now, JobState.SUCCEEDED);
        assertThat(mailer.sent).containsExactly("now");
        assertThat(engine.info(later).state()).isEqualTo(JobState.QUEUED);
        clock.advance(Duration.ofHours(1));
        engine.engine().wake("io");
        engine.awaitState(later, JobState.SUCCEEDED);
        assertThat(mailer.sent).containsExactly("now", "later");
        assertThat(notRunning.sent).isEmpty();
    }

    @Test
    void delayedJobsSurviveARestartOfTheEngine() {
        Mailer beforeRestart = new Mailer();
        TestEngine first = started(beforeRestart);
        UUID soon = first.jobs()
                .schedule(Mailer::send, "soon")
                .in(Duration.ofMinutes(10))
                .id();
        UUID later = first.jobs()
                .schedule(Mailer::send, "later")
                .in(Duration.ofMinutes(20))
                .id();
        first.close();

        Mailer afterRestart = new Mailer();
        engine = started(afterRestart);
        assertThat(engine.jobs().queries().nodes())
                .as("the stopped node left the cluster")
                .singleElement()
                .satisfies(
                        node -> assertThat(node.id()).isEqualTo(engine.engine().nodeId()));
        assertThat(engine.info(soon).state()).isEqualTo(JobState.QUEUED);

        clock.advance(Duration.ofMinutes(10));
        engine.engine().wake("io");
        engine.awaitState(soon, JobState.SUCCEEDED);
        assertThat(engine.info(later).state()).isEqualTo(JobState.QUEUED);
        clock.advance(Duration.ofMinutes(10));
        engine.engine().wake("io");
        engine.awaitState(later, JobState.SUCCEEDED);

        assertThat(afterRestart.sent).containsExactly("soon", "later");
        assertThat(beforeRestart.sent).isEmpty();
    }

    private TestEngine engine(Mailer mailer) {
        return TestEngine.create(dataSource, TestSettings.onTestClock(), clock, RandomGenerator.getDefault(), mailer);
    }

    private TestEngine started(Mailer mailer) {
        return TestEngine.start(dataSource, TestSettings.onTestClock(), clock, RandomGenerator.getDefault(), mailer);
    }
}
