package io.taskbound.advice;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.taskbound.LaneAdvice;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The lane watch on looks it is handed, with a clock and a CPU counter the test moves: a lane full
 * of waiting work on an idle CPU is flagged once the window is half looked at, and warned of once;
 * a busy CPU, a lane with free slots and a paused lane are not.
 */
class LaneWatchTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final int PROCESSORS = 4;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final AtomicLong cpu = new AtomicLong();
    private final AtomicReference<List<LaneLoad>> loads = new AtomicReference<>(List.of());
    private final AtomicReference<Set<String>> paused = new AtomicReference<>(Set.of());
    private final LaneWatch watch = new LaneWatch(
            loads::get,
            paused::get,
            Duration.ofSeconds(60),
            LaneWatch.Settings.defaults(),
            cpu::get,
            () -> PROCESSORS,
            now::get);
    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private final Logger watchLog = (Logger) LoggerFactory.getLogger(LaneWatch.class);

    @BeforeEach
    void listen() {
        warnings.start();
        watchLog.addAppender(warnings);
        watchLog.setLevel(Level.INFO);
    }

    @AfterEach
    void stopListening() {
        watchLog.detachAppender(warnings);
    }

    @Test
    void aFullLaneWithWorkWaitingOnAnIdleCpuIsFlaggedOnceHalfTheWindowIsSeenAndWarnedOfOnce() {
        loads.set(List.of(new LaneLoad("reports", 2, 2, 3, true), new LaneLoad("io", 100, 5, 0, false)));

        lookEverySecond(29, 0.10);
        assertThat(watch.findings()).as("before half the window").isEmpty();
        lookEverySecond(10, 0.10);

        List<LaneAdvice> found = watch.findings();
        assertThat(found).singleElement().satisfies(advice -> {
            assertThat(advice.lane()).isEqualTo("reports");
            assertThat(advice.saturatedShare()).isEqualTo(1.0);
            assertThat(advice.averageHeld()).isEqualTo(3.0);
            assertThat(advice.cpuBusyShare()).isCloseTo(0.10, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(advice.suggestedConcurrency()).isEqualTo(8);
        });
        lookEverySecond(5, 0.10);
        assertThat(warnings.list)
                .filteredOn(line -> line.getLevel() == Level.WARN)
                .singleElement()
                .satisfies(line -> assertThat(line.getFormattedMessage())
                        .startsWith("Lane \"reports\" ran all 2 of its slots")
                        .contains("Set taskbound.lanes.reports.concurrency=8")
                        .endsWith("(bound advisor)"));
    }

    @Test
    void aFullLaneOnABusyCpuIsNotFlagged() {
        loads.set(List.of(new LaneLoad("cpu", 4, 4, 4, true)));

        lookEverySecond(40, 0.95);

        assertThat(watch.findings()).isEmpty();
        assertThat(warnings.list).noneMatch(line -> line.getLevel() == Level.WARN);
    }

    @Test
    void aLaneFullWithNothingWaitingIsNotFlagged() {
        loads.set(List.of(new LaneLoad("reports", 2, 2, 0, false)));

        lookEverySecond(40, 0.05);

        assertThat(watch.findings()).isEmpty();
    }

    @Test
    void aPausedLaneIsNotFlaggedNorWarnedOf() {
        loads.set(List.of(new LaneLoad("reports", 1, 1, 5, true)));
        paused.set(Set.of("reports"));

        lookEverySecond(40, 0.05);

        assertThat(watch.findings()).isEmpty();
        assertThat(warnings.list).noneMatch(line -> line.getLevel() == Level.WARN);
        paused.set(Set.of());
        assertThat(watch.findings()).extracting(LaneAdvice::lane).containsExactly("reports");
    }

    @Test
    void looksOlderThanTheWindowAreForgotten() {
        loads.set(List.of(new LaneLoad("reports", 1, 1, 5, true)));
        lookEverySecond(40, 0.05);
        assertThat(watch.findings()).isNotEmpty();

        loads.set(List.of(new LaneLoad("reports", 1, 0, 0, false)));
        lookEverySecond(61, 0.05);

        assertThat(watch.findings()).isEmpty();
    }

    // Looks `times` times, a second apart, the process keeping `busy` of the processors busy.
    private void lookEverySecond(int times, double busy) {
        for (int i = 0; i < times; i++) {
            now.addAndGet(SECOND);
            cpu.addAndGet((long) (busy * SECOND * PROCESSORS));
            watch.look();
            watch.warnOnce();
        }
    }
}
