package io.taskbound.settings;

import io.taskbound.Bound;
import io.taskbound.JobState;
import io.taskbound.MisfirePolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the engine runs on this node. Every default lives here, once; the Spring Boot properties
 * refer to these constants.
 *
 * @param nodeName readable name of this node in the nodes table; null for {@code host:pid}
 * @param pollInterval how often the node looks for work and schedule changes it was not told about
 *     while it cannot be told (poll-only, or its LISTEN connection down); while it listens, every
 *     30 s or this, whichever is longer
 * @param pollOnly whether to rely on polling alone, without LISTEN/NOTIFY (for PgBouncer in
 *     transaction mode)
 * @param heartbeatInterval how often this node records that it is alive
 * @param deadNodeTimeout how old a node's heartbeat may be before its running jobs are re-queued
 * @param shutdownTimeout how long a graceful shutdown waits for running jobs before re-queuing them
 * @param completionBatchSize most outcomes written in one statement
 * @param completionWriters how many statements writing outcomes may be under way at once, each on a
 *     connection of its own; by default a quarter of the cores, at least 2 and at most 8
 * @param lanes the lanes by name
 * @param routes the lane of each bound type
 * @param retention how long finished jobs are kept, per final state
 * @param pruneInterval how often finished jobs past their retention are deleted
 * @param misfireThreshold how late a schedule's only due fire time may be and still count as on
 *     time rather than missed (see {@link MisfirePolicy})
 * @param networkTimeout how long one of the engine's statements may wait for the database to answer
 *     before its connection counts as broken (a connection that silently stops carrying traffic
 *     would otherwise hang the loop that waits on it); also how often the LISTEN connection is
 *     checked
 * @param figuresInterval how often this node publishes its lanes' figures (running, held, runs
 *     and their latencies over the last minute), and how often the cluster's queued jobs are counted
 *     while someone reads the figures
 */
public record TaskboundSettings(
        @Nullable String nodeName,
        Duration pollInterval,
        boolean pollOnly,
        Duration heartbeatInterval,
        Duration deadNodeTimeout,
        Duration shutdownTimeout,
        int completionBatchSize,
        int completionWriters,
        Map<String, LaneSettings> lanes,
        Map<Bound, String> routes,
        Map<JobState, Duration> retention,
        Duration pruneInterval,
        Duration misfireThreshold,
        Duration networkTimeout,
        Duration figuresInterval) {

    // Each default duration is a number with its unit in its name, and the Duration made from it:
    // the number is a compile-time constant, which an annotation (such as the Spring Boot
    // properties' @DefaultValue, shown by IDEs) can quote, so that the default still lives only here.

    public static final long DEFAULT_POLL_INTERVAL_SECONDS = 1;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(DEFAULT_POLL_INTERVAL_SECONDS);
    public static final boolean DEFAULT_POLL_ONLY = false;
    public static final long DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 2;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(DEFAULT_HEARTBEAT_INTERVAL_SECONDS);
    public static final long DEFAULT_DEAD_NODE_TIMEOUT_SECONDS = 10;
    public static final Duration DEFAULT_DEAD_NODE_TIMEOUT = Duration.ofSeconds(DEFAULT_DEAD_NODE_TIMEOUT_SECONDS);
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS);
    public static final int DEFAULT_COMPLETION_BATCH_SIZE = 500;
    public static final int MIN_DEFAULT_COMPLETION_WRITERS = 2;
    public static final int MAX_DEFAULT_COMPLETION_WRITERS = 8;
    public static final long DEFAULT_SUCCEEDED_RETENTION_DAYS = 1;
    public static final Duration DEFAULT_SUCCEEDED_RETENTION = Duration.ofDays(DEFAULT_SUCCEEDED_RETENTION_DAYS);
    public static final long DEFAULT_CANCELLED_RETENTION_DAYS = 7;
    public static final Duration DEFAULT_CANCELLED_RETENTION = Duration.ofDays(DEFAULT_CANCELLED_RETENTION_DAYS);
    public static final long DEFAULT_DEAD_RETENTION_DAYS = 30;
    public static final Duration DEFAULT_DEAD_RETENTION = Duration.ofDays(DEFAULT_DEAD_RETENTION_DAYS);
    public static final long DEFAULT_PRUNE_INTERVAL_MINUTES = 1;
    public static final Duration DEFAULT_PRUNE_INTERVAL = Duration.ofMinutes(DEFAULT_PRUNE_INTERVAL_MINUTES);
    public static final long DEFAULT_MISFIRE_THRESHOLD_MINUTES = 1;
    public static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofMinutes(DEFAULT_MISFIRE_THRESHOLD_MINUTES);
    public static final long DEFAULT_NETWORK_TIMEOUT_SECONDS = 30;
    public static final Duration DEFAULT_NETWORK_TIMEOUT = Duration.ofSeconds(DEFAULT_NETWORK_TIMEOUT_SECONDS);
    public static final long DEFAULT_FIGURES_INTERVAL_SECONDS = 5;
    public static final Duration DEFAULT_FIGURES_INTERVAL = Duration.ofSeconds(DEFAULT_FIGURES_INTERVAL_SECONDS);

    public TaskboundSettings {
        requirePositive("poll-interval", pollInterval);
        requirePositive("heartbeat-interval", heartbeatInterval);
        requirePositive("dead-node-timeout", deadNodeTimeout);
        requirePositive("prune-interval", pruneInterval);
        requirePositive("scheduling.misfire-threshold", misfireThreshold);
        requirePositive("network-timeout", networkTimeout);
        requirePositive("figures-interval", figuresInterval);
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "taskbound.shutdown-timeout must not be negative, was " + shutdownTimeout);
        }
        if (deadNodeTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("taskbound.dead-node-timeout (" + deadNodeTimeout
                    + ") must be at least twice taskbound.heartbeat-interval (" + heartbeatInterval
                    + "), or live nodes would be declared dead");
        }
        if (completionBatchSize < 1) {
            throw new IllegalArgumentException(
                    "taskbound.completion-batch-size must be at least 1, was " + completionBatchSize);
        }
        if (completionWriters < 1) {
            throw new IllegalArgumentException(
                    "taskbound.completion-writers must be at least 1, was " + completionWriters);
        }
        lanes = Map.copyOf(lanes);
        routes = Map.copyOf(routes);
        retention = Map.copyOf(retention);
        for (Map.Entry<Bound, String> route : routes.entrySet()) {
            if (!lanes.containsKey(route.getValue())) {
                throw new IllegalArgumentException("Bound type " + route.getKey() + " is routed to lane \""
                        + route.getValue() + "\", which is not configured (lanes: " + lanes.keySet() + ")");
            }
        }
        for (Bound bound : Bound.values()) {
            if (!routes.containsKey(bound)) {
                throw new IllegalArgumentException("Bound type " + bound + " has no lane");
            }
        }
    }

    /** The defaults, on a machine with this JVM's number of processors. */
    public static TaskboundSettings defaults() {
        return defaults(Runtime.getRuntime().availableProcessors());
    }

    /** The defaults, on a machine with {@code cores} processors. */
    public static TaskboundSettings defaults(int cores) {
        Map<String, LaneSettings> lanes = new LinkedHashMap<>();
        Map<Bound, String> routes = new EnumMap<>(Bound.class);
        LaneSettings.defaults(cores).forEach((bound, lane) -> {
            lanes.put(bound.defaultLane(), lane);
            routes.put(bound, bound.defaultLane());
        });
        return new TaskboundSettings(
                null,
                DEFAULT_POLL_INTERVAL,
                DEFAULT_POLL_ONLY,
                DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_DEAD_NODE_TIMEOUT,
                DEFAULT_SHUTDOWN_TIMEOUT,
                DEFAULT_COMPLETION_BATCH_SIZE,
                defaultCompletionWriters(cores),
                lanes,
                routes,
                defaultRetention(),
                DEFAULT_PRUNE_INTERVAL,
                DEFAULT_MISFIRE_THRESHOLD,
                DEFAULT_NETWORK_TIMEOUT,
                DEFAULT_FIGURES_INTERVAL);
    }

    /**
     * Writers of outcomes on a machine with {@code cores} processors: a quarter of them, so that a
     * big machine keeps several statements under way while the database commits; at least two, so
     * that one slow commit does not hold every outcome back; at most eight, a handful of the pool's
     * connections.
     */
    public static int defaultCompletionWriters(int cores) {
        return Math.clamp(cores / 4, MIN_DEFAULT_COMPLETION_WRITERS, MAX_DEFAULT_COMPLETION_WRITERS);
    }

    public static Map<JobState, Duration> defaultRetention() {
        return Map.of(
                JobState.SUCCEEDED, DEFAULT_SUCCEEDED_RETENTION,
                JobState.CANCELLED, DEFAULT_CANCELLED_RETENTION,
                JobState.DEAD, DEFAULT_DEAD_RETENTION);
    }

    /** The settings of the lane called {@code name}. */
    public LaneSettings lane(String name) {
        LaneSettings lane = lanes.get(name);
        if (lane == null) {
            throw new IllegalArgumentException("Unknown lane \"" + name + "\" (lanes: " + lanes.keySet() + ")");
        }
        return lane;
    }

    public TaskboundSettings withLane(String name, LaneSettings lane) {
        Map<String, LaneSettings> changed = new LinkedHashMap<>(lanes);
        changed.put(name, lane);
        return new TaskboundSettings(
                nodeName,
                pollInterval,
                pollOnly,
                heartbeatInterval,
                deadNodeTimeout,
                shutdownTimeout,
                completionBatchSize,
                completionWriters,
                changed,
                routes,
                retention,
                pruneInterval,
                misfireThreshold,
                networkTimeout,
                figuresInterval);
    }

    public TaskboundSettings withTimings(
            Duration pollInterval, Duration heartbeatInterval, Duration deadNodeTimeout, Duration shutdownTimeout) {
        return new TaskboundSettings(
                nodeName,
                pollInterval,
                pollOnly,
                heartbeatInterval,
                deadNodeTimeout,
                shutdownTimeout,
                completionBatchSize,
                completionWriters,
                lanes,
                routes,
                retention,
                pruneInterval,
                misfireThreshold,
                networkTimeout,
                figuresInterval);
    }

    private static void requirePositive(String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("taskbound." + property + " must be positive, was " + value);
        }
    }

    /** The same settings with another network timeout. */
    public TaskboundSettings withNetworkTimeout(Duration networkTimeout) {
        return new TaskboundSettings(
                nodeName,
                pollInterval,
                pollOnly,
                heartbeatInterval,
                deadNodeTimeout,
                shutdownTimeout,
                completionBatchSize,
                completionWriters,
                lanes,
                routes,
                retention,
                pruneInterval,
                misfireThreshold,
                networkTimeout,
                figuresInterval);
    }

    /** The same settings with another completion batch size. */
    public TaskboundSettings withCompletionBatchSize(int completionBatchSize) {
        return new TaskboundSettings(
                nodeName,
                pollInterval,
                pollOnly,
                heartbeatInterval,
                deadNodeTimeout,
                shutdownTimeout,
                completionBatchSize,
                completionWriters,
                lanes,
                routes,
                retention,
                pruneInterval,
                misfireThreshold,
                networkTimeout,
                figuresInterval);
    }

    /** The same settings with another number of outcome writers. */
    public TaskboundSettings withCompletionWriters(int completionWriters) {
        return new TaskboundSettings(
                nodeName,
                pollInterval,
                pollOnly,
                heartbeatInterval,
                deadNodeTimeout,
                shutdownTimeout,
                completionBatchSize,
                completionWriters,
                lanes,
                routes,
                retention,
                pruneInterval,
                misfireThreshold,
                networkTimeout,
                figuresInterval);
    }
}
