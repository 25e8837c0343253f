package io.taskbound;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The work of a lane, or of one job name in it, across the cluster: what waits and what runs now,
 * and the runs of the last {@link LaneReport#window()}.
 *
 * @param queued jobs due now, waiting to be claimed
 * @param scheduled jobs due later: delayed or scheduled ones
 * @param retrying jobs whose last attempt failed, waiting for their next
 * @param running jobs started on some node and not yet finished
 * @param held jobs claimed by a node ahead of a free slot, not yet started
 * @param succeeded runs that succeeded in the window
 * @param failed runs that failed in the window, whether to be retried or dead
 * @param perSecond runs ended per second over the window, on all nodes together
 * @param waitP50 median time from when a run was due (its enqueue, for a job due at once) until it
 *     started, of the runs started in the window; null if none started
 * @param waitP95 95th percentile of the same
 * @param runP50 median run time of the runs ended in the window; null if none ended
 * @param runP95 95th percentile of the same
 */
public record WorkFigures(
        long queued,
        long scheduled,
        long retrying,
        int running,
        int held,
        long succeeded,
        long failed,
        double perSecond,
        @Nullable Duration waitP50,
        @Nullable Duration waitP95,
        @Nullable Duration runP50,
        @Nullable Duration runP95) {}
