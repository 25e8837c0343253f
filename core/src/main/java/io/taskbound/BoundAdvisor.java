package io.taskbound;

import java.util.List;

/**
 * The bound advisor: from the runs of each job name on this node, what the job's bound looks like
 * in practice, and where it is not what the job declares. Reach it with {@link Jobs#advisor()}.
 *
 * <p>It looks at a window of recent runs per job name (see {@code taskbound.advisor.*}) and says
 * nothing of a name with fewer runs than the window's minimum. Each node advises on the runs it
 * ran; a job that runs on several nodes is advised on each.
 *
 * <p>It also watches this node's lanes over the same window, and says which of them are held back
 * by their concurrency rather than by the machine ({@link #lanes()}).
 */
public interface BoundAdvisor {

    /** Every job name this node ran in the window, observed, sorted by name. */
    List<BoundAdvice> observations();

    /** The observations whose declared bound does not fit: {@link BoundAdvice#mismatch()}. */
    default List<BoundAdvice> findings() {
        return observations().stream().filter(BoundAdvice::mismatch).toList();
    }

    /**
     * The lanes of this node whose concurrency is the bottleneck: saturated with work waiting for
     * much of the window while the CPU was mostly idle, each with a concurrency to try; sorted by
     * lane. Empty where the advisor is off or sees none.
     */
    default List<LaneAdvice> lanes() {
        return List.of();
    }
}
