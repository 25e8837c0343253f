package io.taskbound.run;

import io.taskbound.RunFigures;
import java.lang.management.ManagementFactory;
import org.jspecify.annotations.Nullable;

/**
 * Wall time, CPU time and allocated bytes of one run.
 *
 * <p>CPU time and allocation come from the JVM's per-thread counters, which only mean something for
 * a thread that runs the job alone from start to end: a platform thread. A virtual thread moves
 * between carrier threads at every blocking call, and the JDK answers -1 for its counters, so for
 * virtual-thread lanes only wall time is recorded and CPU and allocation are left empty rather
 * than guessed.
 *
 * <p>A run elsewhere is measured here for its wall time only; the rest is what its executor
 * {@link #reported reports}. Peak heap is known only of a run elsewhere: the application's own heap
 * is shared by all its threads and says nothing of one job's needs.
 */
final class RunMeasurement {

    private static final com.sun.management.@Nullable ThreadMXBean THREADS = threads();

    private final long startNanos;
    private final long startCpu;
    private final long startAllocated;
    private final @Nullable RunFigures reported;

    private RunMeasurement(boolean threadCounters) {
        startNanos = System.nanoTime();
        boolean measurable =
                threadCounters && THREADS != null && !Thread.currentThread().isVirtual();
        startCpu = measurable ? THREADS.getCurrentThreadCpuTime() : -1;
        startAllocated = measurable ? THREADS.getCurrentThreadAllocatedBytes() : -1;
        reported = null;
    }

    private RunMeasurement(long startNanos, RunFigures reported) {
        this.startNanos = startNanos;
        this.startCpu = -1;
        this.startAllocated = -1;
        this.reported = reported;
    }

    /** Measures a run on the calling thread, from now until it ends on the same thread. */
    static RunMeasurement start() {
        return new RunMeasurement(true);
    }

    /** Measures only the wall time of a run elsewhere: this JVM's thread counters do not see it. */
    static RunMeasurement wallOnly() {
        return new RunMeasurement(false);
    }

    /** This run's wall time as measured here, with what its executor measured elsewhere. */
    RunMeasurement reported(RunFigures figures) {
        return new RunMeasurement(startNanos, figures);
    }

    long wallMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    @Nullable
    Long cpuMicros() {
        if (reported != null) {
            return reported.cpuTime() == null ? null : reported.cpuTime().toNanos() / 1_000;
        }
        if (startCpu < 0) {
            return null;
        }
        long now = THREADS.getCurrentThreadCpuTime();
        return now < 0 ? null : (now - startCpu) / 1_000;
    }

    @Nullable
    Long allocatedBytes() {
        if (reported != null) {
            return reported.allocatedBytes();
        }
        if (startAllocated < 0) {
            return null;
        }
        long now = THREADS.getCurrentThreadAllocatedBytes();
        return now < 0 ? null : now - startAllocated;
    }

    @Nullable
    Long peakHeapBytes() {
        return reported == null ? null : reported.peakHeapBytes();
    }

    private static com.sun.management.@Nullable ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isCurrentThreadCpuTimeSupported()) {
            if (!threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
            if (threads.isThreadAllocatedMemorySupported() && !threads.isThreadAllocatedMemoryEnabled()) {
                threads.setThreadAllocatedMemoryEnabled(true);
            }
            return threads;
        }
        return null;
    }
}
