package io.taskbound.advice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Bound;
import io.taskbound.BoundAdvice;
import io.taskbound.BoundAdvice.Observed;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The bound advisor on known workloads: a job that computes declared IO (on virtual threads, whose
 * CPU only JFR's samples see), a job that sleeps declared CPU (on platform threads, measured), and a
 * job that allocates heavily declared IO are each flagged with the bound that fits; the same work
 * declared rightly is not.
 */
class BoundAdvisorTest {

    private static final int RUNS = 12;
    private static final long ALLOCATED_PER_RUN = 96L * 1024 * 1024;

    public static class Workloads {

        static volatile long sink;

        @Job(name = "advice.computesDeclaredIo", bound = Bound.IO)
        public void computesDeclaredIo() {
            burn(Duration.ofMillis(60));
        }

        @Job(name = "advice.computesDeclaredCpu", bound = Bound.CPU)
        public void computesDeclaredCpu() {
            burn(Duration.ofMillis(60));
        }

        @Job(name = "advice.sleepsDeclaredCpu", bound = Bound.CPU)
        public void sleepsDeclaredCpu() throws InterruptedException {
            Thread.sleep(60);
        }

        @Job(name = "advice.sleepsDeclaredIo", bound = Bound.IO)
        public void sleepsDeclaredIo() throws InterruptedException {
            Thread.sleep(60);
        }

        @Job(name = "advice.allocatesDeclaredIo", bound = Bound.IO)
        public void allocatesDeclaredIo() {
            long sum = 0;
            for (int i = 0; i < ALLOCATED_PER_RUN / (1024 * 1024); i++) {
                byte[] chunk = new byte[1024 * 1024];
                chunk[i] = (byte) i;
                sum += chunk[i];
            }
            sink = sum;
        }

        private static void burn(Duration cpu) {
            long end = System.nanoTime() + cpu.toNanos();
            long x = 1;
            while (System.nanoTime() < end) {
                x = x * 31 + 7;
            }
            sink = x;
        }
    }

    private final HikariDataSource dataSource = TestDatabase.create();
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger advisorLog = (Logger) LoggerFactory.getLogger(Advisor.class);
    private TestEngine engine;

    @AfterEach
    void stop() {
        advisorLog.detachAppender(warnings);
        if (engine != null) {
            engine.close();
        }
        dataSource.close();
    }

    @Test
    void eachMisdeclaredJobIsFlaggedWithTheBoundThatFitsAndRightlyDeclaredOnesAreNot() {
        warnings.start();
        advisorLog.addAppender(warnings);
        advisorLog.setLevel(Level.INFO);
        Advisor.Settings settings =
                new Advisor.Settings(Duration.ofMinutes(10), RUNS, ALLOCATED_PER_RUN / 4, Duration.ofMillis(10));
        engine = TestEngine.startWith(
                dataSource, TestSettings.fast(), null, builder -> builder.advisor(settings), new Workloads());

        // One workload at a time: computing jobs of two lanes at once would share the cores, and
        // each would compute for only part of its wall time.
        runAll(() -> engine.jobs().enqueue(Workloads::computesDeclaredIo));
        runAll(() -> engine.jobs().enqueue(Workloads::computesDeclaredCpu));
        runAll(() -> engine.jobs().enqueue(Workloads::sleepsDeclaredCpu));
        runAll(() -> engine.jobs().enqueue(Workloads::sleepsDeclaredIo));
        runAll(() -> engine.jobs().enqueue(Workloads::allocatesDeclaredIo));

        // JFR hands its samples over about once a second: the virtual threads' figures come late.
        Map<String, BoundAdvice> advice = await("the advisor's findings")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> byName(engine.jobs().advisor().observations()),
                        seen -> seen.size() == 5
                                && seen.get("advice.computesDeclaredIo").mismatch()
                                && seen.get("advice.allocatesDeclaredIo").mismatch());

        assertThat(advice.get("advice.computesDeclaredIo")).satisfies(found -> {
            assertThat(found.observed()).isEqualTo(Observed.CPU_BOUND);
            assertThat(found.suggested()).isEqualTo(Bound.CPU);
            assertThat(found.lane()).isEqualTo("io");
            assertThat(found.reason()).contains("declare @Job(bound = Bound.CPU)");
        });
        assertThat(advice.get("advice.sleepsDeclaredCpu")).satisfies(found -> {
            assertThat(found.observed()).isEqualTo(Observed.IO_BOUND);
            assertThat(found.suggested()).isEqualTo(Bound.IO);
            assertThat(found.cpuShare()).isLessThan(0.2);
        });
        assertThat(advice.get("advice.allocatesDeclaredIo")).satisfies(found -> {
            assertThat(found.observed()).isEqualTo(Observed.MEMORY_HEAVY);
            assertThat(found.suggested()).isEqualTo(Bound.MEMORY);
            // Estimated from JFR's allocation samples: near the 96 MB allocated, not exact.
            assertThat(found.allocatedBytesPerRun()).isBetween(ALLOCATED_PER_RUN / 4, ALLOCATED_PER_RUN * 2);
        });
        // Measured CPU time: on a machine short of cores it is less than the job wanted, so this one
        // may look MIXED there; it must never be taken for waiting.
        assertThat(advice.get("advice.computesDeclaredCpu")).satisfies(found -> {
            assertThat(found.observed()).isIn(Observed.CPU_BOUND, Observed.MIXED);
            assertThat(found.mismatch()).isFalse();
        });
        assertThat(advice.get("advice.sleepsDeclaredIo")).satisfies(found -> {
            assertThat(found.observed()).isEqualTo(Observed.IO_BOUND);
            assertThat(found.mismatch()).isFalse();
        });
        assertThat(engine.jobs().advisor().findings())
                .extracting(BoundAdvice::jobName)
                .containsExactly("advice.allocatesDeclaredIo", "advice.computesDeclaredIo", "advice.sleepsDeclaredCpu");
        List<String> warned = await("one warning per misdeclared job")
                .atMost(Duration.ofSeconds(15))
                .until(
                        () -> List.copyOf(warnings.list).stream()
                                .filter(line -> line.getLevel() == Level.WARN)
                                .map(ILoggingEvent::getFormattedMessage)
                                .toList(),
                        lines -> lines.size() == 3);
        assertThat(warned)
                .anyMatch(
                        line -> line.startsWith("Job \"advice.computesDeclaredIo\" is declared @Job(bound = Bound.IO)"))
                .anyMatch(
                        line -> line.startsWith("Job \"advice.sleepsDeclaredCpu\" is declared @Job(bound = Bound.CPU)"))
                .anyMatch(line -> line.startsWith("Job \"advice.allocatesDeclaredIo\""));
    }

    @Test
    void aJobWithFewerRunsThanTheMinimumIsNotJudged() {
        engine = TestEngine.startWith(
                dataSource,
                TestSettings.fast(),
                null,
                builder -> builder.advisor(new Advisor.Settings(Duration.ofMinutes(10), 50, 1L << 30, null)),
                new Workloads());

        engine.jobs().enqueue(Workloads::sleepsDeclaredCpu).await(Duration.ofSeconds(30));

        assertThat(engine.jobs().advisor().observations()).singleElement().satisfies(found -> {
            assertThat(found.observed()).isEqualTo(Observed.UNKNOWN);
            assertThat(found.mismatch()).isFalse();
            assertThat(found.reason()).contains("1 run(s) so far; the advisor needs 50");
        });
    }

    private static void runAll(java.util.function.Supplier<JobHandle<Void>> enqueue) {
        List<JobHandle<Void>> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            runs.add(enqueue.get());
        }
        runs.forEach(run -> run.await(Duration.ofMinutes(2)));
    }

    private static Map<String, BoundAdvice> byName(List<BoundAdvice> advice) {
        return advice.stream().collect(Collectors.toMap(BoundAdvice::jobName, Function.identity()));
    }
}
