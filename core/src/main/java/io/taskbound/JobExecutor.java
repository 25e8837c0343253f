package io.taskbound;

import java.time.Duration;
import java.util.List;

/**
 * Runs a lane's jobs. A lane hands each claimed job to its executor as a {@link JobRun}, never more
 * at once than the lane's concurrency, and the run reports its own outcome: an executor decides
 * only where and on which thread a job runs. Retries, backoff, timeouts and cancellation are the
 * engine's, the same for every executor.
 *
 * <p>Taskbound has three built in, named {@code virtual} (a new virtual thread per run), {@code
 * platform} (a pool of named platform threads) and {@code process} (a pool of warm worker JVMs). An executor of your own is registered by name
 * ({@code TaskboundEngine.Builder.executor}, or any {@code JobExecutor} bean under its bean name)
 * and chosen per lane with {@code taskbound.lanes.<lane>.executor=<name>}. One instance registered
 * for several lanes is shared by them. An executor that runs jobs in this JVM calls {@link
 * JobRun#runHere()} on a thread of its own; one that runs them elsewhere (another process) calls
 * {@link JobRun#start} and later {@link JobRun#succeeded} or {@link JobRun#failed}.
 */
public interface JobExecutor {

    /**
     * Takes a run and returns at once; the run goes on on another thread or elsewhere. Throws
     * {@link java.util.concurrent.RejectedExecutionException} once shut down: the job then stays
     * claimed by this node and is re-queued when the engine stops.
     */
    void execute(JobRun run);

    /**
     * Stops taking runs, drops the runs handed over that have not started (the engine re-queues
     * them without charging an attempt), and waits up to {@code timeout} for the running ones.
     * Returns whether all ended. Called once when the engine stops; a started engine hands runs
     * again to an executor it has shut down, so one meant to survive an engine restart should take
     * runs again after this returns.
     */
    boolean shutdown(Duration timeout) throws InterruptedException;

    /**
     * Stops what still runs after {@link #shutdown} timed out: interrupts threads, kills processes.
     * Outcomes reported afterwards are dropped and those jobs are re-queued.
     */
    void stopAll();

    /**
     * The processes this executor runs jobs in now, for health checks and the lanes view; none for
     * one that runs jobs on threads of this JVM. Called from any thread, often: a snapshot, cheap to
     * make. An executor shared by several lanes reports its workers under each.
     */
    default List<WorkerInfo> workers() {
        return List.of();
    }
}
