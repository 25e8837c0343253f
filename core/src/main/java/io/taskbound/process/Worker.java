package io.taskbound.process;

import io.taskbound.JobError;
import io.taskbound.JobRun;
import io.taskbound.WorkerInfo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker JVM, as its lane sees it: started on the application's own Java and classpath, it
 * runs one job at a time over {@link WorkerProtocol}, and it is told apart from the application by
 * its pid and its stderr's tail when it dies.
 */
final class Worker {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** Marks a worker JVM, for code that must behave otherwise there (start-up side effects). */
    static final String WORKER_PROPERTY = "taskbound.worker";

    /**
     * The heap in use, in bytes, above which the lane recycles the worker after a job: the worker
     * collects its heap before it reports a reading above it (see {@code WorkerCalls.Meter}).
     */
    static final String RECYCLE_ABOVE_HEAP_PROPERTY = WORKER_PROPERTY + ".recycle-above-heap-bytes";

    /** Type of the error of a run whose worker died under it. */
    static final String DIED = "io.taskbound.process.WorkerDied";

    private static final int TAIL_IN_MESSAGE = 10;

    private final Process process;
    private final String name;
    private final String heap;
    private final StderrTail stderr;
    private final DataOutputStream requests;
    private final DataInputStream frames;
    private final Instant startedAt = Instant.now();
    private volatile WorkerInfo.State state = WorkerInfo.State.STARTING;
    private volatile boolean stoppedByLane;
    private volatile boolean startTimedOut;
    // Written by the lane thread that runs the worker's jobs, read by snapshots and the idle check.
    private volatile int jobsRun;
    private volatile long heapUsedBytes = -1;
    private volatile long idleSinceNanos = System.nanoTime();
    // The job whose run may stop this worker; guarded by this. A stop that comes late, once the
    // worker has answered and moved on to the lane's next job, must not kill that one.
    private @Nullable UUID assigned;

    private Worker(Process process, String name, String heap) {
        this.process = process;
        this.name = name;
        this.heap = heap;
        this.stderr = new StderrTail(process.getErrorStream(), name);
        this.requests = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 64 * 1024));
        this.frames = new DataInputStream(new BufferedInputStream(process.getInputStream(), 64 * 1024));
    }

    /**
     * Starts a worker, tells it how to make its jobs' objects ({@code boot}), and waits until it
     * says it is ready; kills it if that takes over {@code timeout}. {@code launched} is told of the
     * worker as soon as its process exists, {@code STARTING}, so that the lane can show it and stop
     * it meanwhile.
     */
    static Worker start(
            List<String> command,
            WorkerBoot boot,
            String lane,
            String heap,
            Duration timeout,
            Consumer<Worker> launched)
            throws IOException {
        Process process = new ProcessBuilder(command).start();
        Worker worker = new Worker(process, "taskbound-" + lane + "-worker-" + process.pid(), heap);
        launched.accept(worker);
        try {
            WorkerProtocol.write(worker.requests, boot.start());
        } catch (IOException gone) {
            // It died at once; reading its first frame below says how.
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> {
                    if (!ready.isDone()) {
                        worker.startTimedOut = true;
                        worker.kill();
                    }
                });
        try {
            WorkerProtocol.Message first = WorkerProtocol.read(worker.frames);
            if (!(first instanceof WorkerProtocol.Ready)) {
                throw new WorkerProtocol.NotAFrameException("A worker's first frame must be READY, was " + first);
            }
        } catch (IOException e) {
            if (e instanceof WorkerProtocol.NotAFrameException) {
                worker.kill();
            }
            String how = worker.startTimedOut
                    ? "it was not ready within " + timeout + " and was killed"
                    : worker.howItEnded(e, "before it was ready");
            throw new IOException(
                    "Worker JVM (pid " + process.pid() + ") of lane \"" + lane + "\" did not start: " + how
                            + worker.tail(TAIL_IN_MESSAGE),
                    e);
        } finally {
            ready.complete(null);
        }
        return worker;
    }

    long pid() {
        return process.pid();
    }

    int jobsRun() {
        return jobsRun;
    }

    /** The heap in use after the last job, as the worker reported it; -1 before its first. */
    long heapUsedBytes() {
        return heapUsedBytes;
    }

    /** The worker waits for a job from now on. */
    void idle() {
        idleSinceNanos = System.nanoTime();
        state = WorkerInfo.State.IDLE;
    }

    /** The worker is on its way out: it is asked to exit, or killed. */
    void closing() {
        state = WorkerInfo.State.CLOSING;
    }

    /** What the worker is and does now. */
    synchronized WorkerInfo info() {
        WorkerInfo.State now = state;
        long heap = heapUsedBytes;
        return new WorkerInfo(
                pid(), now, jobsRun, heap < 0 ? null : heap, startedAt, now == WorkerInfo.State.BUSY ? assigned : null);
    }

    /** Whether the worker has waited for a job longer than {@code timeout}, if it is waiting. */
    boolean idleLongerThan(Duration timeout) {
        return System.nanoTime() - idleSinceNanos > timeout.toNanos();
    }

    boolean alive() {
        return process.isAlive() && !stoppedByLane;
    }

    /**
     * How a run on this worker ended: with the worker's {@link WorkerProtocol.Result} or {@link
     * WorkerProtocol.Failed}, or with the worker's death, described as {@code died}.
     */
    record Ended(
            WorkerProtocol.@Nullable Message answer,
            @Nullable JobError died) {}

    /** Makes this worker the one that {@link #stop(UUID)} of {@code jobId} kills, until its run ends. */
    synchronized void assign(UUID jobId) {
        assigned = jobId;
        state = WorkerInfo.State.BUSY;
    }

    synchronized void release() {
        assigned = null;
    }

    /**
     * Runs {@code request} here, passing its log lines and progress to {@code run} as they come; the
     * worker is {@link #release released} when the run has ended.
     */
    Ended run(WorkerProtocol.Run request, JobRun run) {
        try {
            return exchange(request, run);
        } finally {
            release();
        }
    }

    private Ended exchange(WorkerProtocol.Run request, JobRun run) {
        try {
            WorkerProtocol.write(requests, request);
            while (true) {
                switch (WorkerProtocol.read(frames)) {
                    case WorkerProtocol.Log line -> run.log(line.message());
                    case WorkerProtocol.Progress progress -> run.progress(progress.percent());
                    case WorkerProtocol.Result result -> {
                        ran(result.measured());
                        return new Ended(result, null);
                    }
                    case WorkerProtocol.Failed failed -> {
                        ran(failed.measured());
                        return new Ended(failed, null);
                    }
                    case WorkerProtocol.Message other ->
                        throw new WorkerProtocol.NotAFrameException("A worker answers a run with LOG, PROGRESS, "
                                + "RESULT or FAILED frames, not " + other);
                }
            }
        } catch (IOException e) {
            // A stream that ended belongs to a worker that is exiting: left alone, it tells its own
            // exit status. One that broke the protocol cannot be trusted to go on.
            if (e instanceof WorkerProtocol.NotAFrameException) {
                kill();
            }
            return new Ended(null, diedRunning(request, e));
        }
    }

    private void ran(WorkerProtocol.Measured measured) {
        jobsRun++;
        heapUsedBytes = measured.heapUsedBytes();
    }

    private JobError diedRunning(WorkerProtocol.Run request, IOException cause) {
        String how = howItEnded(cause, "before the job ended");
        String message = "Worker JVM (pid " + pid() + ") of lane \"" + request.lane() + "\" died while running job \""
                + request.jobName() + "\": " + how + tail(TAIL_IN_MESSAGE);
        // Read like a stack trace, its summary first; a worker has no stack to show but its stderr.
        String trace = DIED + ": " + message + "\n\tlast " + StderrTail.KEPT_LINES + " lines of the worker's stderr:\n"
                + String.join("\n", stderr.last(StderrTail.KEPT_LINES));
        return new JobError(DIED, message, trace, true);
    }

    // Waits for the process to end (it has, or it was killed) and its stderr with it, then says how.
    private String howItEnded(IOException cause, String when) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            stderr.awaitEnd(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String status = process.isAlive() ? "it did not exit" : exitStatus(process.exitValue());
        if (stoppedByLane) {
            return "it was stopped by its lane as the run timed out or was cancelled (" + status + ")";
        }
        if (cause instanceof WorkerProtocol.NotAFrameException) {
            return "it wrote to its stdout what is not a frame of the protocol (" + cause.getMessage()
                    + "), perhaps native code writing to file descriptor 1; it was stopped (" + status + ")";
        }
        if (stderr.last(StderrTail.KEPT_LINES).stream().anyMatch(line -> line.contains("java.lang.OutOfMemoryError"))) {
            return "it ran out of memory, past its heap budget of -Xmx" + heap + " (" + status + ")";
        }
        return "it exited " + when + " (" + status + ")";
    }

    static String exitStatus(int status) {
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            String name = switch (signal) {
                case 6 -> " (SIGABRT)";
                case 9 -> " (SIGKILL)";
                case 11 -> " (SIGSEGV)";
                case 15 -> " (SIGTERM)";
                default -> "";
            };
            // The JVM cannot tell a kill from an exit with the same status; 128 + n is the shell's way.
            return "exit status " + status + ", as a kill by signal " + signal + name + " shows";
        }
        return "exit status " + status;
    }

    private String tail(int lines) {
        List<String> last = stderr.last(lines);
        return last.isEmpty()
                ? "; its stderr was empty"
                : "; the last lines of its stderr:\n" + String.join("\n", last);
    }

    /**
     * The stop action of a run that timed out or was cancelled: kills the worker and its children
     * while it is assigned to that run's job.
     */
    synchronized void stop(UUID jobId) {
        if (jobId.equals(assigned)) {
            stoppedByLane = true;
            kill();
        }
    }

    /**
     * Kills the worker and every process it started, at once: a run that timed out or was cancelled
     * gets no chance to clean up, and neither does a worker that broke the protocol.
     */
    void kill() {
        // Descendants first: once the worker is gone its children belong to init, not to it.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Asks the worker to exit and waits up to {@code grace} for it, then kills it. */
    void close(Duration grace) {
        if (process.isAlive()) {
            try {
                WorkerProtocol.write(requests, new WorkerProtocol.Bye("closed by the lane"));
                if (process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (IOException gone) {
                // Its stdin is closed: it is exiting already, or dead.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.debug("Worker {} did not exit within {} of goodbye; killing it", name, grace);
        }
        kill();
    }

    @Override
    public String toString() {
        return name;
    }
}
