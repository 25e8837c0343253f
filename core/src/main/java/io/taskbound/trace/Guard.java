package io.taskbound.trace;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into the application's observation handlers so that a failing one costs an observation,
 * never the enqueue or run it observes: the failure is logged, with its stack trace at most every
 * few seconds, and the caller goes on.
 */
final class Guard {

    private static final Logger log = LoggerFactory.getLogger(ObservedJobs.class);
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
    private static final AtomicLong nextLog = new AtomicLong(System.nanoTime());
    private static final AtomicLong unlogged = new AtomicLong();

    private Guard() {}

    /** Runs {@code action}; whether it returned normally. */
    static boolean run(String what, Runnable action) {
        return run(what, action, null);
    }

    /** Runs {@code action}; a failure is also added to {@code suppressor}'s suppressed, if any. */
    static boolean run(String what, Runnable action, @Nullable Throwable suppressor) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            if (suppressor != null && suppressor != e) {
                suppressor.addSuppressed(e);
            }
            failed(what, e);
            return false;
        }
    }

    /** What {@code action} returns, or null if it failed. */
    static <T> @Nullable T get(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            failed(what, e);
            return null;
        }
    }

    /**
     * Opens {@code observation}'s scope on this thread and returns what closes it; null when a handler
     * failed to open it. A handler failing as the scope opens or closes leaves scopes behind: Micrometer
     * makes the scope current before it tells any handler, and puts the previous one back only after
     * all have closed theirs, so the observation would stay current, and the handlers that opened a
     * scope (a tracer's current span) may not be told to close it. Left so on a pooled thread, they
     * would be the parent of whatever it observed next. Then every handler's scope on the thread is
     * reset and the caller's scope made current again, as Micrometer's context propagation restores a
     * scope.
     *
     * @param what the observation, for the log: "an enqueue", "a run"
     */
    static @Nullable Runnable openScope(ObservationRegistry registry, Observation observation, String what) {
        Observation.Scope before = registry.getCurrentObservationScope();
        Observation.Scope scope = get("open the scope of " + what, observation::openScope);
        if (scope == null) {
            putBack(registry, before, what);
            return null;
        }
        return () -> {
            if (!run("close the scope of " + what, scope::close)) {
                putBack(registry, before, what);
            }
        };
    }

    private static void putBack(ObservationRegistry registry, Observation.@Nullable Scope before, String what) {
        Observation.Scope left = registry.getCurrentObservationScope();
        if (left != null && left != before) {
            run("reset the scopes left by " + what, left::reset);
        }
        if (before != null) {
            run("make the scope current again that was before " + what, before::makeCurrent);
        }
        if (registry.getCurrentObservationScope() != before) {
            registry.setCurrentObservationScope(before);
        }
    }

    private static void failed(String what, RuntimeException e) {
        long now = System.nanoTime();
        long next = nextLog.get();
        if (now - next < 0 || !nextLog.compareAndSet(next, now + LOG_EVERY_NANOS)) {
            unlogged.incrementAndGet();
            return;
        }
        long more = unlogged.getAndSet(0);
        log.warn(
                "An observation handler failed to {}{}; the job goes on unobserved there",
                what,
                more > 0 ? " (and " + more + " other handler failure(s) since the last warning)" : "",
                e);
    }
}
