package io.taskbound;

import java.util.List;

/**
 * The bound advisor: from the runs of each job name on this node, what the job's bound looks like
 * in practice, and where it is not what the job declares. Reach it with {@link Jobs#advisor()}.
 *
 * <p>It looks at a window of recent runs per job name (see {@code taskbound.advisor.*}) and says
 * nothing of a name with fewer runs than the window's minimum. Each node advises on the runs it
 * ran; a job that runs on several nodes is advised on each.
 */
public interface BoundAdvisor {

    /** Every job name this node ran in the window, observed, sorted by name. */
    List<BoundAdvice> observations();

    /** The observations whose declared bound does not fit: {@link BoundAdvice#mismatch()}. */
    default List<BoundAdvice> findings() {
        return observations().stream().filter(BoundAdvice::mismatch).toList();
    }
}
