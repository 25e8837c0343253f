package io.taskbound.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop on a named platform thread: runs one iteration, then waits until it is woken
 * or its interval passes, until it is stopped. An iteration that throws anything, an {@code
 * OutOfMemoryError} included, is logged and the loop goes on after {@link #afterFailure()}; even
 * the logging may fail (with the heap exhausted it often does) without ending the loop. Should its
 * thread end all the same, {@link #isAlive()} says so and the {@link LoopSupervisor} starts it again.
 *
 * <p>Waiting uses a lock and condition rather than {@code synchronized}, which would pin a virtual
 * thread that wakes the loop while holding the monitor.
 */
public abstract class Loop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Loop.class);
    private static final int MAX_DEADLINES = 4096;

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean wakeRequested;
    // Instants (System.nanoTime) at which to end a wait early, earliest first; bounded, since the
    // loop's own interval catches whatever is dropped, only later.
    private final TreeSet<Long> deadlines = new TreeSet<>();
    private volatile boolean running;
    private volatile Thread thread;
    private volatile @Nullable Instant lastSuccess;
    private volatile int failuresInARow;
    private volatile @Nullable String lastFailure;

    protected Loop(String name) {
        this.name = name;
    }

    /**
     * One iteration. Returns how long to wait before the next one unless woken; {@link Duration#ZERO}
     * to go on at once.
     */
    protected abstract Duration runOnce() throws Exception;

    /** How long to wait after an iteration that threw. */
    protected Duration afterFailure() {
        return Duration.ofSeconds(1);
    }

    public final String name() {
        return name;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name(name).daemon(true).start(this);
    }

    /** Stops the loop and waits up to {@code timeout} for its current iteration to end. */
    public void stop(Duration timeout) {
        running = false;
        wake();
        Thread current = thread;
        if (current != null && current != Thread.currentThread()) {
            try {
                current.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Whether the loop's thread is alive; false for a loop that should run but whose thread ended. */
    public boolean isAlive() {
        Thread current = thread;
        return current != null && current.isAlive();
    }

    /**
     * Starts a new thread for a loop that should run but whose thread ended. Returns whether it did.
     */
    public synchronized boolean revive() {
        if (!running || isAlive()) {
            return false;
        }
        thread = Thread.ofPlatform().name(name).daemon(true).start(this);
        return true;
    }

    /** What the loop is doing, for health checks. */
    public Status status() {
        return new Status(name, running, isAlive(), lastSuccess, failuresInARow, lastFailure);
    }

    /**
     * One loop's state.
     *
     * @param running whether it should run (started and not stopped)
     * @param alive whether its thread is alive
     * @param lastSuccess when an iteration last ended without an error; null if none has yet
     * @param failuresInARow iterations that failed since the last one that did not
     * @param lastFailure the error of the last failed iteration, if the last one failed
     */
    public record Status(
            String name,
            boolean running,
            boolean alive,
            @Nullable Instant lastSuccess,
            int failuresInARow,
            @Nullable String lastFailure) {

        /** Whether the loop should run but its thread has ended. */
        public boolean dead() {
            return running && !alive;
        }
    }

    /** Ends the current wait at once. */
    public void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            woken.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a wait at {@code nanoTime} (on the {@link System#nanoTime()} scale) if the loop is
     * still waiting then, so that work due at a known instant starts on time.
     */
    public void wakeAt(long nanoTime) {
        lock.lock();
        try {
            if (deadlines.size() >= MAX_DEADLINES) {
                // Keep the earliest: drop the latest, which the interval will find.
                if (nanoTime - deadlines.last() >= 0) {
                    return;
                }
                deadlines.pollLast();
            }
            deadlines.add(nanoTime);
            if (deadlines.first() == nanoTime) {
                woken.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void run() {
        while (running) {
            Duration pause;
            try {
                pause = runOnce();
                lastSuccess = Instant.now();
                failuresInARow = 0;
                lastFailure = null;
            } catch (Throwable e) {
                if (!running) {
                    break;
                }
                failed(e);
                pause = afterFailure();
            }
            try {
                await(pause);
            } catch (Throwable e) {
                // An OutOfMemoryError while waiting, say: go on to the next iteration.
            }
        }
    }

    // Recording and logging may fail too when the heap is exhausted; the loop goes on regardless.
    private void failed(Throwable e) {
        failuresInARow++;
        try {
            lastFailure = e.toString();
            if (failuresInARow == 1) {
                log.warn("{}: iteration failed, retrying in {}", name, afterFailure(), e);
            } else {
                // The stack trace was logged with the first failure of the run; an outage of minutes
                // would otherwise fill the log with the same one.
                log.warn("{}: iteration failed again ({} in a row): {}", name, failuresInARow, lastFailure);
            }
        } catch (Throwable logging) {
            // Nothing more can be done here; health shows the failures.
        }
    }

    private void await(Duration pause) {
        lock.lock();
        try {
            long end = System.nanoTime() + pause.toNanos();
            while (!wakeRequested && running) {
                long until = end;
                if (!deadlines.isEmpty() && deadlines.first() - until < 0) {
                    until = deadlines.first();
                }
                long nanos = until - System.nanoTime();
                if (nanos <= 0) {
                    break;
                }
                woken.awaitNanos(nanos);
            }
            wakeRequested = false;
            long now = System.nanoTime();
            while (!deadlines.isEmpty() && deadlines.first() - now <= 0) {
                deadlines.pollFirst();
            }
        } catch (InterruptedException e) {
            // Only stop() ends a loop: an interrupt from anywhere else (code that restores an
            // interrupt it caught, say) would otherwise end it silently.
            if (running) {
                log.warn("{}: interrupted while waiting; carrying on (loops end with stop())", name);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
