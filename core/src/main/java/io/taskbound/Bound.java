package io.taskbound;

/**
 * What limits a job: the resource it spends most of its time waiting for or using. Each bound
 * type routes to a lane (by default the lane of the same name, see {@code taskbound.lanes}) whose
 * executor fits it: virtual threads for waiting, platform threads for computing, a worker JVM for
 * work that must not share the application's heap.
 */
public enum Bound {
    /** Waits on files, databases or remote services; runs on virtual threads. The default. */
    IO,
    /** Waits on remote hosts over the network; runs on virtual threads. */
    NETWORK,
    /** Many simultaneous waits (fan-out, polling); runs on virtual threads with a high limit. */
    CONCURRENCY,
    /** Must start fast; its own lane with the highest claim priority, never behind batch work. */
    LATENCY,
    /** A user is waiting for the result; like {@link #LATENCY}. */
    INTERACTIVE,
    /** Computes; runs on a platform pool sized to the cores. */
    CPU,
    /** Bulk work where jobs per second matter more than any single job; large claim batches. */
    THROUGHPUT,
    /** Uses an accelerator; serialised on one platform thread per device. */
    GPU,
    /** Blocking file I/O; a small platform pool, because blocking file calls pin virtual threads. */
    DISK,
    /**
     * Needs a large heap, or must not share the application's: its lane runs one job at a time in a
     * warm worker JVM with a heap budget of its own (the {@code process} executor), so that a job
     * that exhausts it, exits the JVM or crashes fails alone and the application never shares its
     * garbage collection pauses.
     */
    MEMORY,
    /** Should only use spare capacity; one platform thread, lowest priority. */
    CONSTRAINED;

    /** The name of the lane this bound type routes to unless configured otherwise. */
    public String defaultLane() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
