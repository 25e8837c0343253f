package io.taskbound;

import java.util.List;
import java.util.UUID;

/**
 * The job store's database could not be reached, or the connection to it broke, while Taskbound
 * worked for the caller. Nothing is lost that was stored before; what the call was doing either did
 * not happen or, when {@link #mayHaveCommitted()}, may have happened: the connection broke while
 * the database was committing it, and no one can tell which until the database is back.
 *
 * <p>An enqueue that returns normally has committed its job. An enqueue that throws this with
 * {@code mayHaveCommitted()} false stored nothing and can simply be retried. One that may have
 * committed names its jobs' ids ({@link #jobIds()}): look them up with {@link Jobs#info} once the
 * database is back and enqueue again, with a unique key, only those that are not stored: a commit
 * the server received can become visible a moment after the connection broke, and the key's index
 * then waits for it instead of storing a second job. A {@linkplain
 * JobRequest#uniqueKey unique key} alone does not make a blind retry safe: it keeps a second job out
 * only while the first is queued or running, and the first may have run and finished by the time
 * the retry is stored.
 */
public class StoreUnavailableException extends TaskboundException {

    private final boolean mayHaveCommitted;
    private final List<UUID> jobIds;

    public StoreUnavailableException(String message, boolean mayHaveCommitted, Throwable cause) {
        this(message, mayHaveCommitted, List.of(), cause);
    }

    public StoreUnavailableException(String message, boolean mayHaveCommitted, List<UUID> jobIds, Throwable cause) {
        super(message, cause);
        this.mayHaveCommitted = mayHaveCommitted;
        this.jobIds = List.copyOf(jobIds);
    }

    /** The ids of the jobs a failed enqueue was storing, in the order given; empty for other calls. */
    public List<UUID> jobIds() {
        return jobIds;
    }

    /**
     * Whether the connection broke while the database was committing, so that what the call did
     * may have been stored after all.
     */
    public boolean mayHaveCommitted() {
        return mayHaveCommitted;
    }
}
