package io.taskbound.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when a test moves it. An engine built with it uses its instant in every
 * SQL statement instead of {@code now()}, so delays, backoffs and retention can be tested without
 * waiting for them.
 */
public final class MutableClock implements InstantSource {

    private final AtomicReference<Instant> now;

    public MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /**
     * A clock at the current time, truncated to milliseconds: PostgreSQL keeps microseconds, so
     * instants read back from the store then equal the ones computed in the test.
     */
    public static MutableClock atNow() {
        return new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock forward by {@code duration}; returns the new instant. */
    public Instant advance(Duration duration) {
        return now.updateAndGet(instant -> instant.plus(duration));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public String toString() {
        return "MutableClock[" + now.get() + "]";
    }
}
