package io.taskbound.bench;

/** The work a benchmark job does; every contender maps each kind to a job of its own. */
public enum JobKind {
    /** Returns at once: measures the queue, not the work. */
    NOOP,
    /** Waits one second: I/O-bound, the seed's {@code add(a, b)} scaled up. */
    SLEEP_1S,
    /** Computes for about 50 ms of one core. */
    CPU_50MS,
    /** Returns at once, but its start time is measured: the latency-sensitive stream. */
    LATENCY_PROBE,
    /** Returns at once; {@link SoakProbe} records its start: the soak scenario's steady stream. */
    SOAK,
    /** Records its effect in the run's database, then waits 2 s: the faults scenario's job ({@link FaultProbe}). */
    EFFECT,
    /** Waits 100 ms and builds a 64 KB buffer, then records that it ended: the memory scenario's ordinary job. */
    ORDINARY,
    /** Allocates and holds 16 KB chunks without end, past any heap here: a runaway job ({@link MemoryProbe}). */
    MEMORY_RUNAWAY,
    /** Calls {@code Runtime.getRuntime().halt(137)}: a job that takes its JVM down. */
    MEMORY_HALT,
    /** Holds 80 % of its JVM's maximum heap for 5 s, then lets go. */
    MEMORY_HOLD,
    /** Allocates its index in GB, in 1 MB chunks it drops at once: the gc-isolation scenario's churn. */
    MEMORY_CHURN,
    /** Returns at once, on the memory lane: the process-overhead scenario's round trip. */
    MEMORY_NOOP
}
