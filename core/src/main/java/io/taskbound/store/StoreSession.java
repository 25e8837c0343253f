package io.taskbound.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.hibernate.Session;
import org.jspecify.annotations.Nullable;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How the store reaches PostgreSQL: through the application's EntityManager, so that its
 * statements join the caller's transaction, and in the form of plain JDBC on the session's
 * connection for the hot statements that need arrays and {@code RETURNING}.
 *
 * <p>Time compared across nodes is PostgreSQL's {@code now()}. A test may set a clock instead; every
 * statement takes the clock's instant as a parameter and falls back to {@code now()} when it is
 * null, so production and tests run the same SQL.
 */
public final class StoreSession {

    /** A unit of JDBC work on the session's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    private final EntityManagerFactory entityManagerFactory;
    private final EntityManager entityManager;
    private final PlatformTransactionManager transactionManager;
    private final DefaultTransactionDefinition joinOrBegin = new DefaultTransactionDefinition();
    private final DefaultTransactionDefinition ownTransaction =
            new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    private final DefaultTransactionDefinition readOnlyTransaction =
            new DefaultTransactionDefinition(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    private final @Nullable InstantSource clock;
    private final int networkTimeoutMillis;

    /**
     * @param dataSource the application's connections, from which the single statements of {@link
     *     #autocommit} take one of their own; the persistence unit's, as {@code entityManagerFactory}'s
     * @param networkTimeout how long a statement in a transaction of Taskbound's own may wait for the
     *     database to answer before its connection counts as broken; a connection that silently
     *     stops carrying traffic (a half-open TCP connection) would otherwise hang the loop that
     *     uses it forever
     */
    public StoreSession(
            DataSource dataSource,
            EntityManagerFactory entityManagerFactory,
            PlatformTransactionManager transactionManager,
            @Nullable InstantSource clock,
            Duration networkTimeout) {
        this.dataSource = dataSource;
        this.entityManagerFactory = entityManagerFactory;
        this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        this.transactionManager = transactionManager;
        this.readOnlyTransaction.setReadOnly(true);
        this.clock = clock;
        this.networkTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, networkTimeout.toMillis());
    }

    public EntityManagerFactory entityManagerFactory() {
        return entityManagerFactory;
    }

    /** The transaction-bound EntityManager, for ordinary JPA reads. */
    public EntityManager entityManager() {
        return entityManager;
    }

    /** Runs {@code work} in the caller's transaction, or in a short one of its own if none. */
    public <T> T inCallerTransaction(Work<T> work) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            // The caller's connection and transaction: its timeouts are the caller's to set.
            try {
                return jdbc(work, false);
            } catch (RuntimeException e) {
                throw DatabaseFailures.translate(e, false);
            }
        }
        return inTransaction(joinOrBegin, () -> jdbc(work, true));
    }

    /** Runs {@code work} in a transaction of its own, whatever the calling thread has open. */
    public <T> T inOwnTransaction(Work<T> work) {
        return inTransaction(ownTransaction, () -> jdbc(work, true));
    }

    /** Runs JDBC reads in a read-only transaction of its own. */
    public <T> T readOnlyJdbc(Work<T> work) {
        return inTransaction(readOnlyTransaction, () -> jdbc(work, true));
    }

    /** Runs a JPA query in a read-only transaction of its own. */
    public <T> T readOnly(Function<EntityManager, T> query) {
        return inTransaction(readOnlyTransaction, () -> {
            entityManager.unwrap(Session.class).doWork(this::limitWaits);
            return query.apply(entityManager);
        });
    }

    /**
     * Runs one statement on a connection of its own in autocommit mode: a single round trip, with
     * no {@code BEGIN}, no {@code COMMIT} and no {@code SET LOCAL}. A lone statement leaves the
     * server no transaction to hold open when the network fails after it, so the guard {@link
     * #inOwnTransaction} sets up is not needed; only the socket timeout is. For the statements an
     * idle node repeats (heartbeat, polls, sweeps), where a transaction would triple their cost.
     *
     * <p>{@code work} must send a single statement: each one would commit on its own.
     *
     * @param writes whether the statement changes anything: if the connection breaks while it runs,
     *     the change may or may not have been stored
     */
    public <T> T autocommit(boolean writes, Work<T> work) {
        // Until the statement is sent, nothing can have been stored, whatever it would write: a
        // connection the pool could not give is "not stored", never "may have been stored".
        boolean sent = false;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            if (networkTimeoutMillis > 0) {
                connection.setNetworkTimeout(DIRECT, networkTimeoutMillis);
            }
            sent = true;
            return work.run(connection);
        } catch (SQLException e) {
            throw DatabaseFailures.translate(new StatementFailedException(e), writes && sent);
        }
    }

    /** A statement of {@link #autocommit} failed; the cause says how. */
    static final class StatementFailedException extends RuntimeException {
        StatementFailedException(SQLException cause) {
            super(DatabaseFailures.reason(cause), cause);
        }
    }

    /**
     * Begins, runs and commits by hand rather than through a {@code TransactionTemplate}: when the
     * connection is gone, the template's rollback fails too and its "Unable to rollback" hides what
     * happened. Here the statement's own failure is what the caller sees, and a failure while
     * committing is told apart, since the change may then have been stored after all.
     */
    private <T> T inTransaction(TransactionDefinition definition, Supplier<T> body) {
        TransactionStatus status;
        try {
            status = transactionManager.getTransaction(definition);
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e, false);
        }
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            rollback(status, e);
            throw DatabaseFailures.translate(e, false);
        } catch (Error e) {
            rollback(status, e);
            throw e;
        }
        try {
            transactionManager.commit(status);
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e, true);
        }
        return result;
    }

    private void rollback(TransactionStatus status, Throwable failure) {
        try {
            transactionManager.rollback(status);
        } catch (RuntimeException rollbackFailed) {
            failure.addSuppressed(rollbackFailed);
        }
    }

    private <T> T jdbc(Work<T> work, boolean ownConnection) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            if (ownConnection) {
                limitWaits(connection);
            }
            return work.run(connection);
        });
    }

    // A socket timeout on the connection for as long as this transaction holds it: the pool resets
    // it when the connection goes back. Setting it is local to the driver, no round trip.
    //
    // The server needs the same bound: when the network silently stops carrying traffic mid
    // transaction, this side times out and moves on, but the server's session, which never hears
    // so, stays idle in the transaction, holding the row locks of a claim or an outcome, until its
    // TCP keep-alive gives up (two hours by default). Every later write of those jobs waits on the
    // locks and times out. Ended by the server after the same timeout, the transaction rolls back
    // and the locks go. SET LOCAL ends with the transaction; it costs one round trip per transaction.
    private void limitWaits(Connection connection) throws SQLException {
        if (networkTimeoutMillis > 0) {
            connection.setNetworkTimeout(DIRECT, networkTimeoutMillis);
            try (Statement idle = connection.createStatement()) {
                idle.execute("set local idle_in_transaction_session_timeout = " + networkTimeoutMillis);
            }
        }
    }

    /** The store's notion of now when a test clock is set, else null: the SQL then uses now(). */
    public @Nullable Instant clockOverride() {
        return clock == null ? null : clock.instant();
    }

    /** The current instant as this JVM sees it: the test clock if set, else the system clock. */
    public Instant localNow() {
        return clock == null ? Instant.now() : clock.instant();
    }

    /** Binds the clock override (or SQL null, meaning {@code now()}) to a timestamptz parameter. */
    public void bindNow(PreparedStatement statement, int index) throws SQLException {
        bindInstant(statement, index, clockOverride());
    }

    public static void bindInstant(PreparedStatement statement, int index, @Nullable Instant instant)
            throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.atOffset(java.time.ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    public static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
