package io.taskbound.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyDurationFallsInTheBucketThatSpansIt() {
        RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
        for (int i = 0; i < 100_000; i++) {
            long micros = i < 1_000 ? i : (long) Math.exp(random.nextDouble(0, Math.log(1L << 40)));
            int bucket = LatencyHistogram.bucket(micros);
            assertThat(LatencyHistogram.lowest(bucket)).isLessThanOrEqualTo(micros);
            assertThat(LatencyHistogram.lowest(bucket + 1)).isGreaterThan(micros);
        }
    }

    @Test
    void aBucketIsAtMostAQuarterWiderThanItsLowestDuration() {
        for (int bucket = 4; bucket < LatencyHistogram.BUCKETS - 2; bucket++) {
            long lowest = LatencyHistogram.lowest(bucket);
            long width = LatencyHistogram.lowest(bucket + 1) - lowest;
            assertThat(width).as("bucket %d from %d µs", bucket, lowest).isLessThanOrEqualTo(lowest / 4);
        }
    }

    @Test
    void percentilesOfAKnownSpreadAreWithinTheBucketsPrecision() {
        LatencyHistogram histogram = new LatencyHistogram();
        // 1 ms to 1,000 ms, one run per millisecond: the median is 500 ms, the 95th percentile 950 ms.
        for (long millis = 1; millis <= 1_000; millis++) {
            histogram.record(millis * 1_000);
        }
        SortedMap<Integer, Long> counts =
                LatencyHistogram.growth(new long[LatencyHistogram.BUCKETS], histogram.snapshot());

        assertThat(LatencyHistogram.percentile(counts, 0.50).toMillis()).isBetween(500L * 88 / 100, 500L * 112 / 100);
        assertThat(LatencyHistogram.percentile(counts, 0.95).toMillis()).isBetween(950L * 88 / 100, 950L * 112 / 100);
    }

    @Test
    void histogramsAddUpBucketByBucket() {
        LatencyHistogram fast = new LatencyHistogram();
        LatencyHistogram slow = new LatencyHistogram();
        for (int i = 0; i < 90; i++) {
            fast.record(2_000);
        }
        for (int i = 0; i < 10; i++) {
            slow.record(2_000_000);
        }
        long[] none = new long[LatencyHistogram.BUCKETS];
        SortedMap<Integer, Long> both = new TreeMap<>(LatencyHistogram.growth(none, fast.snapshot()));
        LatencyHistogram.add(both, LatencyHistogram.growth(none, slow.snapshot()));

        assertThat(LatencyHistogram.percentile(both, 0.50))
                .isBetween(Duration.ofNanos(1_760_000), Duration.ofNanos(2_240_000));
        assertThat(LatencyHistogram.percentile(both, 0.95))
                .isBetween(Duration.ofMillis(1_760), Duration.ofMillis(2_240));
        assertThat(LatencyHistogram.percentile(new TreeMap<>(), 0.5)).isNull();
    }
}
