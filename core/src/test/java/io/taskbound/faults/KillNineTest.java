package io.taskbound.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.AttemptInfo;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.NodeInfo;
import io.taskbound.testing.TestDatabase;
import io.taskbound.testing.TestEngine;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code kill -9} of application JVMs in the middle of work: real child JVMs, killed with SIGKILL
 * while they run jobs and hold more claimed ahead. Nothing is lost, nothing ends dead, the
 * surviving node takes the killed nodes' jobs over once their heartbeats are older than the
 * dead-node timeout, and the only effects that happen twice are those of the runs the kill cut
 * short: the at-least-once window, counted exactly. That window is every job a killed node held
 * whose effect had happened there: running, or finished with its outcome not yet stored. A job
 * claimed ahead but not yet started runs once.
 */
class KillNineTest {

    private static final int JOBS = 60;
    private static final Duration WORK = Duration.ofMillis(300);
    // A node needs about 4 s of CPU to start; on a loaded machine with two cores, three nodes
    // starting at once have taken 40 s.
    private static final Duration START_UP = Duration.ofSeconds(90);
    // Enough that each node to be killed has finished jobs before the kill, which must stay
    // finished and not run again.
    private static final int EFFECTS_BEFORE_KILL = 5;

    private final List<ChildNode> started = new ArrayList<>();
    private HikariDataSource database;
    private JdbcTemplate jdbc;
    private TestEngine client;

    @AfterEach
    void killNodesAndCloseDatabase() {
        started.forEach(ChildNode::close);
        if (client != null) {
            client.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void killingOneOfTwoNodesLosesNothingAndRepeatsOnlyTheRunsItCut() throws Exception {
        killAndRecover("one-of-two", 2, 1);
    }

    @Test
    void killingTwoOfThreeNodesAtOnceLeavesTheThirdToFinishEverything() throws Exception {
        killAndRecover("two-of-three", 3, 2);
    }

    private void killAndRecover(String test, int nodeCount, int killedCount) throws Exception {
        database = TestDatabase.create();
        jdbc = new JdbcTemplate(database);
        EffectJob.createTable(database);
        Cluster cluster = startNodes(test, nodeCount, killedCount);
        Map<String, UUID> jobs = enqueue();

        await("nodes to be killed running jobs and holding more claimed ahead")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> cluster.victims().stream()
                        .allMatch(victim -> effectsOn(cluster.name(victim)) >= EFFECTS_BEFORE_KILL
                                && !claimedAhead(victim, cluster, jobs).isEmpty()));
        Instant killedAt = databaseNow();
        ChildNode.kill(cluster.victims().stream().map(cluster.nodes()::get).toList());
        Map<UUID, UUID> heldAtKill = heldAtKill(cluster);

        await("every job to succeed")
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(100))
                .failFast("a job is dead", () -> countInState(JobState.DEAD) > 0)
                .until(() -> countInState(JobState.SUCCEEDED) == JOBS);

        Tally tally = verify(jobs, heldAtKill, cluster);
        assertThat(client.jobs().queries().nodes())
                .extracting(NodeInfo::id)
                .as("registered nodes")
                .doesNotContainAnyElementsOf(cluster.victims())
                .hasSize(nodeCount - killedCount);
        assertThat(cluster.survivors()).as("surviving nodes").allMatch(ChildNode::isAlive);
        System.out.printf(
                Locale.ROOT,
                "FAULT kill-9 %s: recovered in %.1f s, %d jobs, %d lost, %d re-run, %d claimed ahead ran once"
                        + " (declared dead after %.1f s)%n",
                test,
                seconds(killedAt, tally.lastRecovered()),
                JOBS,
                JOBS - countInState(JobState.SUCCEEDED),
                tally.reRun(),
                tally.claimedAhead(),
                seconds(killedAt, tally.declaredDead()));
    }

    /**
     * Checks every job: succeeded; run once if no killed node held it; otherwise one lost attempt
     * on that node and one effect on a survivor, plus the killed node's effect if its run had
     * begun. Counts the runs the kill cut short and the jobs that were only claimed ahead.
     */
    private Tally verify(Map<String, UUID> jobs, Map<UUID, UUID> heldAtKill, Cluster cluster) {
        Map<String, List<String>> effects = effectsByKey();
        Tally tally = new Tally();
        jobs.forEach((key, id) -> {
            JobInfo info = client.info(id);
            List<String> ranOn = effects.getOrDefault(key, List.of());
            List<AttemptInfo> attempts = client.attempts(id);
            assertThat(info.state()).as("state of %s", key).isEqualTo(JobState.SUCCEEDED);
            UUID victim = heldAtKill.get(id);
            if (victim == null) {
                assertThat(attempts)
                        .as("earlier attempts of %s, which no killed node held", key)
                        .isEmpty();
                assertThat(info.attempt()).isEqualTo(1);
                assertThat(ranOn).as("nodes where %s had its effect", key).hasSize(1);
                return;
            }
            assertThat(attempts)
                    .as("earlier attempts of %s, held by killed node %s", key, cluster.name(victim))
                    .singleElement()
                    .satisfies(lost -> {
                        assertThat(lost.outcome()).isEqualTo("NODE_LOST");
                        assertThat(lost.nodeId()).isEqualTo(victim.toString());
                        assertThat(lost.attempt()).isEqualTo(1);
                    });
            assertThat(info.attempt()).isEqualTo(2);
            long onVictim = ranOn.stream().filter(cluster.name(victim)::equals).count();
            assertThat(onVictim)
                    .as("effects of %s on killed node %s", key, cluster.name(victim))
                    .isLessThanOrEqualTo(1);
            assertThat(ranOn.stream().filter(cluster::isSurvivor))
                    .as("effects of %s on survivors", key)
                    .hasSize(1);
            assertThat(ranOn).as("effects of %s", key).hasSize((int) onVictim + 1);
            tally.recovered(
                    onVictim == 1, info.finishedAt(), attempts.getFirst().finishedAt());
        });
        assertThat(tally.claimedAhead())
                .as("jobs the killed nodes had claimed ahead, each run once afterwards")
                .isPositive();
        assertThat(tally.reRun()).as("runs the kill cut short").isPositive();
        assertThat(effects.values().stream().mapToInt(List::size).sum())
                .as("effects: one per job, and a second for each run the kill cut short")
                .isEqualTo(JOBS + tally.reRun());
        return tally;
    }

    /** Starts the nodes in parallel and waits until all of them run; the first ones are to be killed. */
    private Cluster startNodes(String test, int count, int killedCount) throws InterruptedException {
        for (int n = 0; n < count; n++) {
            started.add(ChildNode.start(test, String.valueOf((char) ('a' + n)), database.getJdbcUrl(), WORK));
        }
        // Built while the nodes start: the client's persistence unit takes as long as theirs.
        client = TestEngine.create(
                database,
                FaultNode.SETTINGS,
                null,
                RandomGenerator.getDefault(),
                new EffectJob(database, "client", WORK));
        Map<UUID, ChildNode> nodes = new LinkedHashMap<>();
        for (ChildNode node : started) {
            nodes.put(node.awaitReady(START_UP), node);
        }
        return new Cluster(nodes, List.copyOf(nodes.keySet()).subList(0, killedCount));
    }

    /** Enqueues the jobs in one transaction, from a node that runs none; returns their ids by key. */
    private Map<String, UUID> enqueue() {
        Map<String, UUID> jobs = new LinkedHashMap<>();
        client.transactions().executeWithoutResult(status -> {
            for (int n = 0; n < JOBS; n++) {
                String key = String.format(Locale.ROOT, "job-%03d", n);
                jobs.put(key, client.jobs().enqueue(EffectJob::record, key).id());
            }
        });
        return jobs;
    }

    /**
     * The jobs the killed nodes held, by the node that held them. Read once the database has ended
     * the killed nodes' sessions: until then a statement they sent before dying may still commit.
     */
    private Map<UUID, UUID> heldAtKill(Cluster cluster) {
        String[] sessions = cluster.victims().stream()
                .map(victim -> FaultNode.applicationName(cluster.name(victim)))
                .toArray(String[]::new);
        await("the database to end the killed nodes' sessions")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> jdbc.queryForObject(
                                "select count(*) from pg_stat_activity where application_name = any(?)",
                                Long.class,
                                (Object) sessions)
                        == 0);
        Map<UUID, UUID> held = new HashMap<>();
        for (UUID victim : cluster.victims()) {
            runningOn(victim).forEach(job -> held.put(job, victim));
        }
        return held;
    }

    /** Jobs claimed by the node that have not had their effect there: waiting for a thread. */
    private Set<UUID> claimedAhead(UUID nodeId, Cluster cluster, Map<String, UUID> jobs) {
        Set<UUID> begun = jdbc
                .queryForList("select job_key from fault_effect where node = ?", String.class, cluster.name(nodeId))
                .stream()
                .map(jobs::get)
                .collect(Collectors.toSet());
        return runningOn(nodeId).stream().filter(job -> !begun.contains(job)).collect(Collectors.toSet());
    }

    private List<UUID> runningOn(UUID nodeId) {
        return jdbc.queryForList(
                "select id from taskbound_job where state = 'RUNNING' and node_id = ?", UUID.class, nodeId);
    }

    private int effectsOn(String node) {
        return jdbc.queryForObject("select count(*) from fault_effect where node = ?", Integer.class, node);
    }

    /** The nodes on which each job had its effect, by job key. */
    private Map<String, List<String>> effectsByKey() {
        Map<String, List<String>> effects = new HashMap<>();
        jdbc.query("select job_key, node from fault_effect order by at", row -> {
            effects.computeIfAbsent(row.getString(1), key -> new ArrayList<>()).add(row.getString(2));
        });
        return effects;
    }

    private long countInState(JobState state) {
        return jdbc.queryForObject("select count(*) from taskbound_job where state = ?", Long.class, state.name());
    }

    /** The database's clock, by which the engine stamps finished and lost attempts. */
    private Instant databaseNow() {
        return jdbc.queryForObject("select clock_timestamp()", Timestamp.class).toInstant();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** The running nodes by node id, and the ids of those to be killed. */
    private record Cluster(Map<UUID, ChildNode> nodes, List<UUID> victims) {

        String name(UUID nodeId) {
            return nodes.get(nodeId).name();
        }

        boolean isSurvivor(String name) {
            return survivors().stream().anyMatch(node -> node.name().equals(name));
        }

        List<ChildNode> survivors() {
            return nodes.entrySet().stream()
                    .filter(node -> !victims.contains(node.getKey()))
                    .map(Map.Entry::getValue)
                    .toList();
        }
    }

    /** What the recovery of the killed nodes' jobs took. */
    private static final class Tally {
        private int reRun;
        private int claimedAhead;
        private Instant lastRecovered = Instant.MIN;
        private Instant declaredDead = Instant.MAX;

        void recovered(boolean hadBegun, Instant finishedAt, Instant lostAt) {
            if (hadBegun) {
                reRun++;
            } else {
                claimedAhead++;
            }
            lastRecovered = finishedAt.isAfter(lastRecovered) ? finishedAt : lastRecovered;
            declaredDead = lostAt.isBefore(declaredDead) ? lostAt : declaredDead;
        }

        int reRun() {
            return reRun;
        }

        int claimedAhead() {
            return claimedAhead;
        }

        Instant lastRecovered() {
            return lastRecovered;
        }

        Instant declaredDead() {
            return declaredDead;
        }
    }
}
