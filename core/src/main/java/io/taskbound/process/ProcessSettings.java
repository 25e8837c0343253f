package io.taskbound.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a process lane runs its worker JVMs.
 *
 * @param workers worker JVMs at most, each running one job at a time: the lane's concurrency
 * @param heap each worker's heap budget, as {@code -Xmx} takes it ({@code 256m}, {@code 2g})
 * @param jvmOptions further options for each worker's JVM, such as {@code -XX:+UseSerialGC}
 * @param eagerStart whether the workers start with the lane rather than at its first jobs
 * @param maxJobsPerWorker jobs a worker runs before it is replaced by a fresh one, so that what a
 *     job leaks (static caches, threads, native memory) does not pile up
 * @param startTimeout how long a worker may take to say it is ready before it counts as failed
 */
public record ProcessSettings(
        int workers,
        String heap,
        List<String> jvmOptions,
        boolean eagerStart,
        int maxJobsPerWorker,
        Duration startTimeout) {

    public static final String DEFAULT_HEAP = "256m";
    public static final int DEFAULT_MAX_JOBS_PER_WORKER = 1_000;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgGtT]?");

    public ProcessSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("A process lane needs at least 1 worker, was " + workers);
        }
        Objects.requireNonNull(heap, "heap");
        if (!HEAP.matcher(heap).matches()) {
            throw new IllegalArgumentException(
                    "Worker heap \"" + heap + "\" is not a size -Xmx takes: write it like \"256m\" or \"2g\"");
        }
        jvmOptions = List.copyOf(jvmOptions);
        if (maxJobsPerWorker < 1) {
            throw new IllegalArgumentException(
                    "A worker must run at least 1 job before it is replaced, was " + maxJobsPerWorker);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("Worker start timeout must be positive, was " + startTimeout);
        }
    }

    /** {@code workers} workers of {@value #DEFAULT_HEAP} each, started lazily, replaced after 1,000 jobs. */
    public static ProcessSettings defaults(int workers) {
        return new ProcessSettings(
                workers, DEFAULT_HEAP, List.of(), false, DEFAULT_MAX_JOBS_PER_WORKER, DEFAULT_START_TIMEOUT);
    }

    public ProcessSettings withWorkers(int workers) {
        return new ProcessSettings(workers, heap, jvmOptions, eagerStart, maxJobsPerWorker, startTimeout);
    }

    public ProcessSettings withHeap(String heap) {
        return new ProcessSettings(workers, heap, jvmOptions, eagerStart, maxJobsPerWorker, startTimeout);
    }

    public ProcessSettings withJvmOptions(List<String> jvmOptions) {
        return new ProcessSettings(workers, heap, jvmOptions, eagerStart, maxJobsPerWorker, startTimeout);
    }

    public ProcessSettings withEagerStart(boolean eagerStart) {
        return new ProcessSettings(workers, heap, jvmOptions, eagerStart, maxJobsPerWorker, startTimeout);
    }

    public ProcessSettings withMaxJobsPerWorker(int maxJobsPerWorker) {
        return new ProcessSettings(workers, heap, jvmOptions, eagerStart, maxJobsPerWorker, startTimeout);
    }

    public ProcessSettings withStartTimeout(Duration startTimeout) {
        return new ProcessSettings(workers, heap, jvmOptions, eagerStart, maxJobsPerWorker, startTimeout);
    }
}
