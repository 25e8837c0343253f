package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.UnknownJobException;
import io.taskbound.store.JobIds;
import io.taskbound.store.NewJob;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Input that cannot work is refused when it is given, naming what was wrong, and never retried. */
class BadInputTest {

    public static class Calculator {
        final AtomicInteger runs = new AtomicInteger();

        @Job(name = "calc.add")
        public int add(int a, int b) {
            runs.incrementAndGet();
            return a + b;
        }
    }

    private static final Calculator calculator = new Calculator();
    private static HikariDataSource dataSource;
    private static TestEngine engine;

    @BeforeAll
    static void start() {
        dataSource = TestDatabase.create();
        engine = TestEngine.start(dataSource, TestSettings.fast(), calculator);
    }

    @AfterAll
    static void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void unknownJobNameIsRefusedWithTheNamesThatAreKnown() {
        assertThatThrownBy(() -> engine.jobs().enqueue("calc.substract", "[1, 2]"))
                .isInstanceOf(UnknownJobException.class)
                .hasMessageContaining("Unknown job \"calc.substract\"")
                .hasMessageContaining("known: [calc.add]");
    }

    @Test
    void argumentsThatDoNotDecodeAreRefusedNamingTheJobAndTheArgument() {
        long before = storedJobs();

        assertThatThrownBy(() -> engine.jobs().enqueue("calc.add", "[\"one\", 2]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Argument 1 (a: int) of job \"calc.add\"")
                .hasMessageContaining("\"one\"");
        assertThatThrownBy(() -> engine.jobs().enqueue("calc.add", "[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job \"calc.add\" must be a JSON array of 2 values (a: int, b: int)");
        assertThatThrownBy(() -> engine.jobs().enqueue("calc.add", "1, 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("calc.add");
        assertThatThrownBy(() -> engine.jobs().enqueue("calc.add", "{1, 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Arguments of job \"calc.add\" are not valid JSON");
        assertThat(storedJobs()).as("nothing was stored").isEqualTo(before);
    }

    @Test
    void argumentsByNameThatFitRunAndTheResultHasTheMethodsType() {
        assertThat(engine.jobs().enqueue("calc.add", "[2, 3]").await(Duration.ofSeconds(20)))
                .isEqualTo(5);
    }

    @Test
    void storedArgumentsThatNoLongerDecodeEndTheJobDeadWithoutRetries() {
        int runsBefore = calculator.runs.get();
        UUID id = engine.engine()
                .store()
                .insert(new NewJob(
                        JobIds.next(),
                        "calc.add",
                        "io",
                        Bound.IO,
                        0,
                        null,
                        Duration.ZERO,
                        5,
                        null,
                        "[\"one\", 2]",
                        null));
        engine.engine().wake("io");

        JobInfo dead = engine.awaitState(id, JobState.DEAD);

        assertThat(dead.attempt()).as("no retries").isEqualTo(1);
        assertThat(dead.maxAttempts()).isEqualTo(5);
        assertThat(dead.error())
                .contains("ArgumentDecodingException")
                .contains("Argument 1 (a: int) of job \"calc.add\"")
                .contains("\"one\"");
        assertThat(engine.attempts(id))
                .singleElement()
                .satisfies(attempt -> assertThat(attempt.outcome()).isEqualTo("FAILED"));
        assertThat(calculator.runs.get()).as("the method was never called").isEqualTo(runsBefore);
    }

    private static long storedJobs() {
        return new JdbcTemplate(dataSource).queryForObject("select count(*) from taskbound_job", Long.class);
    }
}
