package io.taskbound;

import org.jspecify.annotations.Nullable;

/**
 * What this node observed of one job name's recent runs, set against the bound the job declares:
 * the bound advisor's view of it. Read with {@link BoundAdvisor}.
 *
 * @param jobName the job's name
 * @param lane the lane its runs ran on
 * @param declared the bound the job declares ({@code @Job(bound = ...)})
 * @param observed what its runs look like: computing, waiting, or heavy on memory
 * @param confidence how sure the observation is, from 0 to 1: it grows with the number of runs and
 *     with how far the figures are from the line between two kinds
 * @param runs the runs in the advisor's window
 * @param cpuShare CPU time over wall time of those runs, from 0 to 1 (a job that starts threads of
 *     its own may go above 1); null while unknown. On platform threads and in worker JVMs it is the
 *     job thread's CPU time, which a machine short of cores holds down; on virtual threads it is
 *     estimated from JFR's execution samples of the job's thread, which count the time it ran Java
 *     code whether or not it had a core (see the README's "Bound advisor")
 * @param waitingShare the rest of the wall time, {@code 1 - cpuShare}: blocked, sleeping or waiting;
 *     null while unknown
 * @param allocatedBytesPerRun bytes allocated per run, on average; null while unknown. Measured on
 *     platform threads and in worker JVMs, estimated from JFR's allocation samples on virtual threads
 * @param allocatedBytesPerSecond the allocation rate while the runs ran: bytes allocated over their
 *     wall time; null while unknown
 * @param peakHeapBytes the largest heap peak of a run in a worker JVM; null for runs elsewhere
 * @param suggested the bound the runs fit better; null when the declared one fits
 * @param reason in a sentence, what was seen and what to do
 */
public record BoundAdvice(
        String jobName,
        String lane,
        Bound declared,
        Observed observed,
        double confidence,
        long runs,
        @Nullable Double cpuShare,
        @Nullable Double waitingShare,
        @Nullable Long allocatedBytesPerRun,
        @Nullable Long allocatedBytesPerSecond,
        @Nullable Long peakHeapBytes,
        @Nullable Bound suggested,
        String reason) {

    /** What a job's runs look like. */
    public enum Observed {
        /** Mostly computing: CPU time is at least half of wall time. */
        CPU_BOUND,
        /** Mostly waiting: CPU time is at most 20 % of wall time. */
        IO_BOUND,
        /** Allocates or holds enough that it should not share the application's heap. */
        MEMORY_HEAVY,
        /** Between the two: neither lane is clearly better. */
        MIXED,
        /** Too few runs, or no CPU time measured yet. */
        UNKNOWN
    }

    /** Whether the declared bound does not fit the runs: the job should say {@link #suggested}. */
    public boolean mismatch() {
        return suggested != null;
    }
}
