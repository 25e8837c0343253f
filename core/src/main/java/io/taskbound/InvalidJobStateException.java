package io.taskbound;

/**
 * An action asked of a job that its state does not allow, such as deleting a running job. The
 * message names the job, its state, and the states the action takes.
 */
public class InvalidJobStateException extends TaskboundException {
    public InvalidJobStateException(String message) {
        super(message);
    }
}
