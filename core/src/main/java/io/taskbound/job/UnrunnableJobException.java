package io.taskbound.job;

import io.taskbound.TaskboundException;

/**
 * A job that cannot run on any attempt, such as an external command whose program or directory
 * does not exist: retrying would only fail the same way after each backoff, so its job is dead at
 * once, with this message saying what to fix.
 */
public class UnrunnableJobException extends TaskboundException {

    public UnrunnableJobException(String message) {
        super(message);
    }

    public UnrunnableJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
