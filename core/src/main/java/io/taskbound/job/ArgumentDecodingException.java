package io.taskbound.job;

import io.taskbound.TaskboundException;

/** Stored arguments that no longer fit their job's parameters; retrying cannot help. */
public final class ArgumentDecodingException extends TaskboundException {

    public ArgumentDecodingException(String message) {
        super(message);
    }
}
