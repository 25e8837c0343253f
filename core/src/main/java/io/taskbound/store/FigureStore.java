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
        return session.autocommit(false, FigureStore::nodes);
    }

    /**
     * Everything the lanes' figures are made of, in one statement: the nodes with their figures,
     * each a row, the queue's count and the paused lanes on the first. A dashboard reads it at each
     * refresh, so it costs one round trip and no transaction.
     */
    public Snapshot snapshot() {
        return session.autocommit(false, connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    select n.id, n.name, n.started_at,
                           greatest(0, extract(epoch from (now() - n.heartbeat_at)) * 1000)::bigint,
                           n.figures::text,
                           nullif(q.counted_at, '-infinity'),
                           case when row_number() over (order by n.name, n.id) = 1 then q.counts::text end,
                           coalesce(?, now()),
                           case when row_number() over (order by n.name, n.id) = 1
                                then array(select lane from taskbound_paused_lane order by lane) end
                      from taskbound_queue_count q
                      left join taskbound_node n on true
                     where q.id = 1
                     order by n.name, n.id
                    """)) {
                session.bindNow(select, 1);
                try (ResultSet row = select.executeQuery()) {
                    return snapshot(row);
                }
            }
        });
    }

    private static Snapshot snapshot(ResultSet row) throws SQLException {
        List<NodeRow> nodes = new ArrayList<>();
        Instant countedAt = null;
        String counts = "[]";
        Instant now = null;
        Set<String> paused = new LinkedHashSet<>();
        while (row.next()) {
            if (now == null) {
                now = row.getTimestamp(8).toInstant();
                if (row.getTimestamp(6) != null) {
                    countedAt = row.getTimestamp(6).toInstant();
                    counts = row.getString(7);
                }
                paused.addAll(List.of((String[]) row.getArray(9).getArray()));
            }
            if (row.getObject(1) != null) {
                nodes.add(nodeRow(row));
            }
        }
        if (now == null) {
            throw new IllegalStateException("taskbound_queue_count has no row 1: the V5 migration was not applied");
        }
        return new Snapshot(nodes, now, countedAt, counts, paused);
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
                nodes.add(nodeRow(row));
            }
        }
        return nodes;
    }

    private static NodeRow nodeRow(ResultSet row) throws SQLException {
        return new NodeRow(
                row.getObject(1, UUID.class),
                row.getString(2),
                row.getTimestamp(3).toInstant(),
                Duration.ofMillis(row.getLong(4)),
                row.getString(5));
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
