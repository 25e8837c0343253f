package io.taskbound.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import io.taskbound.testing.TestSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Two nodes on one database share the work and never run one job twice. */
class TwoNodesExactlyOnceTest {

    private static final int JOBS = 10_000;
    private static final int PER_TRANSACTION = 500;

    public static class Counter {
        final String node;
        final Map<UUID, AtomicInteger> executions;
        final Map<String, AtomicInteger> perNode;

        Counter(String node, Map<UUID, AtomicInteger> executions, Map<String, AtomicInteger> perNode) {
            this.node = node;
            this.executions = executions;
            this.perNode = perNode;
        }

        @Job
        public void count(int n, JobContext context) {
            executions
                    .computeIfAbsent(context.jobId(), id -> new AtomicInteger())
                    .incrementAndGet();
            perNode.computeIfAbsent(node, name -> new AtomicInteger()).incrementAndGet();
        }
    }

    private HikariDataSource dataSource;
    private HikariDataSource secondPool;
    private TestEngine a;
    private TestEngine b;

    @AfterEach
    void stop() {
        a.close();
        b.close();
        secondPool.close();
        dataSource.close();
    }

    @Test
    void twoEnginesRunEachOfTenThousandJobsExactlyOnce() {
        Map<UUID, AtomicInteger> executions = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
        dataSource = TestDatabase.create();
        secondPool = TestDatabase.anotherPool(dataSource);
        a = TestEngine.start(dataSource, TestSettings.fast(), new Counter("a", executions, perNode));
        b = TestEngine.start(secondPool, TestSettings.fast(), new Counter("b", executions, perNode));

        Set<UUID> enqueued = new HashSet<>();
        for (int batch = 0; batch < JOBS / PER_TRANSACTION; batch++) {
            // Both nodes enqueue, each waking itself locally and the other through NOTIFY.
            TestEngine via = batch % 2 == 0 ? a : b;
            int first = batch * PER_TRANSACTION;
            via.transactions().executeWithoutResult(status -> {
                for (int n = first; n < first + PER_TRANSACTION; n++) {
                    enqueued.add(via.jobs().enqueue(Counter::count, n).id());
                }
            });
        }

        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> jdbc.queryForObject(
                                "select count(*) from taskbound_job where state = 'SUCCEEDED'", Long.class),
                        succeeded -> succeeded == JOBS);

        assertThat(enqueued).hasSize(JOBS);
        assertThat(executions.keySet()).isEqualTo(enqueued);
        assertThat(executions.values())
                .as("every job ran exactly once")
                .allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(perNode.get("a").get() + perNode.get("b").get()).isEqualTo(JOBS);
        assertThat(perNode.get("a").get()).as("node a did work").isPositive();
        assertThat(perNode.get("b").get()).as("node b did work").isPositive();
        assertThat(jdbc.queryForObject("select count(*) from taskbound_job where attempt <> 1", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from taskbound_job_attempt", Long.class))
                .as("no run was lost or repeated")
                .isZero();
    }
}
