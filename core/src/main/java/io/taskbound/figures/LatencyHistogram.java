package io.taskbound.figures;

import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * Counts durations in buckets on a logarithmic scale: four buckets per power of two, so that a
 * percentile read from the buckets is within about 12 % of the true one, from a microsecond to
 * about 12 days, in 168 counters. Recording is one atomic increment, safe from any thread.
 *
 * <p>Buckets rather than samples, because histograms of several nodes and several intervals add up
 * bucket by bucket into the histogram of them all, and percentiles of the sum are exact to the
 * bucket; percentiles of percentiles would not be.
 */
final class LatencyHistogram {

    private static final int SUB_BUCKETS = 4;
    private static final int SUB_BITS = 2;
    private static final int MAX_POWER = 40; // 2^40 µs: about 12.7 days
    static final int BUCKETS = (MAX_POWER + 2) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void record(long micros) {
        counts.incrementAndGet(bucket(micros));
    }

    /** The counts so far, bucket by bucket. */
    long[] snapshot() {
        long[] copy = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    /** The bucket of a duration: values below 4 µs have one each, then four per power of two. */
    static int bucket(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) Math.max(0, micros);
        }
        int power = 63 - Long.numberOfLeadingZeros(micros);
        if (power > MAX_POWER) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (power - SUB_BITS)) & (SUB_BUCKETS - 1);
        return (power - SUB_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The smallest duration that falls in {@code bucket}. */
    static long lowest(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int power = bucket / SUB_BUCKETS + SUB_BITS - 1;
        int sub = bucket % SUB_BUCKETS;
        return (long) (SUB_BUCKETS + sub) << (power - SUB_BITS);
    }

    /** The middle of {@code bucket}: what a percentile that falls in it is reported as. */
    static long middle(int bucket) {
        long low = lowest(bucket);
        long next = bucket + 1 < BUCKETS ? lowest(bucket + 1) : low * 2;
        return low + (next - 1 - low) / 2;
    }

    /**
     * The duration below which {@code quantile} of the counted values lie, as the middle of its
     * bucket; null if nothing was counted.
     */
    static @Nullable Duration percentile(SortedMap<Integer, Long> counts, double quantile) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : counts.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return Duration.ofNanos(middle(bucket.getKey()) * 1_000);
            }
        }
        throw new AssertionError("rank " + rank + " beyond total " + total);
    }

    /** The buckets that grew from {@code before} to {@code after}, by how much. */
    static SortedMap<Integer, Long> growth(long[] before, long[] after) {
        SortedMap<Integer, Long> grown = new TreeMap<>();
        for (int i = 0; i < after.length; i++) {
            long by = after[i] - before[i];
            if (by > 0) {
                grown.put(i, by);
            }
        }
        return grown;
    }

    /** Adds the sparse counts {@code more} into {@code into}. */
    static void add(SortedMap<Integer, Long> into, Map<Integer, Long> more) {
        more.forEach((bucket, count) -> into.merge(bucket, count, Long::sum));
    }
}
