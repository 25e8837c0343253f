package io.taskbound.store;

import io.taskbound.JobState;
import io.taskbound.store.JobStore.InsertedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The enqueue's statement: any number of jobs in one insert, with their lanes announced. */
final class JobInserts {

    // One statement for any number of jobs: rows come in as arrays, a row that would break a unique
    // index is skipped (a unique key a live job already holds; a schedule's fire time that already
    // made a job), and each lane is announced once (PostgreSQL delivers the notification on commit,
    // so other nodes never wake for a job they cannot see yet): "lane" when it has due work, else
    // "lane@<epoch ms>" with its earliest run time, so that nodes can wake when it is due.
    // Each row returns how long until it is due, by the database's clock, for this node's timers.
    private static final String INSERT = """
            with new_job (id, name, lane, bound, priority, run_at, delay_ms, max_attempts, timeout_ms, args,
                          unique_key, schedule_id, fire_time, trace_context) as (
                select * from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[]::timestamptz[],
                                     ?::bigint[], ?::int[], ?::bigint[], ?::text[], ?::text[], ?::text[],
                                     ?::text[]::timestamptz[], ?::text[])
            ), inserted as (
                insert into taskbound_job (id, name, lane, bound, state, priority, run_at, max_attempts, timeout_ms,
                                           args, unique_key, schedule_id, fire_time, trace_context, created_at)
                select id, name, lane, bound, 'QUEUED', priority,
                       coalesce(run_at, coalesce(?, now()) + delay_ms * interval '1 millisecond'),
                       max_attempts, timeout_ms, args::jsonb, unique_key, schedule_id,
                       case when schedule_id is null then null else coalesce(fire_time, ?, clock_timestamp()) end,
                       trace_context, coalesce(?, now())
                  from new_job
                on conflict do nothing
                returning id, lane, run_at, created_at
            ), announced as (
                select count(pg_notify('%s', lane || case when due then '' else '@' || at_ms end)) as lanes
                  from (select lane, bool_or(run_at <= coalesce(?, now())) as due,
                               (extract(epoch from min(run_at)) * 1000)::bigint::text as at_ms
                          from inserted group by lane) d
            )
            select inserted.id,
                   (extract(epoch from (inserted.run_at - coalesce(?, clock_timestamp()))) * 1000000)::bigint,
                   inserted.created_at, inserted.run_at
              from inserted, announced
            """.formatted(JobStore.LANE_CHANNEL);

    private final StoreSession session;

    JobInserts(StoreSession session) {
        this.session = session;
    }

    /**
     * Inserts jobs on {@code connection}, skipping those that would break a unique index, and
     * returns the inserted ones by id; {@code changes}, if any, is told of them.
     */
    Map<UUID, InsertedJob> insertRows(Connection connection, List<NewJob> jobs, @Nullable JobChanges changes)
            throws SQLException {
        Map<UUID, NewJob> byId = new HashMap<>(jobs.size() * 2);
        jobs.forEach(job -> byId.put(job.id(), job));
        Map<UUID, InsertedJob> inserted = new HashMap<>(jobs.size() * 2);
        JobChanges observer = changes;
        List<ChangedJob> changed = observer == null ? null : new ArrayList<>(jobs.size());
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            bindNewJobs(connection, insert, jobs);
            try (ResultSet rows = insert.executeQuery()) {
                long now = System.nanoTime();
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    long dueInMicros = rows.getLong(2);
                    NewJob job = byId.get(id);
                    inserted.put(id, new InsertedJob(id, job.lane(), true, now + dueInMicros * 1000));
                    if (changed != null) {
                        changed.add(insertedJob(job, rows));
                    }
                }
            }
        }
        if (changed != null && !changed.isEmpty()) {
            observer.inserted(changed);
        }
        return inserted;
    }

    private static ChangedJob insertedJob(NewJob job, ResultSet row) throws SQLException {
        return new ChangedJob(
                job.id(),
                job.name(),
                job.lane(),
                job.bound(),
                JobState.QUEUED,
                0,
                job.maxAttempts(),
                row.getObject(3, java.time.OffsetDateTime.class).toInstant(),
                row.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                null);
    }

    private void bindNewJobs(Connection connection, PreparedStatement insert, List<NewJob> jobs) throws SQLException {
        int n = jobs.size();
        Object[] ids = new Object[n], names = new Object[n], lanes = new Object[n], bounds = new Object[n];
        Object[] priorities = new Object[n], runAts = new Object[n], delays = new Object[n];
        Object[] attempts = new Object[n], timeouts = new Object[n], args = new Object[n], keys = new Object[n];
        Object[] schedules = new Object[n], fireTimes = new Object[n], traces = new Object[n];
        for (int k = 0; k < n; k++) {
            NewJob job = jobs.get(k);
            ids[k] = job.id();
            names[k] = job.name();
            lanes[k] = job.lane();
            bounds[k] = job.bound().name();
            priorities[k] = job.priority();
            // ISO-8601 text with its offset: a java.sql.Timestamp in an array travels as local wall
            // time, which is ambiguous at DST changes and wrong if the JVM's zone changes.
            runAts[k] = job.runAt() == null ? null : job.runAt().toString();
            delays[k] = job.delay().toMillis();
            attempts[k] = job.maxAttempts();
            timeouts[k] = job.timeout() == null ? null : job.timeout().toMillis();
            args[k] = job.argumentsJson();
            keys[k] = job.uniqueKey();
            schedules[k] = job.scheduleId();
            fireTimes[k] = job.fireTime() == null ? null : job.fireTime().toString();
            traces[k] = job.traceContext();
        }
        int i = 0;
        insert.setArray(++i, connection.createArrayOf("uuid", ids));
        insert.setArray(++i, connection.createArrayOf("text", names));
        insert.setArray(++i, connection.createArrayOf("text", lanes));
        insert.setArray(++i, connection.createArrayOf("text", bounds));
        insert.setArray(++i, connection.createArrayOf("int4", priorities));
        insert.setArray(++i, connection.createArrayOf("text", runAts));
        insert.setArray(++i, connection.createArrayOf("int8", delays));
        insert.setArray(++i, connection.createArrayOf("int4", attempts));
        insert.setArray(++i, connection.createArrayOf("int8", timeouts));
        insert.setArray(++i, connection.createArrayOf("text", args));
        insert.setArray(++i, connection.createArrayOf("text", keys));
        insert.setArray(++i, connection.createArrayOf("text", schedules));
        insert.setArray(++i, connection.createArrayOf("text", fireTimes));
        insert.setArray(++i, connection.createArrayOf("text", traces));
        // One instant for every "now" of the statement, as now() is one in a transaction: a test
        // clock read once per parameter would store a delayed job due a little less than its delay
        // after its creation, by however long passed between the reads.
        Instant now = session.clockOverride();
        for (int parameter = 0; parameter < 5; parameter++) {
            StoreSession.bindInstant(insert, ++i, now);
        }
    }

    static Map<String, UUID> liveJobsWithKeys(Connection connection, List<NewJob> jobs) throws SQLException {
        Object[] keys =
                jobs.stream().map(NewJob::uniqueKey).filter(Objects::nonNull).toArray();
        Map<String, UUID> live = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select unique_key, id from taskbound_job where unique_key = any (?) and state in "
                        + JobStore.LIVE_STATES)) {
            select.setArray(1, connection.createArrayOf("text", keys));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    live.put(rows.getString(1), rows.getObject(2, UUID.class));
                }
            }
        }
        return live;
    }
}
