package io.taskbound;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What an executor that runs a job elsewhere (another process) measured of one run, reported with
 * its end through {@link JobRun#succeeded(String, RunFigures)} or {@link JobRun#failed(JobError,
 * RunFigures)}. Each figure is null where the executor could not measure it.
 *
 * <p>Wall time is not among them: the engine measures every run's wall time itself, from {@link
 * JobRun#start} to the reported end, so that it means the same on every lane, and it includes what
 * a run elsewhere costs on top of the job's own call (the hand-over, a worker's start).
 *
 * @param cpuTime CPU time of the thread that ran the job
 * @param allocatedBytes bytes that thread allocated on the heap
 * @param peakHeapBytes the highest the heap of the process that ran the job was during the run; it
 *     covers the whole process, so it says how much heap the job needs only where the process runs
 *     one job at a time
 */
public record RunFigures(
        @Nullable Duration cpuTime,
        @Nullable Long allocatedBytes,
        @Nullable Long peakHeapBytes) {

    /** Nothing measured. */
    public static final RunFigures NONE = new RunFigures(null, null, null);
}
