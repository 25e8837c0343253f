package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.Bound;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The seed example: three 3-second I/O waits run side by side on virtual threads. */
class AddExampleTest {

    public static class Calculator {
        final Map<Integer, Instant[]> runs = new ConcurrentHashMap<>();

        @Job(bound = Bound.IO)
        public int add(int a, int b) throws InterruptedException {
            Instant start = Instant.now();
            Thread.sleep(3000);
            runs.put(a, new Instant[] {start, Instant.now()});
            return a + b;
        }
    }

    private TestEngine engine;

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void threeAddsReturnTheirSumsAndTheirWaitsOverlap() {
        Calculator calculator = new Calculator();
        engine = TestEngine.start(TestDatabase.create(), calculator);

        List<JobHandle<Integer>> handles = List.of(
                engine.jobs().enqueue(Calculator::add, 1, 1),
                engine.jobs().enqueue(Calculator::add, 2, 2),
                engine.jobs().enqueue(Calculator::add, 3, 3));

        List<Integer> results =
                handles.stream().map(h -> h.await(Duration.ofSeconds(30))).toList();
        assertThat(results).containsExactly(2, 4, 6);

        // Every run started before every other ended: the three waits overlapped.
        Instant latestStart = calculator.runs.values().stream()
                .map(r -> r[0])
                .max(Instant::compareTo)
                .orElseThrow();
        Instant earliestEnd = calculator.runs.values().stream()
                .map(r -> r[1])
                .min(Instant::compareTo)
                .orElseThrow();
        assertThat(calculator.runs).hasSize(3);
        assertThat(latestStart).isBefore(earliestEnd);
    }
}
