package io.taskbound.run;

/** A job ran, but what it returned cannot be stored: another attempt would not do better. */
final class UnstorableResultException extends RuntimeException {

    UnstorableResultException(String message) {
        super(message);
    }

    UnstorableResultException(String message, Throwable cause) {
        super(message, cause);
    }
}
