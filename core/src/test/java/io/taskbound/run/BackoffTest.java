package io.taskbound.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** A random source that always draws {@code value}, to pin the jitter. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void eachRetryWaitsTwiceAsLongAsThePreviousWithoutJitter() {
        Backoff backoff = new Backoff(SECOND, HOUR, fixed(0.5));

        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayAfter(10)).isEqualTo(Duration.ofSeconds(512));
    }

    @Test
    void jitterSpreadsTheDelayByAQuarterEitherWay() {
        assertThat(new Backoff(SECOND, HOUR, fixed(0.0)).delayAfter(3)).isEqualTo(Duration.ofMillis(3_000));
        assertThat(new Backoff(SECOND, HOUR, fixed(0.999_999)).delayAfter(3)).isEqualTo(Duration.ofMillis(5_000));

        Backoff seeded = new Backoff(SECOND, HOUR, new SplittableRandom(42));
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (int i = 0; i < 10_000; i++) {
            long millis = seeded.delayAfter(2).toMillis();
            shortest = Math.min(shortest, millis);
            longest = Math.max(longest, millis);
        }
        assertThat(shortest).isBetween(1_500L, 1_550L);
        assertThat(longest).isBetween(2_450L, 2_500L);
    }

    @Test
    void sameSeedGivesTheSameDelays() {
        Backoff one = new Backoff(SECOND, HOUR, new SplittableRandom(7));
        Backoff two = new Backoff(SECOND, HOUR, new SplittableRandom(7));

        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(one.delayAfter(attempt)).isEqualTo(two.delayAfter(attempt));
        }
    }

    @Test
    void delayNeverExceedsTheMaximumEvenWithJitter() {
        Duration max = Duration.ofSeconds(10);

        assertThat(new Backoff(SECOND, max, fixed(0.999_999)).delayAfter(5)).isEqualTo(max);
        assertThat(new Backoff(SECOND, max, fixed(0.0)).delayAfter(5)).isEqualTo(Duration.ofMillis(7_500));
        assertThat(new Backoff(SECOND, max, fixed(0.5)).delayAfter(1_000_000)).isEqualTo(max);
    }

    @Test
    void attemptsBelowOneAreTreatedAsTheFirst() {
        Backoff backoff = new Backoff(SECOND, HOUR, fixed(0.5));

        assertThat(backoff.delayAfter(0)).isEqualTo(SECOND);
        assertThat(backoff.delayAfter(-3)).isEqualTo(SECOND);
    }

    @Test
    void zeroInitialBackoffRetriesAtOnce() {
        assertThat(new Backoff(Duration.ZERO, HOUR, fixed(0.9)).delayAfter(4)).isEqualTo(Duration.ZERO);
    }
}
