package io.taskbound.store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.InstantSource;
import org.hibernate.Session;
import org.jspecify.annotations.Nullable;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

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

    private final EntityManagerFactory entityManagerFactory;
    private final EntityManager entityManager;
    private final TransactionTemplate joinOrBegin;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate readOnlyTransaction;
    private final @Nullable InstantSource clock;

    public StoreSession(
            EntityManagerFactory entityManagerFactory,
            PlatformTransactionManager transactionManager,
            @Nullable InstantSource clock) {
        this.entityManagerFactory = entityManagerFactory;
        this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        this.joinOrBegin = new TransactionTemplate(transactionManager);
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnlyTransaction = new TransactionTemplate(transactionManager);
        this.readOnlyTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readOnlyTransaction.setReadOnly(true);
        this.clock = clock;
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
        return joinOrBegin.execute(status -> jdbc(work));
    }

    /** Runs {@code work} in a transaction of its own, whatever the calling thread has open. */
    public <T> T inOwnTransaction(Work<T> work) {
        return ownTransaction.execute(status -> jdbc(work));
    }

    /** Runs a JPA query in a read-only transaction of its own. */
    public <T> T readOnly(java.util.function.Function<EntityManager, T> query) {
        return readOnlyTransaction.execute(status -> query.apply(entityManager));
    }

    private <T> T jdbc(Work<T> work) {
        return entityManager.unwrap(Session.class).doReturningWork(work::run);
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
    void bindNow(PreparedStatement statement, int index) throws SQLException {
        bindInstant(statement, index, clockOverride());
    }

    static void bindInstant(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, instant.atOffset(java.time.ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
