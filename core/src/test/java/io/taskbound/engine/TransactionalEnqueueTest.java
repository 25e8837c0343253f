package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobHandle;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** An enqueue inside the caller's transaction commits or rolls back with the caller's own data. */
class TransactionalEnqueueTest {

    public static class Orders {
        final JdbcTemplate jdbc;
        final List<Long> confirmed = new CopyOnWriteArrayList<>();

        Orders(DataSource dataSource) {
            this.jdbc = new JdbcTemplate(dataSource);
        }

        /** Returns whether the order that enqueued it is visible: false would mean it ran before commit. */
        @Job
        public boolean confirm(long orderId) {
            confirmed.add(orderId);
            return jdbc.queryForObject("select count(*) from orders where id = ?", Long.class, orderId) == 1;
        }
    }

    private HikariDataSource dataSource;
    private JdbcTemplate jdbc;
    private Orders orders;
    private TestEngine engine;

    @BeforeEach
    void start() {
        dataSource = TestDatabase.create();
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table orders (id bigint primary key)");
        orders = new Orders(dataSource);
        engine = TestEngine.start(dataSource, TestSettings.fast(), orders);
    }

    @AfterEach
    void stop() {
        engine.close();
        dataSource.close();
    }

    @Test
    void jobEnqueuedInATransactionThatRollsBackIsNeverStoredNorRun() {
        AtomicReference<UUID> rolledBack = new AtomicReference<>();
        engine.transactions().executeWithoutResult(status -> {
            jdbc.update("insert into orders (id) values (1)");
            rolledBack.set(engine.jobs().enqueue(Orders::confirm, 1L).id());
            status.setRollbackOnly();
        });
        AtomicReference<UUID> failed = new AtomicReference<>();
        assertThatThrownBy(() -> engine.transactions().executeWithoutResult(status -> {
                    jdbc.update("insert into orders (id) values (2)");
                    failed.set(engine.jobs().enqueue(Orders::confirm, 2L).id());
                    throw new IllegalStateException("payment declined");
                }))
                .hasMessage("payment declined");

        assertThat(engine.jobs().info(rolledBack.get())).isEmpty();
        assertThat(engine.jobs().info(failed.get())).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from orders", Long.class))
                .as("the business data rolled back with the job")
                .isZero();
        // A job enqueued afterwards runs; had the rolled-back ones been stored, they would have run first.
        jdbc.update("insert into orders (id) values (3)");
        assertThat(engine.jobs().enqueue(Orders::confirm, 3L).await(Duration.ofSeconds(20)))
                .isTrue();
        assertThat(orders.confirmed).containsExactly(3L);
    }

    @Test
    void jobEnqueuedInACommittedTransactionIsStoredOnCommitAndRunsAfterIt() {
        AtomicReference<JobHandle<Boolean>> handle = new AtomicReference<>();
        engine.transactions().executeWithoutResult(status -> {
            jdbc.update("insert into orders (id) values (4)");
            handle.set(engine.jobs().enqueue(Orders::confirm, 4L));
            // Read in a transaction of its own: the job is not visible to anyone before commit.
            assertThat(engine.jobs().info(handle.get().id())).isEmpty();
        });

        assertThat(engine.jobs().info(handle.get().id())).isPresent();
        assertThat(handle.get().await(Duration.ofSeconds(20)))
                .as("the job saw the order committed with it")
                .isTrue();
        assertThat(orders.confirmed).containsExactly(4L);
    }
}
