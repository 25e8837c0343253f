package io.taskbound;

/** Where a job is in its life. */
public enum JobState {
    /** Waiting to run at or after its {@code run_at}; also the state of delayed jobs. */
    QUEUED,
    /** Claimed by a node and running. */
    RUNNING,
    /** Its last attempt failed; it runs again at {@code run_at}, after a backoff. */
    RETRYING,
    /** Finished with a result. */
    SUCCEEDED,
    /** Failed on its last allowed attempt; kept with every attempt's error until pruned. */
    DEAD,
    /** Cancelled before or while running. */
    CANCELLED;

    /** Whether the job will never run again on its own. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD || this == CANCELLED;
    }
}
