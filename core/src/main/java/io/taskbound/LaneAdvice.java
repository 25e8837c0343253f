package io.taskbound;

/**
 * A lane of this node whose concurrency, not the machine, holds its work back: over the advisor's
 * window it ran all its slots with work waiting for much of the time while this node's CPU was
 * mostly idle. Read with {@link BoundAdvisor#lanes()}.
 *
 * <p>The advisor looks at each lane once per {@code taskbound.advisor.lanes.sampling-period}. A
 * look finds the lane saturated when every slot runs a job and work waits for one: jobs this node
 * claimed ahead and holds for a free slot, or, for a lane that claims no more than it runs, a last
 * claim that took all it asked for (so more is due in the queue) or a wake-up for new work while
 * full. A paused lane is never advised on: its work waits for the pause, not for a slot.
 *
 * @param lane the lane's name
 * @param concurrency jobs the lane runs at once on this node now: its setting
 * @param samples the looks at the lane in the window
 * @param saturatedShare the share of those looks, from 0 to 1, that found the lane saturated
 * @param averageHeld jobs this node held for a free slot, on average over the looks that found the
 *     lane saturated; 0 for a lane that claims no more than it runs, whose waiting work stays in the
 *     queue
 * @param cpuBusyShare how busy this process kept the processors available to it while the lane was
 *     saturated, from 0 to 1: its CPU time over the elapsed time times the available processors
 * @param suggestedConcurrency the concurrency to try: the current one scaled by the CPU's headroom,
 *     at most four times it and at least one more
 * @param setting the property that sets it, ready to paste: {@code
 *     taskbound.lanes.<lane>.concurrency=<suggestedConcurrency>}
 * @param reason in a sentence, what was seen and what to do
 */
public record LaneAdvice(
        String lane,
        int concurrency,
        long samples,
        double saturatedShare,
        double averageHeld,
        double cpuBusyShare,
        int suggestedConcurrency,
        String setting,
        String reason) {}
