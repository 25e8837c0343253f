package io.taskbound.store;

import io.taskbound.MisfirePolicy;
import io.taskbound.OverlapPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The schedule table's statements. Firing is one transaction per batch of due schedules: lock them
 * ({@code FOR UPDATE SKIP LOCKED}, so nodes firing at the same instant split the work instead of
 * waiting), advance each one's {@code next_fire_at} by compare-and-set, and insert the jobs, which
 * the unique index on (schedule_id, fire_time) keeps to one per fire time. Every comparison of time
 * uses the database's clock, so nodes with skewed clocks agree.
 */
public final class ScheduleStore {

    /** The channel on which a change of the schedules is announced, so that firers look again. */
    public static final String SCHEDULE_CHANNEL = "taskbound_schedule";

    private static final String COLUMNS = """
            id, job_name, args::text, lane, priority, max_attempts, cron, every_ms, zone, anchor_at, misfire,
            max_catch_up, overlap, jitter_ms, paused, next_fire_at, last_fire_at, declared_by, created_at,
            updated_at""";

    private static final String SELECT_DUE = """
            select %s, coalesce(?, now()),
                   exists (select 1 from taskbound_job j where j.schedule_id = s.id and j.state in %s)
              from taskbound_schedule s
             where not s.paused and s.next_fire_at <= coalesce(?, now()) and s.job_name = any (?)
             order by s.next_fire_at
             limit ?
               for update of s skip locked
            """.formatted(COLUMNS, JobStore.LIVE_STATES);

    private static final String ADVANCE = """
            update taskbound_schedule
               set next_fire_at = ?, last_fire_at = coalesce(?, last_fire_at)
             where id = ? and next_fire_at = ?
            """;

    private static final String UNTIL_NEXT = """
            select (extract(epoch from (min(next_fire_at) - coalesce(?, clock_timestamp()))) * 1000000)::bigint
              from taskbound_schedule
             where not paused and job_name = any (?)
            """;

    // A node counts as live while its heartbeat is within the dead-node timeout, as the sweep sees
    // it; "seen" orders the sets by their first sighting, which is strict even when two are first
    // seen at the same instant of a test clock.
    private static final String NEWER_LIVE_NODE = """
            select n.name, theirs.fingerprint, theirs.first_seen_at, ours.first_seen_at
              from taskbound_node n
              join taskbound_schedule_set theirs on theirs.fingerprint = n.schedule_set
              join taskbound_schedule_set ours on ours.fingerprint = ?
             where n.id <> ? and theirs.seen > ours.seen
               and n.heartbeat_at >= coalesce(?, now()) - ? * interval '1 millisecond'
             order by theirs.seen desc, n.heartbeat_at desc
             limit 1
            """;

    private static final String UPSERT = """
            insert into taskbound_schedule (id, job_name, args, lane, priority, max_attempts, cron, every_ms, zone,
                                            anchor_at, misfire, max_catch_up, overlap, jitter_ms, paused,
                                            next_fire_at, last_fire_at, declared_by, created_at, updated_at)
            values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (id) do update
               set job_name = excluded.job_name, args = excluded.args, lane = excluded.lane,
                   priority = excluded.priority, max_attempts = excluded.max_attempts, cron = excluded.cron,
                   every_ms = excluded.every_ms, zone = excluded.zone, anchor_at = excluded.anchor_at,
                   misfire = excluded.misfire, max_catch_up = excluded.max_catch_up, overlap = excluded.overlap,
                   jitter_ms = excluded.jitter_ms, paused = excluded.paused, next_fire_at = excluded.next_fire_at,
                   last_fire_at = excluded.last_fire_at, declared_by = excluded.declared_by,
                   updated_at = excluded.updated_at
            returning %s
            """.formatted(COLUMNS);

    private final StoreSession session;
    private final JobStore jobs;

    public ScheduleStore(StoreSession session, JobStore jobs) {
        this.session = session;
        this.jobs = jobs;
    }

    public List<StoredSchedule> list() {
        return session.inCallerTransaction(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("select " + COLUMNS + " from taskbound_schedule order by id")) {
                return read(select);
            }
        });
    }

    public Optional<StoredSchedule> find(String id) {
        return session.inCallerTransaction(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("select " + COLUMNS + " from taskbound_schedule where id = ?")) {
                select.setString(1, id);
                return read(select).stream().findFirst();
            }
        });
    }

    /** The store's current time: the database's, unless a test clock is set. */
    public Instant now() {
        return session.inCallerTransaction(this::currentTime);
    }

    /** A change of one schedule, made while its row is locked. */
    @FunctionalInterface
    public interface Change<T> {
        /**
         * Decides what to do with the schedule as stored (empty if none) at {@code now}, through
         * {@code rows}, and returns what the caller gets.
         */
        T apply(Optional<StoredSchedule> stored, Instant now, Rows rows) throws SQLException;
    }

    /** Writes of a {@link Change}. */
    public interface Rows {
        /** Inserts or replaces the schedule; returns it as stored (its arguments as PostgreSQL writes them). */
        StoredSchedule save(StoredSchedule schedule) throws SQLException;

        void delete(String id) throws SQLException;

        /** Inserts a job, as the schedule's trigger does; its lane is woken on commit. */
        JobStore.InsertedJob insertJob(NewJob job) throws SQLException;
    }

    /**
     * Locks the schedule {@code id} (or its absence: a schedule created meanwhile waits for this
     * transaction) in the caller's transaction, and applies {@code change}. Other nodes' firers are
     * told to look again on commit.
     */
    public <T> T change(String id, Change<T> change) {
        return session.inCallerTransaction(connection -> {
            // Serialises changes of one id even while the row does not exist yet.
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, SCHEDULE_CHANNEL + ":" + id);
                lock.execute();
            }
            Optional<StoredSchedule> stored;
            try (PreparedStatement select = connection.prepareStatement(
                    "select " + COLUMNS + " from taskbound_schedule where id = ? for update")) {
                select.setString(1, id);
                stored = read(select).stream().findFirst();
            }
            T result = change.apply(stored, currentTime(connection), new ConnectionRows(connection));
            JobStore.notify(connection, SCHEDULE_CHANNEL, id);
            return result;
        });
    }

    /**
     * Reconciles the schedules declared in code, in one transaction that holds a lock no other
     * node's reconciliation can take meanwhile: {@code reconcile} gets every stored schedule and
     * the store's time, and saves and deletes through {@code rows}. Unless the schedules belong to
     * newer code: if a live node (other than {@code code}'s) declares a set of schedules that the
     * cluster first saw after {@code code}'s, nothing is read or changed and {@code deferred} gets
     * that node instead.
     */
    public <T> T reconcile(DeclaringCode code, ReconcileWork<T> reconcile, Function<NewerCode, T> deferred) {
        return session.inOwnTransaction(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, SCHEDULE_CHANNEL + ":reconcile");
                lock.execute();
            }
            Optional<NewerCode> newer = newerCode(connection, code);
            if (newer.isPresent()) {
                return deferred.apply(newer.get());
            }
            List<StoredSchedule> stored;
            try (PreparedStatement select = connection.prepareStatement(
                    "select " + COLUMNS + " from taskbound_schedule order by id for update")) {
                stored = read(select);
            }
            T result = reconcile.apply(stored, currentTime(connection), new ConnectionRows(connection));
            JobStore.notify(connection, SCHEDULE_CHANNEL, "");
            return result;
        });
    }

    /** A live node that declares schedules newer than {@code code}'s, if there is one; takes no lock. */
    public Optional<NewerCode> newerCode(DeclaringCode code) {
        return session.inOwnTransaction(connection -> newerCode(connection, code));
    }

    private Optional<NewerCode> newerCode(Connection connection, DeclaringCode code) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(NEWER_LIVE_NODE)) {
            select.setString(1, code.scheduleSet());
            select.setObject(2, code.nodeId());
            session.bindNow(select, 3);
            select.setLong(4, code.liveWithin().toMillis());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NewerCode(
                        row.getString(1),
                        row.getString(2),
                        Objects.requireNonNull(instant(row, 3)),
                        Objects.requireNonNull(instant(row, 4))));
            }
        }
    }

    /**
     * The code of the node that reconciles: its id, the fingerprint of the schedules it declares
     * (registered with the node), and how recent a heartbeat must be for a node to count as live.
     */
    public record DeclaringCode(UUID nodeId, String scheduleSet, Duration liveWithin) {}

    /**
     * A live node whose code declares a set of schedules the cluster first saw after the one of the
     * node reconciling.
     */
    public record NewerCode(String nodeName, String scheduleSet, Instant firstSeenAt, Instant ownFirstSeenAt) {}

    /** {@link Rows} on the connection of the transaction at hand. */
    private final class ConnectionRows implements Rows {
        private final Connection connection;

        ConnectionRows(Connection connection) {
            this.connection = connection;
        }

        @Override
        public StoredSchedule save(StoredSchedule schedule) throws SQLException {
            return upsert(connection, schedule);
        }

        @Override
        public void delete(String id) throws SQLException {
            try (PreparedStatement delete =
                    connection.prepareStatement("delete from taskbound_schedule where id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
        }

        @Override
        public JobStore.InsertedJob insertJob(NewJob job) throws SQLException {
            JobStore.InsertedJob inserted =
                    jobs.insertRows(connection, List.of(job)).get(job.id());
            if (inserted == null) {
                throw new IllegalStateException(
                        "Schedule \"" + job.scheduleId() + "\" already made a job at this instant; trigger it again");
            }
            return inserted;
        }
    }

    /** The work of {@link #reconcile}. */
    @FunctionalInterface
    public interface ReconcileWork<T> {
        T apply(List<StoredSchedule> stored, Instant now, Rows rows) throws SQLException;
    }

    /** What to do for a due schedule: the jobs to insert and where the schedule goes next. */
    public record Fire(
            List<NewJob> jobs, Instant nextFireAt, @Nullable Instant lastFireAt) {}

    /** Decides the {@link Fire} of a due schedule. */
    @FunctionalInterface
    public interface Firing {
        /**
         * @param busy whether a job of the schedule is queued, retrying or running
         * @param now the store's time
         */
        Fire decide(StoredSchedule schedule, boolean busy, Instant now);
    }

    /**
     * What one round of firing did.
     *
     * @param due schedules that were due and locked by this node
     * @param inserted the jobs made
     * @param untilNext time until the earliest fire time of a schedule this node can fire, by the
     *     database's clock, or null if there is none; zero or less if one is due (another node may
     *     be firing it)
     */
    public record Fired(
            int due,
            List<JobStore.InsertedJob> inserted,
            @Nullable Duration untilNext) {}

    /**
     * Fires up to {@code limit} due schedules whose jobs are named in {@code jobNames}, in one
     * transaction of its own.
     */
    public Fired fire(Collection<String> jobNames, int limit, Firing firing) {
        return session.inOwnTransaction(connection -> {
            List<StoredSchedule> due = new ArrayList<>();
            List<Boolean> busy = new ArrayList<>();
            Instant now = null;
            try (PreparedStatement select = connection.prepareStatement(SELECT_DUE)) {
                session.bindNow(select, 1);
                session.bindNow(select, 2);
                select.setArray(3, connection.createArrayOf("text", jobNames.toArray()));
                select.setInt(4, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        due.add(row(rows));
                        now = rows.getObject(21, java.time.OffsetDateTime.class).toInstant();
                        busy.add(rows.getBoolean(22));
                    }
                }
            }
            List<NewJob> toInsert = new ArrayList<>();
            for (int i = 0; i < due.size(); i++) {
                StoredSchedule schedule = due.get(i);
                Fire fire = firing.decide(schedule, busy.get(i), now);
                if (advance(connection, schedule, fire)) {
                    toInsert.addAll(fire.jobs());
                }
            }
            Map<java.util.UUID, JobStore.InsertedJob> inserted =
                    toInsert.isEmpty() ? Map.of() : jobs.insertRows(connection, toInsert);
            if (!due.isEmpty()) {
                // Other nodes sleeping until this fire time look again once it has moved on.
                JobStore.notify(connection, SCHEDULE_CHANNEL, "");
            }
            return new Fired(due.size(), List.copyOf(inserted.values()), untilNext(connection, jobNames));
        });
    }

    /**
     * How long until the earliest fire time of a schedule whose job is named in {@code jobNames}, by
     * the database's clock (zero or less if one is due), or null if there is none: one statement,
     * outside any transaction, so that a firer with nothing due looks at the cost of a single
     * statement.
     */
    public @Nullable Duration untilNext(Collection<String> jobNames) {
        return session.autocommit(false, connection -> untilNext(connection, jobNames));
    }

    // Compare-and-set: the row is locked, so this only fails if the schedule changed between the
    // select and now in this very transaction, which it cannot; it guards against a firer that
    // decides on a stale row all the same, as the unique index guards against a second job.
    private boolean advance(Connection connection, StoredSchedule schedule, Fire fire) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(ADVANCE)) {
            bindTime(update, 1, fire.nextFireAt());
            bindTime(update, 2, fire.lastFireAt());
            update.setString(3, schedule.id());
            bindTime(update, 4, schedule.nextFireAt());
            return update.executeUpdate() == 1;
        }
    }

    private @Nullable Duration untilNext(Connection connection, Collection<String> jobNames) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(UNTIL_NEXT)) {
            session.bindNow(select, 1);
            select.setArray(2, connection.createArrayOf("text", jobNames.toArray()));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                long micros = row.getLong(1);
                return row.wasNull() ? null : Duration.ofNanos(micros * 1000);
            }
        }
    }

    private Instant currentTime(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select coalesce(?, now())")) {
            session.bindNow(select, 1);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        }
    }

    private StoredSchedule upsert(Connection connection, StoredSchedule s) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            int i = 0;
            upsert.setString(++i, s.id());
            upsert.setString(++i, s.jobName());
            upsert.setString(++i, s.argumentsJson());
            upsert.setString(++i, s.lane());
            upsert.setObject(++i, s.priority(), Types.INTEGER);
            upsert.setObject(++i, s.maxAttempts(), Types.INTEGER);
            upsert.setString(++i, s.cron());
            upsert.setObject(++i, s.every() == null ? null : s.every().toMillis(), Types.BIGINT);
            upsert.setString(++i, s.zone().getId());
            bindTime(upsert, ++i, s.anchorAt());
            upsert.setString(++i, s.misfire().name());
            upsert.setInt(++i, s.maxCatchUp());
            upsert.setString(++i, s.overlap().name());
            upsert.setLong(++i, s.jitter().toMillis());
            upsert.setBoolean(++i, s.paused());
            bindTime(upsert, ++i, s.nextFireAt());
            bindTime(upsert, ++i, s.lastFireAt());
            upsert.setString(++i, s.declaredBy());
            bindTime(upsert, ++i, s.createdAt());
            bindTime(upsert, ++i, s.updatedAt());
            return read(upsert).getFirst();
        }
    }

    private static void bindTime(PreparedStatement statement, int index, @Nullable Instant instant)
            throws SQLException {
        StoreSession.bindInstant(statement, index, instant);
    }

    private static List<StoredSchedule> read(PreparedStatement select) throws SQLException {
        List<StoredSchedule> schedules = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                schedules.add(row(rows));
            }
        }
        return schedules;
    }

    private static StoredSchedule row(ResultSet rows) throws SQLException {
        long everyMillis = rows.getLong(8);
        Duration every = rows.wasNull() ? null : Duration.ofMillis(everyMillis);
        return new StoredSchedule(
                rows.getString(1),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getObject(5, Integer.class),
                rows.getObject(6, Integer.class),
                rows.getString(7),
                every,
                ZoneId.of(rows.getString(9)),
                instant(rows, 10),
                MisfirePolicy.valueOf(rows.getString(11)),
                rows.getInt(12),
                OverlapPolicy.valueOf(rows.getString(13)),
                Duration.ofMillis(rows.getLong(14)),
                rows.getBoolean(15),
                instant(rows, 16),
                instant(rows, 17),
                rows.getString(18),
                instant(rows, 19),
                instant(rows, 20));
    }

    private static @Nullable Instant instant(ResultSet rows, int column) throws SQLException {
        java.time.OffsetDateTime value = rows.getObject(column, java.time.OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
