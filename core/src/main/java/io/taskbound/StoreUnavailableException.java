package io.taskbound;

/**
 * The job store's database could not be reached, or the connection to it broke, while Taskbound
 * worked for the caller. Nothing is lost that was stored before; what the call was doing either did
 * not happen or, when {@link #mayHaveCommitted()}, may have happened: the connection broke while
 * the database was committing it, and no one can tell which until the database is back.
 *
 * <p>An enqueue that returns normally has committed its job. An enqueue that throws this with
 * {@code mayHaveCommitted()} false stored nothing and can simply be retried. One that may have
 * committed names the job's id: look it up with {@link Jobs#info} once the database is back, or
 * give the enqueue a {@linkplain JobRequest#uniqueKey unique key} so that retrying it cannot store a
 * second job while the first is queued or running.
 */
public class StoreUnavailableException extends TaskboundException {

    private final boolean mayHaveCommitted;

    public StoreUnavailableException(String message, boolean mayHaveCommitted, Throwable cause) {
        super(message, cause);
        this.mayHaveCommitted = mayHaveCommitted;
    }

    /**
     * Whether the connection broke while the database was committing, so that what the call did
     * may have been stored after all.
     */
    public boolean mayHaveCommitted() {
        return mayHaveCommitted;
    }
}
