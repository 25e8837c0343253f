package io.taskbound.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The nodes table: registration, heartbeats, and recovery of the jobs of nodes that died. */
public final class NodeStore {

    // One statement, so that no node can see a dead node gone but its jobs still running. Jobs of a
    // node that is not registered at all (declared dead by an earlier sweep whose update lost a
    // race) are recovered too. A lost run counts as an attempt: it may be the job that killed the
    // node. The lanes of re-queued jobs are announced, so that every node looks at once. It also
    // tells when the oldest heartbeat left will be too old, so that the sweeper can sleep until then.
    private static final String RECOVER_DEAD =
            """
            with dead as (
                delete from taskbound_node
                 where heartbeat_at < coalesce(?, now()) - ? * interval '1 millisecond'
                returning id
            ), lost as (
                select j.id, j.node_id, j.attempt, j.started_at, j.run_at
                  from taskbound_job j
                 where j.state = 'RUNNING'
                   and (j.node_id in (select id from dead)
                        or not exists (select 1 from taskbound_node n where n.id = j.node_id))
                   for update of j skip locked
            ), requeued as (
                update taskbound_job j
                   set state = case when j.cancel_requested then 'CANCELLED'
                                    when j.attempt >= j.max_attempts then 'DEAD'
                                    else 'QUEUED' end,
                       error = 'Node ' || lost.node_id || ' stopped heartbeating during attempt ' || lost.attempt,
                       finished_at = case when j.cancel_requested or j.attempt >= j.max_attempts
                                          then coalesce(?, now()) end,
                       run_at = coalesce(?, now()), node_id = null, lease = null
                  from lost
                 where j.id = lost.id
                returning %s
            ), attempts as (
                insert into taskbound_job_attempt (job_id, attempt, node_id, started_at, finished_at, outcome, error)
                select lost.id, lost.attempt, lost.node_id, lost.started_at, coalesce(?, now()), 'NODE_LOST',
                       'Node ' || lost.node_id || ' stopped heartbeating during attempt ' || lost.attempt
                  from lost
            )
            select (select count(*) from dead),
                   (select count(pg_notify('%s', lane))
                      from (select distinct lane from requeued where state = 'QUEUED') l),
                   -- The rows "dead" deletes are still visible here: only younger heartbeats count.
                   (select (extract(epoch from (min(n.heartbeat_at) + ? * interval '1 millisecond'
                                                - coalesce(?, now()))) * 1000000)::bigint
                      from taskbound_node n
                     where n.heartbeat_at >= coalesce(?, now()) - ? * interval '1 millisecond'),
                   requeued.*
              from (select 1) one left join requeued on true
            """.formatted(ChangedJob.columns("j.", "j.run_at", "lost.run_at", "j.error"), JobStore.LANE_CHANNEL);

    // The heartbeat and a reading of the database's clock, in one statement of one round trip.
    private static final String HEARTBEAT = """
            with beat as (
                update taskbound_node set heartbeat_at = coalesce(?, now()) where id = ? returning id
            )
            select exists (select 1 from beat), coalesce(?, clock_timestamp())
            """;

    private final StoreSession session;
    private volatile @Nullable JobChanges changes;

    public NodeStore(StoreSession session) {
        this.session = session;
    }

    /** Tells {@code changes} of the jobs a dead-node sweep recovers, inside its transaction; null for no one. */
    public void observe(@Nullable JobChanges changes) {
        this.changes = changes;
    }

    /** Registers a node that declares no schedules, or refreshes its registration. */
    public void register(UUID nodeId, String name) {
        register(nodeId, name, null);
    }

    /**
     * Registers a node, or refreshes its registration if it was removed as dead. {@code scheduleSet}
     * is the fingerprint of the schedules its code declares (null if it runs no jobs); the first
     * registration of a fingerprint records when the cluster first saw it.
     */
    public void register(UUID nodeId, String name, @Nullable String scheduleSet) {
        session.inOwnTransaction(connection -> {
            if (scheduleSet != null) {
                try (PreparedStatement seen = connection.prepareStatement("""
                        insert into taskbound_schedule_set (fingerprint, first_seen_at)
                        values (?, coalesce(?, now()))
                        on conflict (fingerprint) do nothing
                        """)) {
                    seen.setString(1, scheduleSet);
                    session.bindNow(seen, 2);
                    seen.executeUpdate();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into taskbound_node (id, name, started_at, heartbeat_at, schedule_set)
                    values (?, ?, coalesce(?, now()), coalesce(?, now()), ?)
                    on conflict (id) do update set heartbeat_at = excluded.heartbeat_at
                    """)) {
                insert.setObject(1, nodeId);
                insert.setString(2, name);
                session.bindNow(insert, 3);
                session.bindNow(insert, 4);
                insert.setString(5, scheduleSet);
                return insert.executeUpdate();
            }
        });
    }

    /**
     * Records that the node is alive, and reads the database's clock on the way, in one statement
     * outside any transaction.
     */
    public Beat heartbeat(UUID nodeId) {
        return session.autocommit(true, connection -> {
            try (PreparedStatement beat = connection.prepareStatement(HEARTBEAT)) {
                session.bindNow(beat, 1);
                beat.setObject(2, nodeId);
                session.bindNow(beat, 3);
                long sent = System.nanoTime();
                try (ResultSet row = beat.executeQuery()) {
                    long received = System.nanoTime();
                    row.next();
                    return new Beat(
                            row.getBoolean(1),
                            new ClockReading(
                                    row.getObject(2, java.time.OffsetDateTime.class)
                                            .toInstant(),
                                    sent,
                                    received));
                }
            }
        });
    }

    /**
     * What a heartbeat found.
     *
     * @param registered false if the node had been removed as dead meanwhile: nothing was recorded
     * @param clock the database's clock, read by the same statement
     */
    public record Beat(boolean registered, ClockReading clock) {}

    /**
     * Reads the database's clock ({@code clock_timestamp()}, not the transaction's start), or the
     * test clock if one is set, timing the statement's round trip on {@link System#nanoTime()}.
     */
    public ClockReading readClock() {
        return session.autocommit(false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("select coalesce(?, clock_timestamp())")) {
                session.bindNow(select, 1);
                long sent = System.nanoTime();
                try (ResultSet row = select.executeQuery()) {
                    long received = System.nanoTime();
                    row.next();
                    return new ClockReading(
                            row.getObject(1, java.time.OffsetDateTime.class).toInstant(), sent, received);
                }
            }
        });
    }

    /**
     * The database's time, read between {@code sentNanos} and {@code receivedNanos} on this JVM's
     * {@link System#nanoTime()} scale.
     */
    public record ClockReading(Instant database, long sentNanos, long receivedNanos) {}

    /** Removes the node's registration, at shutdown. */
    public void deregister(UUID nodeId) {
        session.inOwnTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("delete from taskbound_node where id = ?")) {
                delete.setObject(1, nodeId);
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Removes the nodes whose heartbeat is older than {@code timeout} and re-queues their running
     * jobs (or ends them dead when that was their last attempt), in one statement: outside any
     * transaction, or with someone to tell of the jobs, in a transaction of its own that tells them
     * before it commits. Told after the commit, they could hear of a recovered job's next run before
     * its recovery: this node's lanes may claim and start it as soon as the sweep commits.
     */
    public Recovery recoverDeadNodes(Duration timeout) {
        JobChanges observer = changes;
        if (observer == null) {
            return session.autocommit(true, connection -> recover(connection, timeout, null));
        }
        return session.inOwnTransaction(connection -> recover(connection, timeout, observer));
    }

    private Recovery recover(Connection connection, Duration timeout, @Nullable JobChanges observer)
            throws SQLException {
        try (PreparedStatement recover = connection.prepareStatement(RECOVER_DEAD)) {
            // One instant for every "now" of the statement, as now() is one in a transaction.
            Instant now = session.clockOverride();
            StoreSession.bindInstant(recover, 1, now);
            recover.setLong(2, timeout.toMillis());
            StoreSession.bindInstant(recover, 3, now);
            StoreSession.bindInstant(recover, 4, now);
            StoreSession.bindInstant(recover, 5, now);
            recover.setLong(6, timeout.toMillis());
            StoreSession.bindInstant(recover, 7, now);
            StoreSession.bindInstant(recover, 8, now);
            recover.setLong(9, timeout.toMillis());
            int deadNodes = 0;
            Duration untilOldestExpires = null;
            List<ChangedJob> recovered = new ArrayList<>();
            try (ResultSet rows = recover.executeQuery()) {
                while (rows.next()) {
                    deadNodes = rows.getInt(1);
                    long micros = rows.getLong(3);
                    untilOldestExpires = rows.wasNull() ? null : Duration.ofNanos(micros * 1000);
                    if (rows.getObject(4) != null) {
                        recovered.add(ChangedJob.read(rows, 4));
                    }
                }
            }
            if (observer != null && !recovered.isEmpty()) {
                observer.recovered(recovered);
            }
            return new Recovery(deadNodes, recovered.size(), untilOldestExpires);
        }
    }

    /**
     * What a dead-node sweep did.
     *
     * @param untilOldestExpires how long until the oldest heartbeat of the nodes still registered
     *     is older than the timeout, by the database's clock; null if no node is registered
     */
    public record Recovery(
            int deadNodes, int recoveredJobs, @Nullable Duration untilOldestExpires) {}

    /** The registered nodes, oldest first. */
    public List<NodeEntity> nodes() {
        return session.readOnly(em ->
                new ArrayList<>(em.createQuery("select n from NodeEntity n order by n.startedAt", NodeEntity.class)
                        .getResultList()));
    }
}
