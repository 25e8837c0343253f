package io.taskbound.store;

import io.taskbound.StoreUnavailableException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Tells apart the two ways a statement fails: the database could not be reached (a restart, a
 * connection terminated or cut, a pool with no connection to give), which passes and must never
 * cost a job anything, and the database refusing what it was sent, which will not pass by itself.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {}

    /**
     * Whether {@code failure} means the database could not be reached or the connection to it broke:
     * SQLSTATE class 08 (connection exception), 57P01-57P03 (the server shutting down or starting),
     * 53300 (too many connections), a pool that timed out, or a socket error anywhere in the causes.
     */
    public static boolean isUnreachable(Throwable failure) {
        if (failure instanceof StoreUnavailableException) {
            return true;
        }
        for (Throwable cause : causes(failure)) {
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException
                    || cause instanceof SocketException
                    || cause instanceof SocketTimeoutException
                    || cause instanceof EOFException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether the database answered and refused the data it was sent (SQLSTATE class 22, data
     * exception; 23, integrity constraint violation; 54, program limit exceeded, such as a row too
     * large), so that sending the same again will fail again.
     */
    public static boolean isRejection(Throwable failure) {
        if (isUnreachable(failure)) {
            return false;
        }
        for (Throwable cause : causes(failure)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
            }
        }
        return false;
    }

    /**
     * What went wrong in the database's or the driver's own words: the deepest SQL error with its
     * SQLSTATE, and the socket error under it, if any.
     */
    public static String reason(Throwable failure) {
        SQLException deepestSql = null;
        Throwable root = failure;
        for (Throwable cause : causes(failure)) {
            if (cause instanceof SQLException sql && sql.getMessage() != null) {
                deepestSql = sql;
            }
            root = cause;
        }
        if (deepestSql == null) {
            return root.getMessage() == null ? root.toString() : root.getMessage();
        }
        String reason = deepestSql.getMessage()
                + (deepestSql.getSQLState() == null ? "" : " [SQLSTATE " + deepestSql.getSQLState() + "]");
        if (root != deepestSql && !(root instanceof SQLException) && root.getMessage() != null) {
            reason += ": " + root.getMessage();
        }
        return reason;
    }

    /**
     * {@code failure} as a {@link StoreUnavailableException} if the database could not be reached,
     * else {@code failure} itself. {@code committing}: whether the failure came while committing, so
     * that the change may have been stored all the same.
     */
    static RuntimeException translate(RuntimeException failure, boolean committing) {
        if (failure instanceof StoreUnavailableException || !isUnreachable(failure)) {
            return failure;
        }
        String message = committing
                ? "The connection to the job store's database broke while committing (" + reason(failure)
                        + "): the change may or may not have been stored"
                : "The job store's database could not be reached (" + reason(failure)
                        + "): nothing was stored; retry once the database is back";
        return new StoreUnavailableException(message, committing, failure);
    }

    private static Iterable<Throwable> causes(@Nullable Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
            if (cause instanceof SQLException sql && sql.getNextException() != null) {
                chain.add(sql.getNextException());
            }
        }
        return chain;
    }
}
