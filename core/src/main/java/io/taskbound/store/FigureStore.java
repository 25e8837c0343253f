package io.taskbound.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where the nodes' lane figures and the cluster's queue counts are kept: each node writes its own
 * figures into its row of the nodes table, and one node at a time counts the queue.
 */
public final class FigureStore {

    // Whoever moves counted_at forward counts, in the same statement; a node that finds the count
    // fresh changes nothing and counts nothing (the sub-select runs only for a row the update
    // takes). Two nodes at once: the second waits for the first's row lock, then finds it fresh.
    private static final String COUNT_QUEUE = """
            update taskbound_queue_count
               set counted_at = coalesce(?, now()),
                   counts = (select coalesce(jsonb_agg(jsonb_build_array(lane, name, due, later, retrying)), '[]')
                               from (select lane, name,
                                            count(*) filter (where state = 'QUEUED' and run_at <= coalesce(?, now())) due,
                                            count(*) filter (where state = 'QUEUED' and run_at > coalesce(?, now())) later,
                                            count(*) filter (where state = 'RETRYING') retrying
                                       from taskbound_job
                                      where state in ('QUEUED', 'RETRYING')
                                      group by lane, name) c)
             where id = 1 and counted_at <= coalesce(?, now()) - ? * interval '1 millisecond'
            """;

    private final StoreSession session;

    public FigureStore(StoreSession session) {
        this.session = session;
    }

    /** Records {@code json} as the node's figures, in one statement outside any transaction. */
    public void publish(UUID nodeId, String json) {
        session.autocommit(true, connection -> {
            try (PreparedStatement update =
                    connection.prepareStatement("update taskbound_node set figures = ?::jsonb where id = ?")) {
                update.setString(1, json);
                update.setObject(2, nodeId);
                return update.executeUpdate();
            }
        });
    }

    /**
     * Counts the waiting jobs per lane and job name, unless they were counted less than {@code
     * fresh} ago (by this node or another); returns whether this call counted.
     */
    public boolean countQueue(Duration fresh) {
        return session.autocommit(true, connection -> {
            try (PreparedStatement count = connection.prepareStatement(COUNT_QUEUE)) {
                for (int i = 1; i <= 4; i++) {
                    session.bindNow(count, i);
                }
                count.setLong(5, fresh.toMillis());
                return count.executeUpdate() > 0;
            }
        });
    }

    /** The registered nodes with their figures, by name. */
    public List<NodeRow> nodes() {
        return session.readOnlyJdbc(FigureStore::nodes);
    }

    /** Everything the lanes' figures are made of, read in one transaction. */
    public Snapshot snapshot() {
        return session.readOnlyJdbc(connection -> {
            List<NodeRow> nodes = nodes(connection);
            Instant countedAt = null;
            String counts = "[]";
            Instant now;
            try (PreparedStatement select = connection.prepareStatement("""
                    select nullif(counted_at, '-infinity'), counts::text, coalesce(?, now())
                      from taskbound_queue_count where id = 1
                    """)) {
                session.bindNow(select, 1);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    if (row.getTimestamp(1) != null) {
                        countedAt = row.getTimestamp(1).toInstant();
                        counts = row.getString(2);
                    }
                    now = row.getTimestamp(3).toInstant();
                }
            }
            Set<String> paused = new LinkedHashSet<>();
            try (PreparedStatement select = connection.prepareStatement("select lane from taskbound_paused_lane");
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    paused.add(rows.getString(1));
                }
            }
            return new Snapshot(nodes, now, countedAt, counts, paused);
        });
    }

    private static List<NodeRow> nodes(Connection connection) throws SQLException {
        List<NodeRow> nodes = new ArrayList<>();
        try (PreparedStatement list = connection.prepareStatement("""
                        select id, name, started_at,
                               greatest(0, extract(epoch from (now() - heartbeat_at)) * 1000)::bigint,
                               figures::text
                          from taskbound_node order by name, id
                        """);
                ResultSet row = list.executeQuery()) {
            while (row.next()) {
                nodes.add(new NodeRow(
                        row.getObject(1, UUID.class),
                        row.getString(2),
                        row.getTimestamp(3).toInstant(),
                        Duration.ofMillis(row.getLong(4)),
                        row.getString(5)));
            }
        }
        return nodes;
    }

    /** A registered node; {@code figures} is the JSON it last published, null before its first. */
    public record NodeRow(
            UUID id,
            String name,
            Instant startedAt,
            Duration heartbeatAge,
            @Nullable String figures) {}

    /**
     * The nodes, the database's time, the last queue count ({@code countsJson}: an array of {@code [lane, name, due,
     * later, retrying]}; {@code countedAt} null if the queue was never counted) and the paused lanes.
     */
    public record Snapshot(
            List<NodeRow> nodes,
            Instant now,
            @Nullable Instant countedAt,
            String countsJson,
            Set<String> pausedLanes) {}
}
