package io.taskbound.advice;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one job name's runs added up to on this node over one stretch of time: counters that runs
 * and samples add to from any thread, read together when the advisor looks.
 */
final class RunProfile {

    final long startedAtNanos;
    volatile String lane = "";
    final LongAdder runs = new LongAdder();
    final LongAdder wallNanos = new LongAdder();
    /** CPU time measured by the job's thread or worker, and the wall time of those runs. */
    final LongAdder measuredCpuNanos = new LongAdder();

    final LongAdder measuredCpuWallNanos = new LongAdder();
    /** Runs on virtual threads, whose CPU time and allocation are sampled: their wall time and count. */
    final LongAdder sampledWallNanos = new LongAdder();

    final LongAdder sampledRuns = new LongAdder();
    final LongAdder sampledCpuNanos = new LongAdder();
    final LongAdder sampledAllocatedBytes = new LongAdder();
    /** Allocation measured by the job's thread or worker, and the runs and wall time it covers. */
    final LongAdder measuredAllocatedBytes = new LongAdder();

    final LongAdder measuredAllocationRuns = new LongAdder();
    final LongAdder measuredAllocationWallNanos = new LongAdder();
    final AtomicLong peakHeapBytes = new AtomicLong(-1);

    RunProfile(long startedAtNanos) {
        this.startedAtNanos = startedAtNanos;
    }

    /** The figures of this stretch and {@code earlier} together. */
    Figures with(RunProfile earlier) {
        Figures now = figures();
        Figures before = earlier.figures();
        return new Figures(
                lane.isEmpty() ? earlier.lane : lane,
                now.runs + before.runs,
                now.wallNanos + before.wallNanos,
                now.cpuNanos + before.cpuNanos,
                now.cpuWallNanos + before.cpuWallNanos,
                now.allocatedBytes + before.allocatedBytes,
                now.allocationRuns + before.allocationRuns,
                now.allocationWallNanos + before.allocationWallNanos,
                Math.max(now.peakHeapBytes, before.peakHeapBytes));
    }

    private Figures figures() {
        long sampledWall = sampledWallNanos.sum();
        long sampledRunCount = sampledRuns.sum();
        return new Figures(
                lane,
                runs.sum(),
                wallNanos.sum(),
                measuredCpuNanos.sum() + sampledCpuNanos.sum(),
                measuredCpuWallNanos.sum() + sampledWall,
                measuredAllocatedBytes.sum() + sampledAllocatedBytes.sum(),
                measuredAllocationRuns.sum() + sampledRunCount,
                measuredAllocationWallNanos.sum() + sampledWall,
                peakHeapBytes.get());
    }

    /**
     * Sums over a window: CPU time over the wall time of the runs it was measured or sampled for,
     * allocation over the runs and wall time it covers, the largest heap peak (-1 for none).
     */
    record Figures(
            String lane,
            long runs,
            long wallNanos,
            long cpuNanos,
            long cpuWallNanos,
            long allocatedBytes,
            long allocationRuns,
            long allocationWallNanos,
            long peakHeapBytes) {}
}
