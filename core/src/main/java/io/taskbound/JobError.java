package io.taskbound;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a run failed, as an executor reports it.
 *
 * @param type the error's type, such as the exception's class name
 * @param message what went wrong; null for none
 * @param stackTrace the stack trace as text; empty when there is none
 * @param retryable whether another attempt may do better. False for arguments that do not fit the
 *     method or a result that cannot be stored: the job is then dead at once, since running it again
 *     would only repeat its side effects
 */
public record JobError(String type, @Nullable String message, String stackTrace, boolean retryable) {

    public JobError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stackTrace, "stackTrace");
    }

    /** A retryable error from an exception, its stack trace included. */
    public static JobError of(Throwable error) {
        return of(error, true);
    }

    public static JobError of(Throwable error, boolean retryable) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return new JobError(error.getClass().getName(), error.getMessage(), text.toString(), retryable);
    }

    /** The type and the message, as an exception's {@code toString()} reads. */
    public String summary() {
        return message == null ? type : type + ": " + message;
    }
}
