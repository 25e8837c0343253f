package io.taskbound.advice;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.Bound;
import io.taskbound.BoundAdvice;
import io.taskbound.BoundAdvice.Observed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the advisor reads a job name's figures: each kind, each suggestion, and where it keeps quiet. */
class BoundRulesTest {

    private static final long MB = 1024 * 1024;
    private final BoundRules rules = new BoundRules(20, 1024 * MB);

    @ParameterizedTest(name = "{0} declared, CPU {1} of wall: {2}, suggest {3}")
    @CsvSource({
        "IO,          0.95, CPU_BOUND, CPU",
        "NETWORK,     0.70, CPU_BOUND, CPU",
        "CONCURRENCY, 0.61, CPU_BOUND, CPU",
        "CPU,         0.95, CPU_BOUND, ",
        "LATENCY,     0.95, CPU_BOUND, ",
        "CPU,         0.05, IO_BOUND,  IO",
        "THROUGHPUT,  0.10, IO_BOUND,  IO",
        "IO,          0.05, IO_BOUND,  ",
        "DISK,        0.05, IO_BOUND,  ",
        "CPU,         0.40, MIXED,     ",
        "IO,          0.40, MIXED,     "
    })
    void computingAndWaitingJobsAreToldApartAndMisdeclaredOnesGetTheBoundThatFits(
            Bound declared, double cpuShare, Observed observed, Bound suggested) {
        BoundAdvice advice = rules.advise("reports.render", declared, figures(40, cpuShare, 10 * MB));

        assertThat(advice.observed()).isEqualTo(observed);
        assertThat(advice.suggested()).isEqualTo(suggested);
        assertThat(advice.cpuShare()).isCloseTo(cpuShare, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(advice.waitingShare()).isCloseTo(1 - cpuShare, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aJobThatAllocatesGigabytesOutsideTheMemoryLaneBelongsThere() {
        BoundAdvice outside = rules.advise("reports.index", Bound.CPU, figures(40, 0.9, 3072 * MB));
        BoundAdvice inside = rules.advise("reports.index", Bound.MEMORY, figures(40, 0.9, 3072 * MB));

        assertThat(outside.observed()).isEqualTo(Observed.MEMORY_HEAVY);
        assertThat(outside.suggested()).isEqualTo(Bound.MEMORY);
        assertThat(outside.allocatedBytesPerRun()).isEqualTo(3072 * MB);
        assertThat(outside.reason())
                .isEqualTo("Job \"reports.index\" is declared @Job(bound = Bound.CPU) but its runs allocate or hold"
                        + " 3,072 MB each, over 40 runs: declare @Job(bound = Bound.MEMORY) to run it on the memory"
                        + " lane, in a worker JVM with a heap of its own.");
        assertThat(inside.mismatch()).isFalse();
    }

    @Test
    void confidenceGrowsWithRunsAndWithTheDistanceFromTheLine() {
        double fewRunsNearTheLine =
                rules.advise("a", Bound.IO, figures(20, 0.65, 0)).confidence();
        double fewRunsFarFromIt =
                rules.advise("a", Bound.IO, figures(20, 1.0, 0)).confidence();
        double manyRunsFarFromIt =
                rules.advise("a", Bound.IO, figures(40, 1.0, 0)).confidence();

        assertThat(fewRunsNearTheLine).isLessThan(fewRunsFarFromIt);
        assertThat(fewRunsFarFromIt).isEqualTo(0.75);
        assertThat(manyRunsFarFromIt).isEqualTo(1.0);
    }

    @Test
    void tooFewRunsOrNoCpuTimeSayNothing() {
        BoundAdvice few = rules.advise("a", Bound.IO, figures(19, 1.0, 0));
        BoundAdvice unmeasured =
                rules.advise("a", Bound.IO, new RunProfile.Figures("io", 40, 40_000_000, 0, 0, 0, 0, 0, -1));

        assertThat(few.observed()).isEqualTo(Observed.UNKNOWN);
        assertThat(few.confidence()).isZero();
        assertThat(few.reason()).contains("19 run(s) so far; the advisor needs 20");
        assertThat(unmeasured.observed()).isEqualTo(Observed.UNKNOWN);
        assertThat(unmeasured.cpuShare()).isNull();
        assertThat(unmeasured.reason()).contains("no CPU time measured or sampled");
        assertThat(unmeasured.mismatch()).isFalse();
    }

    // runs of 100 ms each, spending cpuShare of it on CPU and allocating perRun bytes.
    private static RunProfile.Figures figures(long runs, double cpuShare, long perRun) {
        long wall = runs * 100_000_000L;
        return new RunProfile.Figures(
                "io", runs, wall, Math.round(wall * cpuShare), wall, perRun * runs, runs, wall, -1);
    }
}
