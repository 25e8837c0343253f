package io.taskbound.testing;

import io.taskbound.settings.TaskboundSettings;
import java.time.Duration;

/** Engine settings for tests: short intervals, so that what a test waits for happens quickly. */
public final class TestSettings {

    private TestSettings() {}

    /**
     * The default lanes with a 200 ms poll and heartbeat, a dead-node timeout long enough that a
     * busy test machine never declares a live node dead, and a 5 s shutdown timeout.
     */
    public static TaskboundSettings fast() {
        return TaskboundSettings.defaults()
                .withTimings(
                        Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /**
     * For engines on a {@link MutableClock}: heartbeats and dead-node detection read that clock too,
     * so the dead-node timeout is far longer than any step a test moves the clock by.
     */
    public static TaskboundSettings onTestClock() {
        return TaskboundSettings.defaults()
                .withTimings(
                        Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofDays(365), Duration.ofSeconds(5));
    }

    /** The same settings with another misfire threshold for schedules. */
    public static TaskboundSettings withMisfireThreshold(TaskboundSettings settings, Duration threshold) {
        return copy(settings, settings.pollOnly(), threshold);
    }

    /** The same settings without LISTEN/NOTIFY: work and cancellations are found by polling. */
    public static TaskboundSettings pollOnly(TaskboundSettings settings) {
        return copy(settings, true, settings.misfireThreshold());
    }

    /** The same settings with another figures interval. */
    public static TaskboundSettings withFiguresInterval(TaskboundSettings settings, Duration interval) {
        return copy(settings, settings.pollOnly(), settings.misfireThreshold(), interval);
    }

    private static TaskboundSettings copy(TaskboundSettings settings, boolean pollOnly, Duration misfireThreshold) {
        return copy(settings, pollOnly, misfireThreshold, settings.figuresInterval());
    }

    private static TaskboundSettings copy(
            TaskboundSettings settings, boolean pollOnly, Duration misfireThreshold, Duration figuresInterval) {
        return new TaskboundSettings(
                settings.nodeName(),
                settings.pollInterval(),
                pollOnly,
                settings.heartbeatInterval(),
                settings.deadNodeTimeout(),
                settings.shutdownTimeout(),
                settings.completionBatchSize(),
                settings.completionWriters(),
                settings.lanes(),
                settings.routes(),
                settings.retention(),
                settings.pruneInterval(),
                misfireThreshold,
                settings.networkTimeout(),
                figuresInterval);
    }
}
