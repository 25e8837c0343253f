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
    EFFECT
}
