package io.taskbound.event;

import io.taskbound.JobEvent;
import io.taskbound.JobListener;
import io.taskbound.loop.Loop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers job events to the listeners on one thread, {@code taskbound-events}, in the order they
 * were queued. The queue is bounded: when the listeners fall behind, a new event is dropped and
 * counted rather than making the thread that emits it (an enqueue, a lane thread, the completer)
 * wait, and a warning with the count is logged at most every few seconds. A listener that throws is
 * logged (with its stack trace at most every few seconds) and the next listener and event go on.
 *
 * <p>Emitting takes no lock: events are emitted on the jobs' own threads, virtual ones among them,
 * and a virtual thread that met a taken lock would be parked and scheduled again, for each of the
 * three events of every job. An emitter adds the event to a lock-free queue and counts it, and
 * wakes the delivery thread only when that thread has found the queue empty and waits. While events
 * keep coming, the delivery thread lingers a moment after each batch instead of waiting: events
 * gather into the next batch, and no emitter wakes it.
 */
public final class EventQueue extends Loop {

    /** Events that wait for slow listeners before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private static final Logger log = LoggerFactory.getLogger(EventQueue.class);
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int BATCH = 256;
    // How long the thread waits for an event before it looks whether it should stop.
    private static final Duration IDLE = Duration.ofMillis(100);
    // How long it lingers after a batch, while events keep coming, before it looks again.
    private static final long LINGER_NANOS = Duration.ofMillis(1).toNanos();

    private final List<JobListener> listeners;
    private final int capacity;
    private final long idleNanos;
    private final ConcurrentLinkedQueue<JobEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    // The delivery thread while it waits for an event, for an emitter to wake.
    private volatile @Nullable Thread waiting;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong nextDropWarning = new AtomicLong(System.nanoTime());
    private final AtomicLong droppedAtLastWarning = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition handledAll = lock.newCondition();
    // Written by the delivery thread only.
    private volatile long handled;
    private volatile long listenerFailures;
    private long failuresAtLastLog;
    private long nextFailureLog = System.nanoTime();
    private volatile boolean draining;
    // Whether the last look found events: then the next one does not wait on the queue.
    private boolean busy;

    public EventQueue(List<JobListener> listeners, int capacity) {
        this(listeners, capacity, IDLE);
    }

    /** With {@code idle}, how long the delivery thread waits unwoken before it looks again. */
    EventQueue(List<JobListener> listeners, int capacity, Duration idle) {
        super("taskbound-events");
        if (capacity < 1) {
            throw new IllegalArgumentException("The job event queue must hold at least 1 event, was " + capacity);
        }
        this.listeners = List.copyOf(listeners);
        this.capacity = capacity;
        this.idleNanos = idle.toNanos();
    }

    /** Queues {@code event} for the listeners, or drops it if the queue is full; never waits. */
    public void offer(JobEvent event) {
        // Counted first, so that a stop waiting for every accepted event never sees it handled
        // before it is counted.
        accepted.increment();
        if (!reserveRoom()) {
            accepted.decrement();
            dropped.increment();
            warnDropped();
            return;
        }
        queue.offer(event);
        Thread delivery = waiting;
        if (delivery != null) {
            LockSupport.unpark(delivery);
        }
    }

    private boolean reserveRoom() {
        int now = queued.get();
        while (now < capacity) {
            int was = queued.compareAndExchange(now, now + 1);
            if (was == now) {
                return true;
            }
            now = was;
        }
        return false;
    }

    /** Also ends the delivery thread's wait for events, as a stop needs. */
    @Override
    public void wake() {
        super.wake();
        Thread delivery = waiting;
        if (delivery != null) {
            LockSupport.unpark(delivery);
        }
    }

    public EventStats stats() {
        return new EventStats(queued.get(), handled, dropped.sum(), listenerFailures);
    }

    @Override
    protected Duration runOnce() {
        // A listener that interrupted its own thread (this one) would make every park below return
        // at once, and the thread spin: the flag means nothing here, as the loop stops by its own.
        Thread.interrupted();
        JobEvent event = busy ? queue.poll() : awaitEvent();
        int delivered = 0;
        while (event != null) {
            queued.decrementAndGet();
            deliver(event);
            event = ++delivered < BATCH ? queue.poll() : null;
        }
        if (draining) {
            signalHandled();
        }
        busy = delivered > 0;
        if (busy && delivered < BATCH) {
            LockSupport.parkNanos(LINGER_NANOS);
        }
        return Duration.ZERO;
    }

    // Announces itself as waiting before it looks again, and an emitter looks for a waiting thread
    // after adding its event: whichever comes second sees the other's write.
    private @Nullable JobEvent awaitEvent() {
        waiting = Thread.currentThread();
        try {
            JobEvent event = queue.poll();
            if (event == null) {
                LockSupport.parkNanos(this, idleNanos);
                event = queue.poll();
            }
            return event;
        } finally {
            waiting = null;
        }
    }

    private void deliver(JobEvent event) {
        for (JobListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (Throwable e) {
                // An Error too: a listener's StackOverflowError must not end delivery to the others.
                listenerFailed(listener, event, e);
            }
        }
        handled++;
    }

    private void listenerFailed(JobListener listener, JobEvent event, Throwable e) {
        long failures = ++listenerFailures;
        long now = System.nanoTime();
        if (now - nextFailureLog < 0) {
            return;
        }
        nextFailureLog = now + WARN_EVERY_NANOS;
        long unlogged = failures - failuresAtLastLog - 1;
        failuresAtLastLog = failures;
        try {
            log.warn(
                    "Job listener {} threw on {} of job {} ({}){}; delivery goes on",
                    listener,
                    event.kind(),
                    event.name(),
                    event.jobId(),
                    unlogged > 0 ? " and " + unlogged + " time(s) more since the last warning" : "",
                    e);
        } catch (Throwable logging) {
            // The failures are counted in the stats all the same.
        }
    }

    private void warnDropped() {
        long now = System.nanoTime();
        long next = nextDropWarning.get();
        if (now - next < 0 || !nextDropWarning.compareAndSet(next, now + WARN_EVERY_NANOS)) {
            return;
        }
        long total = dropped.sum();
        long since = total - droppedAtLastWarning.getAndSet(total);
        log.warn(
                "Job listeners are too slow: dropped {} job event(s) since the last warning ({} in all) while {}"
                        + " waited; jobs do not wait for listeners",
                since,
                total,
                capacity);
    }

    /**
     * Stops after delivering what is queued, waiting up to {@code timeout} for the listeners; what
     * they did not take by then is dropped and counted.
     */
    @Override
    public void stop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitHandled(deadline);
        super.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        int left = 0;
        while (queue.poll() != null) {
            queued.decrementAndGet();
            left++;
        }
        if (left > 0) {
            dropped.add(left);
            log.warn("{} job event(s) were not delivered before the engine stopped", left);
        }
    }

    private void awaitHandled(long deadline) {
        draining = true;
        lock.lock();
        try {
            while (handled < accepted.sum() && isAlive()) {
                long nanos = deadline - System.nanoTime();
                if (nanos <= 0) {
                    return;
                }
                // Bounded, as the delivery thread may have ended between the check and the wait.
                handledAll.awaitNanos(Math.min(nanos, IDLE.toNanos()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
            draining = false;
        }
    }

    private void signalHandled() {
        lock.lock();
        try {
            handledAll.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
