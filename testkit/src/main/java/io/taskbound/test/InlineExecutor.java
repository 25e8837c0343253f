package io.taskbound.test;

import io.taskbound.JobExecutor;
import io.taskbound.JobRun;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The executor of every lane in inline mode: it runs nothing on a thread of its own. The lanes
 * claim jobs as usual and hand them here; they wait until a test's thread takes them, in {@link
 * TaskboundTester#drain} or an enqueue, and runs them there through {@link JobRun#runHere()}.
 */
final class InlineExecutor implements JobExecutor {

    /** The executor's name, which every lane's {@code executor} setting names in inline mode. */
    static final String NAME = "taskbound-inline";

    private final BlockingQueue<JobRun> handedOver = new LinkedBlockingQueue<>();

    // Never refuses a run: one handed over while the engine stops is dropped by shutdown, as the
    // others that no test took.
    @Override
    public void execute(JobRun run) {
        handedOver.add(run);
    }

    /**
     * Runs on the calling thread the next run handed over, waiting up to {@code wait} for one.
     * Returns whether one ran.
     */
    boolean runNext(Duration wait) throws InterruptedException {
        JobRun run = handedOver.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (run == null) {
            return false;
        }
        try {
            run.runHere();
        } finally {
            // A run that timed out or was cancelled interrupted this thread, the test's own; the
            // interrupt was for the job, which has ended, not for the test.
            Thread.interrupted();
        }
        return true;
    }

    /**
     * Drops the runs no test took: they are still RUNNING in the store, and the engine's shutdown
     * re-queues them without charging an attempt. Runs going on in a test's thread are that
     * thread's to finish. Takes runs again afterwards, for an engine started again.
     */
    @Override
    public boolean shutdown(Duration timeout) {
        handedOver.clear();
        return true;
    }

    @Override
    public void stopAll() {
        handedOver.clear();
    }
}
