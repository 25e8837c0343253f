package io.taskbound.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskbound.Bound;
import io.taskbound.JobEvent;
import io.taskbound.JobListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delivery queue on its own: events emitted at once from many virtual threads, without a lock,
 * each reach the listener once and in its emitter's order; events emitted after the queue went
 * quiet still reach it; a full queue drops and counts.
 */
class EventQueueTest {

    private EventQueue queue;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void everyEventOfManyEmittingVirtualThreadsIsDeliveredOnceInItsEmittersOrder() throws Exception {
        int emitters = 32;
        int each = 2_000;
        // Per emitter (the attempt field), the sequence numbers (maxAttempts) in delivery order.
        Map<Integer, List<Integer>> delivered = new ConcurrentHashMap<>();
        queue = new EventQueue(
                List.of(event -> delivered
                        .computeIfAbsent(event.attempt(), emitter -> new ArrayList<>())
                        .add(event.maxAttempts())),
                emitters * each);
        queue.start();

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int emitter = 0; emitter < emitters; emitter++) {
            int id = emitter;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int n = 0; n < each; n++) {
                    queue.offer(event(id, n));
                    if (n % 100 == 0) {
                        Thread.yield();
                    }
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> queue.stats().delivered() == (long) emitters * each);
        assertThat(queue.stats()).isEqualTo(new EventStats(0, (long) emitters * each, 0, 0));
        assertThat(delivered).hasSize(emitters);
        List<Integer> inOrder = IntStream.range(0, each).boxed().toList();
        delivered.values().forEach(sequence -> assertThat(sequence).isEqualTo(inOrder));
    }

    @Test
    void anEventEmittedOnceTheQueueIsQuietIsDelivered() {
        List<JobEvent> delivered = new CopyOnWriteArrayList<>();
        queue = new EventQueue(List.of(delivered::add), 10);
        queue.start();

        for (int round = 1; round <= 5; round++) {
            // Each round finds the delivery thread waiting on an empty queue, to be woken.
            queue.offer(event(round, 0));
            int expected = round;
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == expected);
            await().atMost(Duration.ofSeconds(10)).until(this::deliveryThreadWaitsForEvents);
        }
        assertThat(delivered).extracting(JobEvent::attempt).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aFullQueueDropsAndCountsWhatItCannotHold() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        JobListener blocked = event -> {
            if (received.incrementAndGet() == 1) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        queue = new EventQueue(List.of(blocked), 5);
        queue.start();
        queue.offer(event(0, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);

        for (int n = 1; n <= 8; n++) {
            queue.offer(event(0, n));
        }
        assertThat(queue.stats().queued()).isEqualTo(5);
        assertThat(queue.stats().dropped()).isEqualTo(3);

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 6);
        assertThat(queue.stats()).isEqualTo(new EventStats(0, 6, 3, 0));
    }

    // Parked on the queue itself: waiting for an event, not lingering after a batch.
    private boolean deliveryThreadWaitsForEvents() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> LockSupport.getBlocker(thread) == queue);
    }

    private static JobEvent event(int emitter, int sequence) {
        Instant now = Instant.now();
        return new JobEvent(
                JobEvent.Kind.STARTED,
                UUID.randomUUID(),
                "test.job",
                "io",
                Bound.IO,
                emitter,
                sequence,
                now,
                now,
                Duration.ZERO,
                null,
                null);
    }
}
