package io.taskbound.test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clock Taskbound runs on in a test: the system clock plus an offset that {@link #advance} adds
 * to. Time goes on as usual, so retries back off and schedules fire as they would in production;
 * {@code advance} jumps ahead, making delayed jobs, retries and schedules due at once. The engine
 * reads it for everything it would otherwise ask PostgreSQL's {@code now()}: when jobs are due,
 * when schedules fire, the times stored with each job. The application's own code still reads its
 * own clock ({@code Instant.now()}), which this does not move.
 *
 * <p>Instants are truncated to microseconds, the precision PostgreSQL stores, so that an instant
 * read here compares equal to the same instant stored and read back.
 */
public final class TestClock implements InstantSource {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get()).truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Moves the clock ahead by {@code duration}. The engine does not notice by itself before its
     * next poll: follow with {@link TaskboundTester#drain()}, which looks at once and runs what
     * became due.
     *
     * @throws IllegalArgumentException if {@code duration} is negative: a clock going back would
     *     make due jobs wait again and fire schedules a second time for the same time
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "The test clock only goes forward: advance takes a duration of zero or more, was " + duration);
        }
        offset.accumulateAndGet(duration, Duration::plus);
    }

    /** How far {@link #advance} has moved this clock ahead of the system clock so far. */
    public Duration offset() {
        return offset.get();
    }

    @Override
    public String toString() {
        return "TestClock[" + instant() + ", system clock + " + offset.get() + "]";
    }
}
