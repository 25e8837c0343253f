package io.taskbound.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A lane holds about one window of work beyond its concurrency, judged from its recent run times. */
class ClaimAheadTest {

    private static LaneSettings lane(ExecutorKind executor, int concurrency, int batchSize) {
        return new LaneSettings(
                executor,
                concurrency,
                50,
                batchSize,
                null,
                LaneSettings.DEFAULT_MAX_ATTEMPTS,
                LaneSettings.DEFAULT_INITIAL_BACKOFF,
                LaneSettings.DEFAULT_MAX_BACKOFF);
    }

    private static void record(ClaimAhead ahead, int runs, Duration each) {
        for (int i = 0; i < runs; i++) {
            ahead.recorded(each.toNanos());
        }
    }

    @Test
    void holdsNoMoreAheadThanItsConcurrencyUntilARunIsMeasured() {
        assertThat(new ClaimAhead(lane(ExecutorKind.PLATFORM, 2, 500)).limit()).isEqualTo(2);
        assertThat(new ClaimAhead(lane(ExecutorKind.VIRTUAL, 25, 500)).limit()).isEqualTo(25);
    }

    @Test
    void shortRunsAreHeldAheadUpToTheBatchSize() {
        ClaimAhead ahead = new ClaimAhead(lane(ExecutorKind.PLATFORM, 2, 500));
        record(ahead, 100, Duration.ofNanos(50_000));

        assertThat(ahead.limit()).isEqualTo(498);
    }

    @Test
    void longRunsAreHeldAheadOnlyAsFarAsTheLaneFinishesInTheWindow() {
        ClaimAhead twoSeconds = new ClaimAhead(lane(ExecutorKind.PLATFORM, 2, 500));
        record(twoSeconds, 4, Duration.ofSeconds(2));
        assertThat(twoSeconds.limit()).isEqualTo(1);

        ClaimAhead quarterSecond = new ClaimAhead(lane(ExecutorKind.PLATFORM, 2, 500));
        record(quarterSecond, 4, Duration.ofMillis(250));
        assertThat(quarterSecond.limit()).isEqualTo(8);
    }

    @Test
    void followsAChangeOfRunTimesWithinAFewLooks() {
        ClaimAhead ahead = new ClaimAhead(lane(ExecutorKind.PLATFORM, 2, 500));
        record(ahead, 1_000, Duration.ofNanos(50_000));
        assertThat(ahead.limit()).isEqualTo(498);

        for (int look = 0; look < 5; look++) {
            record(ahead, 2, Duration.ofMinutes(1));
            ahead.limit();
        }

        assertThat(ahead.limit()).isEqualTo(1);
    }

    @Test
    void aLaneWhoseBatchIsNoLargerThanItsConcurrencyNeverHoldsAhead() {
        ClaimAhead ahead = new ClaimAhead(lane(ExecutorKind.VIRTUAL, 1_000, 500));
        assertThat(ahead.limit()).isZero();
        record(ahead, 100, Duration.ofNanos(50_000));
        assertThat(ahead.limit()).isZero();
    }
}
