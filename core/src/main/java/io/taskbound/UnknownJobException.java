package io.taskbound;

/** No {@code @Job} method is registered under a name, or for a method reference. */
public class UnknownJobException extends TaskboundException {

    public UnknownJobException(String message) {
        super(message);
    }

    public UnknownJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
