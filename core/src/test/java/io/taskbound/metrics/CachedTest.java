package io.taskbound.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cluster's gauges read the store at most once per period, and say nothing rather than an old figure. */
class CachedTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void readsOncePerPeriodHoweverManyGaugesAsk() {
        Cached<Integer> cached = new Cached<>("test", reads::incrementAndGet, Duration.ofSeconds(5), nanos::get);

        for (int gauge = 0; gauge < 50; gauge++) {
            assertThat(cached.get()).isEqualTo(1);
        }
        nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
        assertThat(cached.get()).isEqualTo(1);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(cached.get()).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadLeavesNoValueAndIsNotRetriedBeforeThePeriodIsOver() {
        Cached<Integer> cached = new Cached<>(
                "test",
                () -> {
                    if (reads.incrementAndGet() == 2) {
                        throw new IllegalStateException("database down");
                    }
                    return reads.get();
                },
                Duration.ofSeconds(5),
                nanos::get);
        assertThat(cached.get()).isEqualTo(1);

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(cached.get()).as("no old figure").isNull();
        assertThat(cached.get()).isNull();
        assertThat(reads).as("not retried within the period").hasValue(2);

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(cached.get()).isEqualTo(3);
    }
}
