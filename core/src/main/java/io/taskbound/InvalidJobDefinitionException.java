package io.taskbound;

/** A {@code @Job} method or lane setting that cannot work; raised at start-up. */
public class InvalidJobDefinitionException extends TaskboundException {

    public InvalidJobDefinitionException(String message) {
        super(message);
    }

    public InvalidJobDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
