package io.taskbound.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read at most once per {@code period}, however many gauges ask for it: a scrape reads
 * every gauge one after the other, and each must not cost its own query. A read that fails leaves
 * no value (the gauges then say NaN rather than an old figure) and is not tried again before the
 * period is over, so that a database that does not answer does not hold up every gauge of a scrape.
 */
final class Cached<T> {

    private static final Logger log = LoggerFactory.getLogger(Cached.class);

    private final String what;
    private final Supplier<T> source;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    private @Nullable T value;
    private long readAtNanos;
    private boolean read;

    Cached(String what, Supplier<T> source, Duration period, LongSupplier nanoTime) {
        this.what = what;
        this.source = Objects.requireNonNull(source, "source");
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The value, read again if the last read is a period old; null if that read failed. */
    synchronized @Nullable T get() {
        long now = nanoTime.getAsLong();
        if (!read || now - readAtNanos >= periodNanos) {
            read = true;
            readAtNanos = now;
            try {
                value = source.get();
            } catch (RuntimeException e) {
                value = null;
                log.debug("Could not read {} for Taskbound's gauges; they show NaN until the next read", what, e);
            }
        }
        return value;
    }
}
