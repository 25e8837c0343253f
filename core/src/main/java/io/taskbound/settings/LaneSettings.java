package io.taskbound.settings;

import io.taskbound.Bound;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How one lane runs: its executor, how many jobs it runs at once on each node, how it claims, and
 * its default timeout and retry policy.
 *
 * @param executor the executor that runs the lane's jobs: {@code VIRTUAL}, {@code PLATFORM} or {@code PROCESS} (see
 *     {@link ExecutorKind}; given in any case, kept in upper case), or the name of an executor
 *     registered with the engine
 * @param concurrency jobs the lane runs at once on one node
 * @param priority precedence of the lane over others: a hint to the scheduler for its threads, and
 *     the order in which lanes are listed
 * @param batchSize most jobs claimed in one statement; when larger than {@code concurrency}, the lane
 *     may claim ahead: it holds up to this many jobs, the ones beyond {@code concurrency} waiting on
 *     this node for a free slot, so that short jobs on few threads do not wait on a claim each time.
 *     How many it holds ahead also follows its jobs' recent run times: about what it finishes in
 *     one second, fewer until runs are measured
 * @param timeout how long a run may take before it is interrupted; null for no limit
 * @param maxAttempts attempts before a job is dead, first run included, unless the job sets its own
 * @param initialBackoff delay before the first retry; each next retry waits twice as long
 * @param maxBackoff longest delay between retries
 */
public record LaneSettings(
        String executor,
        int concurrency,
        int priority,
        int batchSize,
        @Nullable Duration timeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff) {

    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);

    public LaneSettings {
        if (executor == null || executor.isBlank()) {
            throw new IllegalArgumentException(
                    "Lane executor must be virtual, platform, process or a registered executor's name");
        }
        executor = ExecutorKind.named(executor).map(ExecutorKind::name).orElse(executor);
        if (concurrency < 1) {
            throw new IllegalArgumentException("Lane concurrency must be at least 1, was " + concurrency);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("Lane batch size must be at least 1, was " + batchSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("Lane max attempts must be at least 1, was " + maxAttempts);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("Lane timeout must be positive, was " + timeout);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("Lane backoff must satisfy 0 <= initial-backoff <= max-backoff, was "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    /** A lane run by one of the built-in executors. */
    public LaneSettings(
            ExecutorKind executor,
            int concurrency,
            int priority,
            int batchSize,
            @Nullable Duration timeout,
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff) {
        this(executor.name(), concurrency, priority, batchSize, timeout, maxAttempts, initialBackoff, maxBackoff);
    }

    /** The built-in executor the lane names; empty when it names an executor registered by name. */
    public Optional<ExecutorKind> executorKind() {
        return ExecutorKind.named(executor);
    }

    /** The default lane of each bound type, on a machine with {@code cores} processors. */
    public static Map<Bound, LaneSettings> defaults(int cores) {
        Map<Bound, LaneSettings> lanes = new EnumMap<>(Bound.class);
        lanes.put(Bound.IO, of(ExecutorKind.VIRTUAL, 1_000, 50, 500));
        lanes.put(Bound.NETWORK, of(ExecutorKind.VIRTUAL, 1_000, 50, 500));
        lanes.put(Bound.CONCURRENCY, of(ExecutorKind.VIRTUAL, 10_000, 50, 1_000));
        lanes.put(Bound.LATENCY, of(ExecutorKind.VIRTUAL, 256, 100, 32));
        lanes.put(Bound.INTERACTIVE, of(ExecutorKind.VIRTUAL, 256, 100, 32));
        lanes.put(Bound.CPU, of(ExecutorKind.PLATFORM, cores, 40, cores));
        lanes.put(Bound.THROUGHPUT, of(ExecutorKind.PLATFORM, cores, 10, 500));
        lanes.put(Bound.GPU, of(ExecutorKind.PLATFORM, 1, 40, 1));
        lanes.put(Bound.DISK, of(ExecutorKind.PLATFORM, 2, 40, 2));
        // One worker JVM with a heap of its own: a job that exhausts it, or exits, takes only its run.
        lanes.put(Bound.MEMORY, of(ExecutorKind.PROCESS, 1, 30, 1));
        lanes.put(Bound.CONSTRAINED, of(ExecutorKind.PLATFORM, 1, 0, 1));
        return lanes;
    }

    private static LaneSettings of(ExecutorKind executor, int concurrency, int priority, int batchSize) {
        return new LaneSettings(
                executor,
                concurrency,
                priority,
                batchSize,
                null,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_INITIAL_BACKOFF,
                DEFAULT_MAX_BACKOFF);
    }

    /**
     * Most jobs the lane holds on one node: running, or claimed ahead and waiting for a free slot.
     * The lane never runs more than {@code concurrency} of them at once, whatever its executor.
     */
    public int maxHeld() {
        return Math.max(concurrency, batchSize);
    }

    /**
     * The same lane with another concurrency and its batch size scaled in proportion: the batch size
     * times the new concurrency over the current one, rounded up. A lane that claims no more than it
     * runs keeps doing so (the I/O lane's 500 of 1,000 become 13 of 25), and a lane that claims
     * ahead keeps claiming ahead in the same measure.
     */
    public LaneSettings withConcurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("Lane concurrency must be at least 1, was " + concurrency);
        }
        long scaled = Math.ceilDiv((long) batchSize * concurrency, this.concurrency);
        return new LaneSettings(
                executor,
                concurrency,
                priority,
                (int) Math.min(Integer.MAX_VALUE, scaled),
                timeout,
                maxAttempts,
                initialBackoff,
                maxBackoff);
    }
}
