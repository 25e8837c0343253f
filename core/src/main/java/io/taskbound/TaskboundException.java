package io.taskbound;

/** Base of every exception Taskbound throws to its users. */
public class TaskboundException extends RuntimeException {

    public TaskboundException(String message) {
        super(message);
    }

    public TaskboundException(String message, Throwable cause) {
        super(message, cause);
    }
}
