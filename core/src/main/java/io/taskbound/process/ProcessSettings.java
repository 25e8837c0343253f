package io.taskbound.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

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
 * @param recycleAboveHeap heap in use after a job, written as {@code heap} is, above which the
 *     worker is replaced by a fresh one, so that what a job left reachable (a static cache) does not
 *     squeeze the next jobs; null never to recycle for it. It must be below {@code heap}
 * @param idleTimeout how long a worker may wait for a job before it is closed: on a lazy lane it is
 *     gone until a job needs one, on an eager lane a worker that ran jobs is replaced by a fresh
 *     one, so the lane stays warm and gives back what its workers grew; null to keep idle workers
 * @param aotCache a directory where the lane keeps a JDK AOT cache of its workers' classes, which it
 *     records with its first worker and makes once that worker has exited, so that the workers
 *     started after it, in this run of the application and the next ones, start faster (see {@link
 *     WorkerCache}); null for none, when the workers use the application's own cache if it has one
 */
public record ProcessSettings(
        int workers,
        String heap,
        List<String> jvmOptions,
        boolean eagerStart,
        int maxJobsPerWorker,
        Duration startTimeout,
        @Nullable String recycleAboveHeap,
        @Nullable Duration idleTimeout,
        @Nullable Path aotCache) {

    public static final String DEFAULT_HEAP = "256m";
    public static final int DEFAULT_MAX_JOBS_PER_WORKER = 1_000;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern SIZE = Pattern.compile("([1-9][0-9]*)([kKmMgGtT]?)");

    public ProcessSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("A process lane needs at least 1 worker, was " + workers);
        }
        Objects.requireNonNull(heap, "heap");
        if (!SIZE.matcher(heap).matches()) {
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
        if (recycleAboveHeap != null) {
            if (!SIZE.matcher(recycleAboveHeap).matches()) {
                throw new IllegalArgumentException("Heap to recycle a worker above \"" + recycleAboveHeap
                        + "\" is not a size: write it as the heap is, like \"200m\" or \"1g\"");
            }
            if (bytes(recycleAboveHeap) >= bytes(heap)) {
                throw new IllegalArgumentException("A worker would be recycled above " + recycleAboveHeap
                        + " of heap in use, which its heap of " + heap + " never exceeds: set it below the heap,"
                        + " or leave it unset");
            }
        }
        if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
            throw new IllegalArgumentException("Worker idle timeout must be positive, was " + idleTimeout
                    + "; leave it unset to keep idle workers");
        }
    }

    /**
     * {@code workers} workers of {@value #DEFAULT_HEAP} each, started lazily, replaced after 1,000
     * jobs, kept however much heap they hold and however long they wait, with no AOT cache of the
     * lane's own.
     */
    public static ProcessSettings defaults(int workers) {
        return new ProcessSettings(
                workers,
                DEFAULT_HEAP,
                List.of(),
                false,
                DEFAULT_MAX_JOBS_PER_WORKER,
                DEFAULT_START_TIMEOUT,
                null,
                null,
                null);
    }

    /** {@link #recycleAboveHeap} in bytes; -1 when unset. */
    public long recycleAboveHeapBytes() {
        return recycleAboveHeap == null ? -1 : bytes(recycleAboveHeap);
    }

    // A size as -Xmx reads it: bytes, or k, m, g, t of 1024.
    private static long bytes(String size) {
        var matcher = SIZE.matcher(size);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a size: \"" + size + "\"");
        }
        int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        long value = Long.parseLong(matcher.group(1));
        if (value > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("Size \"" + size + "\" is too large");
        }
        return value << shift;
    }

    public ProcessSettings withWorkers(int workers) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    public ProcessSettings withHeap(String heap) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    public ProcessSettings withJvmOptions(List<String> jvmOptions) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    public ProcessSettings withEagerStart(boolean eagerStart) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    public ProcessSettings withMaxJobsPerWorker(int maxJobsPerWorker) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    public ProcessSettings withStartTimeout(Duration startTimeout) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    /** With workers recycled above {@code recycleAboveHeap} of heap in use after a job; null for never. */
    public ProcessSettings withRecycleAboveHeap(@Nullable String recycleAboveHeap) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    /** With idle workers closed after {@code idleTimeout}; null to keep them. */
    public ProcessSettings withIdleTimeout(@Nullable Duration idleTimeout) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }

    /** With the lane's own AOT cache of its workers kept in the directory {@code aotCache}; null for none. */
    public ProcessSettings withAotCache(@Nullable Path aotCache) {
        return new ProcessSettings(
                workers,
                heap,
                jvmOptions,
                eagerStart,
                maxJobsPerWorker,
                startTimeout,
                recycleAboveHeap,
                idleTimeout,
                aotCache);
    }
}
