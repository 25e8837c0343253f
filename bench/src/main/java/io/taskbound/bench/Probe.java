package io.taskbound.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What every contender's job body calls: it does the job's work and records, in this JVM, when
 * each probe started and how many jobs of each kind finished. Timestamps are {@link
 * System#nanoTime()}, comparable within the worker JVM where both enqueue and start happen.
 */
public final class Probe {

    private static final int MAX_PROBES = 1 << 16;
    private static final AtomicLongArray ENQUEUED = new AtomicLongArray(MAX_PROBES);
    private static final AtomicLongArray STARTED = new AtomicLongArray(MAX_PROBES);
    private static final AtomicLong[] FINISHED = new AtomicLong[JobKind.values().length];
    private static volatile long cpuIterations = 1_000_000;
    private static volatile long sink;

    static {
        for (int i = 0; i < FINISHED.length; i++) {
            FINISHED[i] = new AtomicLong();
        }
    }

    private Probe() {}

    /** Forgets every count and timestamp: each scenario starts from zero in a worker JVM. */
    public static void reset() {
        for (int i = 0; i < MAX_PROBES; i++) {
            ENQUEUED.set(i, 0);
            STARTED.set(i, 0);
        }
        for (AtomicLong finished : FINISHED) {
            finished.set(0);
        }
    }

    /** The body of every benchmark job. */
    public static void run(JobKind kind, int index) throws InterruptedException {
        switch (kind) {
            case NOOP -> {}
            case SLEEP_1S -> Thread.sleep(1000);
            case CPU_50MS -> burn(cpuIterations);
            case LATENCY_PROBE -> STARTED.compareAndSet(index % MAX_PROBES, 0, System.nanoTime());
            case SOAK -> SoakProbe.ran(index);
            case EFFECT -> FaultProbe.run(index);
            case MEMORY_NOOP -> {}
            case ORDINARY, MEMORY_RUNAWAY, MEMORY_HALT, MEMORY_HOLD, MEMORY_CHURN -> MemoryProbe.run(kind, index);
        }
        FINISHED[kind.ordinal()].incrementAndGet();
    }

    /** Records that probe {@code index} is being enqueued now. */
    public static void enqueuing(int index) {
        ENQUEUED.set(index % MAX_PROBES, System.nanoTime());
    }

    /** Enqueue-to-start latency of probe {@code index} in nanoseconds, or -1 if it has not started. */
    public static long latencyNanos(int index) {
        long started = STARTED.get(index % MAX_PROBES);
        return started == 0 ? -1 : started - ENQUEUED.get(index % MAX_PROBES);
    }

    public static long finished(JobKind kind) {
        return FINISHED[kind.ordinal()].get();
    }

    /**
     * Sets the CPU job's work to about {@code target} of one core on this machine, measured after a
     * warm-up so that the JIT has compiled the loop.
     */
    public static long calibrate(java.time.Duration target) {
        long iterations = 100_000;
        for (int warmUp = 0; warmUp < 20; warmUp++) {
            burn(iterations);
        }
        long elapsed;
        do {
            iterations *= 2;
            elapsed = timed(iterations);
        } while (elapsed < 20_000_000);
        // The fastest of several timings: anything else running on the machine only slows a
        // timing down, and an inflated one would make the jobs shorter than they claim to be.
        for (int repeat = 0; repeat < 9; repeat++) {
            elapsed = Math.min(elapsed, timed(iterations));
        }
        cpuIterations = Math.max(1, iterations * target.toNanos() / elapsed);
        return cpuIterations;
    }

    private static long timed(long iterations) {
        long start = System.nanoTime();
        burn(iterations);
        return System.nanoTime() - start;
    }

    private static void burn(long iterations) {
        long x = 0x9E3779B97F4A7C15L;
        for (long i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        sink = x;
    }
}
