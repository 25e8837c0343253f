package io.taskbound.advice;

/**
 * What the looks at one lane added up to over one stretch of time. Written and read under the
 * {@link LaneWatch}'s lock.
 */
final class LaneTally {

    final long startedAtNanos;
    private long samples;
    private long saturated;
    private long heldWhileSaturated;
    private long cpuNanos;
    private long cpuCapacityNanos;

    LaneTally(long startedAtNanos) {
        this.startedAtNanos = startedAtNanos;
    }

    /**
     * Adds one look at the lane. {@code cpuNanos} is the CPU time this process spent since the look
     * before and {@code capacityNanos} what its available processors could have spent meanwhile;
     * both are counted only when the lane is saturated, and neither when {@code cpuNanos} is
     * negative (unknown).
     */
    void add(LaneLoad load, long cpuNanos, long capacityNanos) {
        samples++;
        if (!load.saturated()) {
            return;
        }
        saturated++;
        heldWhileSaturated += load.held();
        if (cpuNanos >= 0 && capacityNanos > 0) {
            this.cpuNanos += cpuNanos;
            this.cpuCapacityNanos += capacityNanos;
        }
    }

    /** The figures of this stretch and {@code earlier} together. */
    Figures with(LaneTally earlier) {
        return new Figures(
                samples + earlier.samples,
                saturated + earlier.saturated,
                heldWhileSaturated + earlier.heldWhileSaturated,
                cpuNanos + earlier.cpuNanos,
                cpuCapacityNanos + earlier.cpuCapacityNanos);
    }

    /**
     * Sums over a window: looks, looks that found the lane saturated, the jobs held at those, and
     * the CPU time spent and available while it was saturated.
     */
    record Figures(long samples, long saturated, long heldWhileSaturated, long cpuNanos, long cpuCapacityNanos) {}
}
