package io.taskbound;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One claimed job, as a {@link JobExecutor} sees it: what to run, and how to report on it.
 *
 * <p>An executor running jobs in this JVM calls {@link #runHere()} and nothing else. One running a
 * job elsewhere calls {@link #start} when the run begins, may send {@link #log} lines and {@link
 * #progress}, and ends the run with exactly one {@link #succeeded} or {@link #failed}; later reports
 * are ignored. Whether the job is retried, dead, cancelled or timed out is decided by the engine
 * from these reports, the same way for every executor.
 *
 * <p>What the job's own process measured of the run (its CPU time, allocation, peak heap) comes
 * with the end, through the overloads that take {@link RunFigures}: those figures are only known
 * once the run is over, and a report of its end that carries them cannot be separated from them.
 * The run's wall time is always the engine's own, from {@link #start} to the end.
 */
public interface JobRun {

    UUID jobId();

    /** The registered job's name, as in {@code @Job(name)}. */
    String jobName();

    String lane();

    /** The job's arguments as a JSON array, in the order of the method's parameters. */
    String argumentsJson();

    /** This run's attempt, 1 for the first. */
    int attempt();

    /** Attempts before the job is dead, the first one included. */
    int maxAttempts();

    /** How long the run may take, the job's own or its lane's; empty for no limit. */
    Optional<Duration> timeout();

    /** The fire time of a job a schedule made; empty for others. */
    Optional<Instant> fireTime();

    /**
     * Runs the job's method on the calling thread and reports its outcome: decodes the arguments,
     * calls the method with a timeout and cancellation that interrupt this thread, measures the run
     * and records what it returned or threw. Returns when the run has ended.
     */
    void runHere();

    /**
     * Says that the run begins elsewhere and how to stop it early: the engine calls {@code stop}
     * (on its own thread; it must return quickly) when the run times out or is cancelled, and still
     * waits for {@link #succeeded} or {@link #failed}. Returns false when the run must not begin: the
     * node is shutting down (the job is re-queued) or the job was cancelled meanwhile (it is
     * recorded as cancelled); report nothing more then.
     */
    boolean start(Runnable stop);

    /** Whether the job was asked to stop; {@code stop} has been called too when it was given. */
    boolean isCancellationRequested();

    /** Adds a line to the job's log. */
    void log(String message);

    /** Records the job's progress, 0 to 100. */
    void progress(int percent);

    /** Ends a started run with what it returned, as JSON; null for no result. Nothing was measured. */
    default void succeeded(@Nullable String resultJson) {
        succeeded(resultJson, RunFigures.NONE);
    }

    /** Ends a started run with what it returned, as JSON (null for no result), and what was measured of it. */
    void succeeded(@Nullable String resultJson, RunFigures figures);

    /** Ends a started run with the error it failed with. Nothing was measured. */
    default void failed(JobError error) {
        failed(error, RunFigures.NONE);
    }

    /**
     * Ends a started run with the error it failed with and what was measured of it: a job that threw
     * has figures as one that returned; a run whose process died has none.
     */
    void failed(JobError error, RunFigures figures);
}
