package io.taskbound;

import java.util.UUID;

/** Thrown inside a job that stops because its cancellation was requested. */
public class JobCancelledException extends TaskboundException {

    public JobCancelledException(UUID jobId) {
        super("Job " + jobId + " was cancelled");
    }
}
