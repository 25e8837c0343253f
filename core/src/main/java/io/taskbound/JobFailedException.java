package io.taskbound;

import java.util.UUID;

/** The awaited job ended without a result: dead after its last attempt, or cancelled. */
public class JobFailedException extends TaskboundException {

    private final UUID jobId;
    private final JobState state;

    public JobFailedException(UUID jobId, JobState state, String message) {
        super(message);
        this.jobId = jobId;
        this.state = state;
    }

    public UUID jobId() {
        return jobId;
    }

    public JobState state() {
        return state;
    }
}
