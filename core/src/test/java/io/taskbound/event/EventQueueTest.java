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
import java.util.Optional;
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
    void anEventEmittedOnceTheQueueIsQuietWakesTheDeliveryThread() {
        List<JobEvent> delivered = new CopyOnWriteArrayList<>();
        // Unwoken, the delivery thread would wait an hour: each event must wake it.
        queue = new EventQueue(List.of(delivered::add), 10, Duration.ofHours(1));
        queue.start();

        for (int round = 1; round <= 20; round++) {
            // Each round finds the delivery thread waiting on an empty queue, to be woken.
            queue.offer(event(round, 0));
            int expected = round;
            await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == expected);
            await().atMost(Duration.ofSeconds(10)).until(this::deliveryThreadWaitsForEvents);
        }
        assertThat(delivered)
                .extracting(JobEvent::attempt)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
    }

    @Test
    void aListenerThatInterruptsItsThreadDoesNotKeepTheDeliveryThreadFromWaiting() {
        List<JobEvent> delivered = new CopyOnWriteArrayList<>();
        queue = new EventQueue(
                List.of(event -> {
                    delivered.add(event);
                    Thread.currentThread().interrupt();
                }),
                10,
                Duration.ofHours(1));
        queue.start();

        queue.offer(event(1, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
        // With its interrupt flag set, every wait would end at once and the thread spin.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveryThread()
                        .filter(thread -> !thread.isInterrupted())
                        .isPresent());
        queue.offer(event(2, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 2);
    }

    @Test
    void aStopDeliversWhatWasAccepted() {
        List<JobEvent> delivered = new CopyOnWriteArrayList<>();
        queue = new EventQueue(List.of(delivered::add), 100, Duration.ofHours(1));
        queue.start();
        for (int n = 0; n < 50; n++) {
            queue.offer(event(0, n));
        }

        queue.stop(Duration.ofSeconds(10));

        assertThat(delivered).hasSize(50);
    }

    @Test
    void aStopEndsTheDeliveryThreadsWaitForEvents() {
        queue = new EventQueue(List.of(event -> {}), 100, Duration.ofHours(1));
        queue.start();
        await().atMost(Duration.ofSeconds(10)).until(this::deliveryThreadWaitsForEvents);

        queue.stop(Duration.ofSeconds(10));

        assertThat(queue.isAlive()).as("woken from its hour-long wait").isFalse();
        queue = null;
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
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(queue.stats()).isEqualTo(new EventStats(0, 6, 3, 0)));
        assertThat(received).hasValue(6);
    }

    // Parked on the queue itself: waiting for an event, not lingering after a batch.
    private boolean deliveryThreadWaitsForEvents() {
        return deliveryThread().isPresent();
    }

    private Optional<Thread> deliveryThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> LockSupport.getBlocker(thread) == queue)
                .findFirst();
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
