package io.taskbound;

/** A job did not finish within the time it was given: a run's timeout, or a caller's await. */
public class JobTimeoutException extends TaskboundException {

    public JobTimeoutException(String message) {
        super(message);
    }
}
