package io.taskbound.run;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: the n-th retry waits {@code initial * 2^(n-1)}, capped at
 * {@code max}, then spread by ±25% so that jobs that failed together do not retry together.
 */
public record Backoff(Duration initial, Duration max, RandomGenerator random) {

    /** The delay before the retry that follows failed attempt {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        long initialMillis = initial.toMillis();
        int doublings = Math.min(Math.max(attempt - 1, 0), 40);
        double base = Math.min(initialMillis * Math.pow(2, doublings), max.toMillis());
        double jitter = 0.75 + random.nextDouble() * 0.5;
        return Duration.ofMillis(Math.round(Math.min(base * jitter, max.toMillis())));
    }
}
