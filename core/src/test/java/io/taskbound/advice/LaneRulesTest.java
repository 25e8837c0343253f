package io.taskbound.advice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.taskbound.LaneAdvice;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the advisor reads a lane's looks: the thresholds, the suggestion, and where it keeps quiet. */
class LaneRulesTest {

    private final LaneRules rules = new LaneRules(0.5, 0.5);

    @Test
    void aLaneSaturatedWithWorkWaitingWhileTheCpuIdlesIsFlaggedWithItsFigures() {
        // 40 looks, 36 saturated with 3 jobs held at each; CPU 10 % busy meanwhile.
        LaneAdvice advice = rules.advise("reports", 2, new LaneTally.Figures(40, 36, 108, 10, 100));

        assertThat(advice).isNotNull();
        assertThat(advice.lane()).isEqualTo("reports");
        assertThat(advice.concurrency()).isEqualTo(2);
        assertThat(advice.samples()).isEqualTo(40);
        assertThat(advice.saturatedShare()).isCloseTo(0.9, offset(1e-9));
        assertThat(advice.averageHeld()).isCloseTo(3.0, offset(1e-9));
        assertThat(advice.cpuBusyShare()).isCloseTo(0.1, offset(1e-9));
        assertThat(advice.suggestedConcurrency()).isEqualTo(8);
        assertThat(advice.setting()).isEqualTo("taskbound.lanes.reports.concurrency=8");
        assertThat(advice.reason())
                .isEqualTo("Lane \"reports\" ran all 2 of its slots with work waiting in 90 % of 40 looks (3.0 jobs"
                        + " held for a slot on average) while this node's CPU was 10 % busy: its concurrency, not the"
                        + " machine, holds its work back. Set taskbound.lanes.reports.concurrency=8 to run more of it"
                        + " at once.");
    }

    @ParameterizedTest(name = "saturated {0} of 100 looks, CPU {1} % busy: flagged {2}")
    @CsvSource({"50, 49, true", "100, 10, true", "49, 10, false", "0, 0, false", "100, 50, false", "100, 95, false"})
    void onlyALaneSaturatedForTheThresholdShareWhileTheCpuIsBelowItsIsFlagged(
            long saturated, long cpuBusyPercent, boolean flagged) {
        LaneAdvice advice = rules.advise("reports", 4, new LaneTally.Figures(100, saturated, 0, cpuBusyPercent, 100));

        assertThat(advice != null).isEqualTo(flagged);
    }

    @Test
    void aLaneIsNotJudgedOnTooFewLooksOrWithoutKnowingTheCpu() {
        assertThat(rules.advise("reports", 1, new LaneTally.Figures(LaneRules.MIN_SAMPLES - 1, 9, 9, 0, 100)))
                .isNull();
        assertThat(rules.advise("reports", 1, new LaneTally.Figures(40, 40, 40, 0, 0)))
                .isNull();
    }

    @ParameterizedTest(name = "concurrency {0} at CPU {1}: suggest {2}")
    @CsvSource({
        // Scaled by the headroom up to the busy share of 0.5: 0.5 / 0.25 = 2.
        "10, 0.25, 20",
        // A whole product but for rounding is not rounded past it: 3 × 0.5 / 0.3 = 5.
        "3, 0.3, 5",
        // At most four times.
        "1, 0.0, 4",
        "1000, 0.01, 4000",
        // At least one more, however little headroom.
        "10, 0.49, 11",
        "1, 0.45, 2"
    })
    void theSuggestionScalesByTheCpuHeadroomCappedAndAtLeastOneMore(int concurrency, double cpuBusy, int suggested) {
        assertThat(rules.suggest(concurrency, cpuBusy)).isEqualTo(suggested);
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> new LaneWatch.Settings(Duration.ZERO, 0.5, 0.5))
                .hasMessageContaining("lane sampling period must be at least 1 ms, was PT0S");
        assertThatThrownBy(() -> new LaneWatch.Settings(Duration.ofSeconds(1), 1.5, 0.5))
                .hasMessageContaining("saturated share must be above 0 and at most 1, was 1.5");
        assertThatThrownBy(() -> new LaneWatch.Settings(Duration.ofSeconds(1), 0.5, 0))
                .hasMessageContaining("CPU busy share must be above 0 and at most 1, was 0.0");
    }
}
