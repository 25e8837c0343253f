package io.taskbound;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What a running job knows of itself. A {@code @Job} method receives it by declaring a parameter of
 * this type (last); it is never part of the stored arguments.
 */
public interface JobContext {

    UUID jobId();

    String jobName();

    /**
     * For a job made by a schedule, the fire time it was made for (the slot it stands for, even
     * when it runs late or is retried), or the instant it was triggered; empty for other jobs.
     */
    Optional<Instant> fireTime();

    /** The current attempt, starting at 1. */
    int attempt();

    /** Appends a line to the job's log, stored with the job and shown in the dashboard. */
    void log(String message);

    /** Records progress as a percentage from 0 to 100. */
    void progress(int percent);

    /** Whether cancellation was requested; a long-running job should check it and stop. */
    boolean isCancellationRequested();

    /** Throws {@link JobCancelledException} if cancellation was requested. */
    default void throwIfCancellationRequested() {
        if (isCancellationRequested()) {
            throw new JobCancelledException(jobId());
        }
    }
}
