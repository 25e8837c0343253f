package io.taskbound;

/**
 * A schedule that cannot work: an invalid cron expression, interval, zone or policy, or a change
 * that the schedule does not allow. Raised by the runtime API, and at start-up for a
 * {@code @Recurring} method.
 */
public class InvalidScheduleException extends TaskboundException {
    public InvalidScheduleException(String message) {
        super(message);
    }

    public InvalidScheduleException(String message, Throwable cause) {
        super(message, cause);
    }
}
