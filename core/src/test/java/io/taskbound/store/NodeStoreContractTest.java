package io.taskbound.store;

import static io.taskbound.store.StoreFixture.job;
import static io.taskbound.store.StoreFixture.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.JobInfo;
import io.taskbound.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Registration, heartbeats and recovery of the jobs of dead nodes, on real PostgreSQL. */
class NodeStoreContractTest {

    private static final Set<String> NAMES = Set.of("Reports.render");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private StoreFixture store;
    private NodeStore nodes;
    private JobStore jobs;

    @BeforeEach
    void setUp() {
        store = new StoreFixture();
        nodes = store.nodes;
        jobs = store.jobs;
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void registeredNodeIsListedAndItsHeartbeatMovesWithTheClock() {
        Instant start = store.clock.instant();
        UUID node = store.node("web-1");

        assertThat(nodes.nodes()).singleElement().satisfies(n -> {
            assertThat(n.getId()).isEqualTo(node);
            assertThat(n.getName()).isEqualTo("web-1");
            assertThat(n.getStartedAt()).isEqualTo(start);
            assertThat(n.getHeartbeatAt()).isEqualTo(start);
        });

        Instant later = store.clock.advance(Duration.ofSeconds(2));
        NodeStore.Beat beat = nodes.heartbeat(node);
        assertThat(beat.registered()).isTrue();
        assertThat(beat.clock().database())
                .as("the heartbeat reads the clock too")
                .isEqualTo(later);
        assertThat(nodes.nodes().getFirst().getHeartbeatAt()).isEqualTo(later);

        nodes.deregister(node);
        assertThat(nodes.nodes()).isEmpty();
        assertThat(nodes.heartbeat(node).registered())
                .as("a removed node learns it from its heartbeat")
                .isFalse();
    }

    @Test
    void nodeWithAnOldHeartbeatIsRemovedAndItsRunningJobsRequeuedWithTheAttemptCharged() {
        UUID dying = store.node("web-1");
        UUID alive = store.node("web-2");
        UUID lost = jobs.insert(job("Reports.render").priority(1).build());
        UUID kept = jobs.insert(job("Reports.render").build());
        ClaimedJob lostRun = jobs.claim("io", 1, NAMES, dying).getFirst();
        jobs.claim("io", 1, NAMES, alive);

        store.clock.advance(TIMEOUT.minusMillis(1));
        nodes.heartbeat(alive);
        assertThat(nodes.recoverDeadNodes(TIMEOUT))
                .as("the dying node's heartbeat is the oldest: it expires in 1 ms")
                .isEqualTo(new NodeStore.Recovery(0, 0, Duration.ofMillis(1)));

        Instant sweptAt = store.clock.advance(Duration.ofMillis(2));
        assertThat(nodes.recoverDeadNodes(TIMEOUT))
                .as("the oldest heartbeat left is the live node's, 2 ms old")
                .isEqualTo(new NodeStore.Recovery(1, 1, TIMEOUT.minusMillis(2)));

        assertThat(nodes.nodes()).extracting(NodeEntity::getId).containsExactly(alive);
        JobInfo requeued = store.info(lost);
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.attempt()).as("a lost run counts as an attempt").isEqualTo(1);
        assertThat(requeued.runAt()).isEqualTo(sweptAt);
        assertThat(requeued.nodeId()).isNull();
        assertThat(requeued.error()).contains(dying.toString());
        assertThat(jobs.attempts(lost)).singleElement().satisfies(attempt -> {
            assertThat(attempt.getOutcome()).isEqualTo("NODE_LOST");
            assertThat(attempt.getAttempt()).isEqualTo(1);
            assertThat(attempt.getNodeId()).isEqualTo(dying);
        });
        assertThat(store.info(kept).state()).isEqualTo(JobState.RUNNING);

        assertThat(jobs.claim("io", 10, NAMES, alive)).singleElement().satisfies(again -> {
            assertThat(again.id()).isEqualTo(lost);
            assertThat(again.attempt()).isEqualTo(2);
        });
        assertThat(jobs.complete(List.of(succeeded(lostRun, "\"zombie\"")), List.of(), Map.of(), dying))
                .as("the dead node's late completion is ignored")
                .isEmpty();
        assertThat(store.info(lost).state()).isEqualTo(JobState.RUNNING);
        assertThat(nodes.heartbeat(dying).registered()).isFalse();
    }

    @Test
    void jobOnItsLastAttemptEndsDeadWhenItsNodeDies() {
        UUID dying = store.node("web-1");
        UUID id = jobs.insert(job("Reports.render").maxAttempts(1).build());
        jobs.claim("io", 1, NAMES, dying);

        store.clock.advance(TIMEOUT.plusSeconds(1));
        assertThat(nodes.recoverDeadNodes(TIMEOUT).recoveredJobs()).isEqualTo(1);

        JobInfo dead = store.info(id);
        assertThat(dead.state()).isEqualTo(JobState.DEAD);
        assertThat(dead.finishedAt()).isEqualTo(store.clock.instant());
        assertThat(dead.error()).contains("stopped heartbeating during attempt 1");
    }

    @Test
    void jobWhoseCancellationWasRequestedEndsCancelledWhenItsNodeDies() {
        UUID dying = store.node("web-1");
        UUID id = jobs.insert(job("Reports.render").build());
        jobs.claim("io", 1, NAMES, dying);
        jobs.cancel(id);

        store.clock.advance(TIMEOUT.plusSeconds(1));
        nodes.recoverDeadNodes(TIMEOUT);

        assertThat(store.info(id).state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void runningJobOfANodeThatIsNotRegisteredIsRecovered() {
        UUID gone = store.node("web-1");
        UUID id = jobs.insert(job("Reports.render").build());
        assertThat(jobs.claim("io", 1, NAMES, gone)).hasSize(1);
        nodes.deregister(gone);

        assertThat(nodes.recoverDeadNodes(TIMEOUT))
                .as("no node left to expire")
                .isEqualTo(new NodeStore.Recovery(0, 1, null));
        assertThat(store.info(id).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void recoveredJobsAreToldBeforeTheSweepCommitsSoThatTheirNextRunIsToldAfterThem() {
        UUID dying = store.node("web-1");
        UUID id = jobs.insert(job("Reports.render").build());
        jobs.claim("io", 1, NAMES, dying);
        List<String> toldWhileOthersSaw = new ArrayList<>();
        List<Boolean> toldWithSynchronization = new ArrayList<>();
        nodes.observe(new JobChanges() {
            @Override
            public void inserted(List<ChangedJob> inserted) {}

            @Override
            public void cancelled(List<ChangedJob> cancelled) {}

            @Override
            public void recovered(List<ChangedJob> recovered) {
                assertThat(recovered).extracting(ChangedJob::id).containsExactly(id);
                toldWhileOthersSaw.add(stateSeenByAnotherConnection(id));
                toldWithSynchronization.add(TransactionSynchronizationManager.isSynchronizationActive());
            }
        });

        store.clock.advance(TIMEOUT.plusSeconds(1));
        assertThat(nodes.recoverDeadNodes(TIMEOUT).recoveredJobs()).isEqualTo(1);

        assertThat(toldWhileOthersSaw)
                .as("told while the sweep had not committed: no lane could have claimed the job yet")
                .containsExactly("RUNNING");
        assertThat(toldWithSynchronization)
                .as("inside a transaction whose commit the observer can wait for")
                .containsExactly(true);
        assertThat(stateSeenByAnotherConnection(id)).isEqualTo("QUEUED");
    }

    private String stateSeenByAnotherConnection(UUID id) {
        try (Connection connection = store.dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("select state from taskbound_job where id = ?")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNodeThatIsNotRegisteredClaimsNothing() {
        UUID declaredDead = UUID.randomUUID();
        jobs.insert(job("Reports.render").build());

        assertThat(jobs.claim("io", 1, NAMES, declaredDead)).isEmpty();
    }

    @Test
    void nodeDeclaredDeadCanRegisterAgain() {
        UUID node = store.node("web-1");
        store.clock.advance(TIMEOUT.plusSeconds(1));
        nodes.recoverDeadNodes(TIMEOUT);
        assertThat(nodes.heartbeat(node).registered()).isFalse();

        nodes.register(node, "web-1");

        assertThat(nodes.heartbeat(node).registered()).isTrue();
        assertThat(nodes.recoverDeadNodes(TIMEOUT).deadNodes()).isZero();
        assertThat(nodes.nodes()).extracting(NodeEntity::getId).containsExactly(node);
    }
}
