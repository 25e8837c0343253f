package io.taskbound.store;

import java.util.List;

/**
 * Told of the jobs that statements other than a run's claim and outcome change, inside the
 * transaction that changes them, so that what it learns can wait for that transaction to commit
 * (or be forgotten on rollback). Set on the stores only while someone listens for job events;
 * without one, the statements build nothing for it.
 */
public interface JobChanges {

    /** Jobs inserted, QUEUED: enqueued, or made by a schedule's firing or trigger. */
    void inserted(List<ChangedJob> jobs);

    /** Waiting jobs cancelled, and running ones ended CANCELLED by a shutdown's re-queue. */
    void cancelled(List<ChangedJob> jobs);

    /**
     * Running jobs of nodes found dead: QUEUED again (the lost run counts as an attempt), or DEAD
     * after their last attempt, or CANCELLED if cancellation had been requested.
     */
    void recovered(List<ChangedJob> jobs);
}
