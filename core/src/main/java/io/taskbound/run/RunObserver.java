package io.taskbound.run;

import io.taskbound.JobState;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;

/**
 * Told of runs as they start and end, and of their outcomes as the completer writes them. Set on
 * the runner and the completer only while someone listens for job events; without one, runs pay
 * nothing for it. Calls come on lane threads and the completer's writer threads: keep them short.
 */
public interface RunObserver {

    /** A run of {@code job} begins, on its lane thread. */
    void started(ClaimedJob job);

    /** A run of {@code job} ended with {@code outcome}, which goes to the completer next. */
    void ended(ClaimedJob job, Completion outcome);

    /**
     * {@code outcome} was written and committed; {@code stored} is the state it left the job in,
     * which is CANCELLED rather than the outcome's RETRYING or DEAD when cancellation had been
     * requested. An outcome the database refused may be written as another (DEAD) one, reported
     * first; the refused one's report then comes too and finds its run already told.
     */
    void written(Completion outcome, JobState stored);

    /**
     * {@code outcome} will never be written: its lease was taken back (its node was declared dead,
     * or the job re-queued), so another run answers for the job.
     */
    void discarded(Completion outcome);
}
