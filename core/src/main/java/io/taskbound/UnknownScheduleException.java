package io.taskbound;

/** No schedule is stored under an id. */
public class UnknownScheduleException extends TaskboundException {
    public UnknownScheduleException(String message) {
        super(message);
    }
}
