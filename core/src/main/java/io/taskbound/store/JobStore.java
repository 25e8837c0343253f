package io.taskbound.store;

import io.taskbound.JobInfo;
import io.taskbound.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The job table's statements. Each hot path is one SQL statement: an insert per enqueue, one
 * {@code UPDATE ... FOR UPDATE SKIP LOCKED ... RETURNING} per claimed batch, one update per batch of
 * completions. Everything that decides a job's next state from stored values does it in SQL, so
 * that two nodes never act on a stale read.
 */
public final class JobStore {

    /** The PostgreSQL channel on which due work is announced; the payload is the lane. */
    public static final String LANE_CHANNEL = "taskbound_lane";

    /** The channel on which cancellation of a running job is announced; the payload is its id. */
    public static final String CANCEL_CHANNEL = "taskbound_cancel";

    /** The states of a job that is not finished. */
    public static final String LIVE_STATES = "('QUEUED', 'RETRYING', 'RUNNING')";

    private static final String CLAIM = """
            update taskbound_job j
               set state = 'RUNNING', attempt = j.attempt + 1, node_id = ?, lease = gen_random_uuid(),
                   started_at = coalesce(?, now()), finished_at = null
             where j.id in (select id from taskbound_job
                             where lane = ? and state in ('QUEUED', 'RETRYING')
                               and run_at <= coalesce(?, now()) and name = any (?)
                             order by priority desc, run_at
                             limit ? for update skip locked)
               -- A node declared dead claims nothing until its heartbeat registers it again: the
               -- sweep of other nodes would take its new jobs back while it runs them.
               and exists (select 1 from taskbound_node n where n.id = ?)
               -- A lane paused for the cluster claims nothing, from the moment the pause commits.
               and not exists (select 1 from taskbound_paused_lane p where p.lane = j.lane)
            returning j.id, j.name, j.lane, j.args, j.attempt, j.max_attempts, j.timeout_ms, j.lease, j.fire_time,
                      (extract(epoch from j.run_at) * 1000000)::bigint, j.trace_context
            """;

    // A completion counts only if the job is still running under the lease it was claimed with:
    // a node declared dead may finish a job late, after it was re-queued and claimed elsewhere.
    // Every way out of RUNNING clears the lease, so the lease alone says "still running"; a
    // "state = 'RUNNING'" test here invited a plan through the running-jobs index, scanning every
    // running job once per completion (measured: 1-2 s per batch of 500 with 10,000 running).
    // A failure of a job whose cancellation was requested ends it cancelled rather than retried.
    // Retries are announced as enqueues of delayed jobs are, "lane@<epoch ms>" with the earliest
    // retry of each lane, so that every node sets a timer instead of waiting for a poll.
    private static final String COMPLETE = """
            with c (id, lease, state, result, error, stack, outcome, retry_ms, wall_us, cpu_us, alloc, peak) as (
                select * from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[],
                                     ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
            ), done as (
                update taskbound_job j
                   set state = case when j.cancel_requested and c.state in ('RETRYING', 'DEAD')
                                    then 'CANCELLED' else c.state end,
                       result = c.result::jsonb,
                       error = c.error,
                       finished_at = case when c.state = 'RETRYING' and not j.cancel_requested then null
                                          else coalesce(?, now()) end,
                       run_at = case when c.state = 'RETRYING'
                                     then coalesce(?, now()) + c.retry_ms * interval '1 millisecond'
                                     else j.run_at end,
                       node_id = null, lease = null, progress = case when c.state = 'SUCCEEDED'
                                                                    then 100 else j.progress end,
                       wall_time_us = c.wall_us, cpu_time_us = c.cpu_us, allocated_bytes = c.alloc,
                       peak_heap_bytes = c.peak
                  from c
                 where j.id = c.id and j.lease = c.lease
                returning j.id, j.lane, j.run_at, j.state, j.attempt, j.started_at, c.error, c.stack, c.outcome,
                          c.wall_us, c.cpu_us, c.alloc, c.peak
            ), failed as (
                insert into taskbound_job_attempt (job_id, attempt, node_id, started_at, finished_at, outcome,
                                                   error, stack_trace, wall_time_us, cpu_time_us, allocated_bytes,
                                                   peak_heap_bytes)
                select id, attempt, ?, started_at, coalesce(?, now()), outcome, error, stack, wall_us, cpu_us, alloc,
                       peak
                  from done where outcome <> 'SUCCEEDED'
            ), announced as (
                select count(pg_notify('%s', lane || '@' || at_ms)) as lanes
                  from (select lane, (extract(epoch from min(run_at)) * 1000)::bigint::text as at_ms
                          from done where state = 'RETRYING' group by lane) r
            )
            select id, state from done, announced
            """.formatted(LANE_CHANNEL);

    private static final String INSERT_LOG = """
            insert into taskbound_job_log (job_id, attempt, logged_at, message)
            select l.job_id, l.attempt, l.logged_at::timestamptz, l.message
              from unnest(?::uuid[], ?::int[], ?::text[], ?::text[])
                   with ordinality as l (job_id, attempt, logged_at, message, line)
             where exists (select 1 from taskbound_job j where j.id = l.job_id)
             order by l.line
            """;

    private static final String UPDATE_PROGRESS = """
            update taskbound_job j set progress = p.progress
              from unnest(?::uuid[], ?::int[]) as p (id, progress)
             where j.id = p.id and j.state = 'RUNNING'
            """;

    // For each lane: whether it has work due now that this node can run, and else how long until
    // its earliest such job within the horizon is due, both through the claim's partial index.
    // "Due" is asked as the claim asks, in the index's order with a limit, so that it stops at the
    // first due row (written as "exists", it was planned as a scan of the whole table: 1 s at 600,000
    // jobs; this way 3 ms); the earliest job within the horizon reads the lane's index entries of
    // that window only. "Due" is by now(), as the claim's; the delay is from clock_timestamp(), so
    // that a timer set from it is never early.
    private static final String DUE_WORK = """
            select l.lane,
                   (select true from taskbound_job j
                     where j.lane = l.lane and j.state in ('QUEUED', 'RETRYING')
                       and j.run_at <= coalesce(?, now()) and j.name = any (?)
                     order by j.priority desc, j.run_at
                     limit 1) is not null as due,
                   (select (extract(epoch from (min(j.run_at) - coalesce(?, clock_timestamp()))) * 1000000)::bigint
                      from taskbound_job j
                     where j.lane = l.lane and j.state in ('QUEUED', 'RETRYING')
                       and j.run_at > coalesce(?, now())
                       and j.run_at <= coalesce(?, now()) + ? * interval '1 millisecond'
                       and j.name = any (?)) as next_in_us
              from unnest(?::text[]) as l (lane)
             -- A paused lane has no work to find: its claims would find nothing.
             where not exists (select 1 from taskbound_paused_lane p where p.lane = l.lane)
            """;

    private final StoreSession session;
    private final java.util.concurrent.atomic.AtomicLong claimsInDoubtSince =
            new java.util.concurrent.atomic.AtomicLong();
    private volatile @Nullable JobChanges changes;
    private final JobInserts inserts;

    public JobStore(StoreSession session) {
        this.session = session;
        this.inserts = new JobInserts(session);
    }

    /**
     * Tells {@code changes} of the jobs that inserts, cancellations and shutdown re-queues change,
     * inside their transactions; null to tell no one.
     */
    public void observe(@Nullable JobChanges changes) {
        this.changes = changes;
    }

    /** Who is told of changed jobs now, if anyone: the other stores that change jobs tell it too. */
    @Nullable
    JobChanges changes() {
        return changes;
    }

    public StoreSession session() {
        return session;
    }

    /**
     * Inserts a job in the caller's transaction (or a short one of its own). With a unique key that
     * a live job already holds, nothing is inserted and that job's id is returned instead.
     */
    public UUID insert(NewJob job) {
        return insertAll(List.of(job)).getFirst().id();
    }

    /**
     * Inserts jobs in one statement, in the caller's transaction (or a short one of its own), and
     * returns them in order: for a job whose unique key a live job already holds, that job's id.
     */
    public List<InsertedJob> insertAll(List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        return session.inCallerTransaction(connection -> {
            Map<UUID, InsertedJob> inserted = insertRows(connection, jobs);
            if (inserted.size() == jobs.size()) {
                return jobs.stream().map(job -> inserted.get(job.id())).toList();
            }
            Map<String, UUID> live = JobInserts.liveJobsWithKeys(connection, jobs);
            List<InsertedJob> result = new ArrayList<>(jobs.size());
            for (NewJob job : jobs) {
                InsertedJob row = inserted.get(job.id());
                if (row == null) {
                    UUID id = job.uniqueKey() == null ? null : live.get(job.uniqueKey());
                    if (id == null) {
                        // The live job finished between our insert and this read (its key is free
                        // again), or a schedule's fire time already made its job.
                        throw new IllegalStateException("Job \"" + job.name() + "\" with unique key \""
                                + job.uniqueKey() + "\" changed while enqueuing; retry");
                    }
                    row = new InsertedJob(id, job.lane(), false, 0);
                }
                result.add(row);
            }
            return result;
        });
    }

    /**
     * Inserts jobs on {@code connection}, skipping those that would break a unique index, and
     * returns the inserted ones by id.
     */
    public Map<UUID, InsertedJob> insertRows(Connection connection, List<NewJob> jobs) throws SQLException {
        return inserts.insertRows(connection, jobs, changes);
    }

    /**
     * A job as {@link #insertAll} left it.
     *
     * @param inserted false when a live job with the same unique key was returned instead
     * @param dueAtNanos when the job is due, on this JVM's {@link System#nanoTime()} scale, measured
     *     against the database's clock; in the past for a job due at once
     */
    public record InsertedJob(UUID id, String lane, boolean inserted, long dueAtNanos) {

        /** Whether the job was inserted to run later rather than at once. */
        public boolean delayed() {
            return inserted && dueAtNanos - System.nanoTime() > 0;
        }
    }

    /**
     * Which of {@code lanes} have jobs this node can run that are due now, and when the others' next
     * one within {@code horizon} is due: one statement for every lane, outside any transaction, so
     * that an idle node looks for work it was not told about at the cost of a single statement.
     * Lanes with neither are absent.
     */
    public List<LaneWork> dueWork(Collection<String> lanes, Collection<String> names, Duration horizon) {
        return session.autocommit(false, connection -> {
            try (PreparedStatement select = connection.prepareStatement(DUE_WORK)) {
                Object[] jobNames = names.toArray();
                session.bindNow(select, 1);
                select.setArray(2, connection.createArrayOf("text", jobNames));
                session.bindNow(select, 3);
                session.bindNow(select, 4);
                session.bindNow(select, 5);
                select.setLong(6, horizon.toMillis());
                select.setArray(7, connection.createArrayOf("text", jobNames));
                select.setArray(8, connection.createArrayOf("text", lanes.toArray()));
                List<LaneWork> work = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    long now = System.nanoTime();
                    while (rows.next()) {
                        boolean due = rows.getBoolean(2);
                        long nextInMicros = rows.getLong(3);
                        if (due || !rows.wasNull()) {
                            work.add(new LaneWork(rows.getString(1), due, due ? now : now + nextInMicros * 1000));
                        }
                    }
                }
                return work;
            }
        });
    }

    /**
     * Work of one lane, as {@link #dueWork} found it.
     *
     * @param due whether a job is due now
     * @param dueAtNanos when the lane's next job is due, on this JVM's {@link System#nanoTime()} scale
     *     measured against the database's clock; now if one is due now
     */
    public record LaneWork(String lane, boolean due, long dueAtNanos) {}

    /**
     * Claims up to {@code limit} due jobs of {@code lane} whose names this node can run, in priority
     * order, skipping rows that other nodes are claiming at the same moment.
     */
    public List<ClaimedJob> claim(String lane, int limit, Collection<String> names, UUID nodeId) {
        try {
            return claimRows(lane, limit, names, nodeId);
        } catch (io.taskbound.StoreUnavailableException e) {
            if (e.mayHaveCommitted()) {
                // The claim may have committed with no one here to run what it took: those jobs would
                // stay RUNNING under this live node for ever. See requeueUnheld.
                claimsInDoubtSince.compareAndSet(0, System.nanoTime() | 1);
            }
            throw e;
        }
    }

    /**
     * When a claim of this node last failed while committing, on the {@link System#nanoTime()} scale;
     * 0 if none is in doubt.
     */
    public long claimsInDoubtSince() {
        return claimsInDoubtSince.get();
    }

    /**
     * Puts back in the queue, without charging an attempt, the jobs the store says this node is
     * running that it does not hold: claims whose commit succeeded although the node was told it
     * failed. Only jobs claimed more than {@code settle} ago count, so that a claim committing right
     * now is not taken for a lost one. Clears the doubt {@code doubtSince} stood for. Their lanes
     * are announced, so that every node looks at once.
     */
    public int requeueUnheld(UUID nodeId, Collection<UUID> held, Duration settle, long doubtSince) {
        int requeued = session.inOwnTransaction(connection -> {
            try (PreparedStatement requeue = connection.prepareStatement("""
                    with requeued as (
                        update taskbound_job
                           set state = 'QUEUED', attempt = attempt - 1, node_id = null, lease = null,
                               started_at = null
                         where node_id = ? and state = 'RUNNING' and not (id = any (?))
                           and started_at < coalesce(?, now()) - ? * interval '1 millisecond'
                        returning lane
                    )
                    select count(*), (select count(pg_notify(?, lane)) from (select distinct lane from requeued) l)
                      from requeued
                    """)) {
                requeue.setObject(1, nodeId);
                requeue.setArray(2, connection.createArrayOf("uuid", held.toArray()));
                session.bindNow(requeue, 3);
                requeue.setLong(4, settle.toMillis());
                requeue.setString(5, LANE_CHANNEL);
                return countOf(requeue);
            }
        });
        claimsInDoubtSince.compareAndSet(doubtSince, 0);
        return requeued;
    }

    private List<ClaimedJob> claimRows(String lane, int limit, Collection<String> names, UUID nodeId) {
        return session.inOwnTransaction(connection -> {
            // A claim need not wait for its WAL to reach disk. If the database crashes before it
            // does, the claim is undone: the job is due again and may run a second time, which
            // at-least-once delivery allows, and the lease fences the first run's completion.
            // Completions, by contrast, stay synchronous: a lost completion would leave a job
            // RUNNING under a live node, where no sweep would ever take it back.
            try (Statement asynchronous = connection.createStatement()) {
                asynchronous.execute("set local synchronous_commit = off");
            }
            try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
                claim.setObject(1, nodeId);
                session.bindNow(claim, 2);
                claim.setString(3, lane);
                session.bindNow(claim, 4);
                claim.setArray(5, connection.createArrayOf("text", names.toArray()));
                claim.setInt(6, limit);
                claim.setObject(7, nodeId);
                List<ClaimedJob> claimed = new ArrayList<>(limit);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        long timeoutMillis = rows.getLong(7);
                        Duration timeout = rows.wasNull() ? null : Duration.ofMillis(timeoutMillis);
                        claimed.add(new ClaimedJob(
                                rows.getObject(1, UUID.class),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getInt(5),
                                rows.getInt(6),
                                timeout,
                                rows.getObject(8, UUID.class),
                                fireTime(rows.getObject(9, java.time.OffsetDateTime.class)),
                                rows.getLong(10),
                                rows.getString(11)));
                    }
                }
                return claimed;
            }
        });
    }

    /**
     * Writes a batch of outcomes, with the log lines and progress gathered since the last batch, in
     * one transaction. Returns the state in which each outcome that took effect left its job, which
     * is CANCELLED rather than the outcome's RETRYING or DEAD when cancellation had been requested;
     * the jobs of the other outcomes had lost their lease and are absent.
     */
    public Map<UUID, JobState> complete(
            List<Completion> completions, List<LogLine> logLines, Map<UUID, Integer> progress, UUID nodeId) {
        return session.inOwnTransaction(connection -> {
            insertLogLines(connection, logLines);
            updateProgress(connection, progress);
            return completions.isEmpty() ? Map.of() : writeCompletions(connection, completions, nodeId);
        });
    }

    private Map<UUID, JobState> writeCompletions(Connection connection, List<Completion> completions, UUID nodeId)
            throws SQLException {
        int n = completions.size();
        Object[] ids = new Object[n], leases = new Object[n];
        Object[] states = new Object[n], results = new Object[n], errors = new Object[n], stacks = new Object[n];
        Object[] outcomes = new Object[n], retry = new Object[n], wall = new Object[n], cpu = new Object[n];
        Object[] alloc = new Object[n], peak = new Object[n];
        for (int k = 0; k < n; k++) {
            Completion c = completions.get(k);
            ids[k] = c.jobId();
            leases[k] = c.lease();
            states[k] = c.state().name();
            results[k] = c.resultJson();
            errors[k] = c.error();
            stacks[k] = c.stackTrace();
            outcomes[k] = c.outcome();
            retry[k] = c.retryDelay().toMillis();
            wall[k] = c.wallTimeMicros();
            cpu[k] = c.cpuTimeMicros();
            alloc[k] = c.allocatedBytes();
            peak[k] = c.peakHeapBytes();
        }
        try (PreparedStatement complete = connection.prepareStatement(COMPLETE)) {
            int i = 0;
            complete.setArray(++i, connection.createArrayOf("uuid", ids));
            complete.setArray(++i, connection.createArrayOf("uuid", leases));
            for (Object[] texts : List.of(states, results, errors, stacks, outcomes)) {
                complete.setArray(++i, connection.createArrayOf("text", texts));
            }
            for (Object[] numbers : List.of(retry, wall, cpu, alloc, peak)) {
                complete.setArray(++i, connection.createArrayOf("bigint", numbers));
            }
            session.bindNow(complete, ++i);
            session.bindNow(complete, ++i);
            complete.setObject(++i, nodeId);
            session.bindNow(complete, ++i);
            Map<UUID, JobState> applied = new java.util.HashMap<>(n * 2);
            try (ResultSet rows = complete.executeQuery()) {
                while (rows.next()) {
                    applied.put(rows.getObject(1, UUID.class), JobState.valueOf(rows.getString(2)));
                }
            }
            return applied;
        }
    }

    private static void insertLogLines(Connection connection, List<LogLine> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        int n = lines.size();
        Object[] ids = new Object[n], attempts = new Object[n], at = new Object[n], messages = new Object[n];
        for (int k = 0; k < n; k++) {
            LogLine line = lines.get(k);
            ids[k] = line.jobId();
            attempts[k] = line.attempt();
            at[k] = line.loggedAt().toString();
            messages[k] = line.message();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_LOG)) {
            insert.setArray(1, connection.createArrayOf("uuid", ids));
            insert.setArray(2, connection.createArrayOf("int4", attempts));
            insert.setArray(3, connection.createArrayOf("text", at));
            insert.setArray(4, connection.createArrayOf("text", messages));
            insert.executeUpdate();
        }
    }

    private static void updateProgress(Connection connection, Map<UUID, Integer> progress) throws SQLException {
        if (progress.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(UPDATE_PROGRESS)) {
            update.setArray(
                    1, connection.createArrayOf("uuid", progress.keySet().toArray()));
            update.setArray(
                    2, connection.createArrayOf("int4", progress.values().toArray()));
            update.executeUpdate();
        }
    }

    /**
     * Cancels a job, in a transaction of its own so that it takes effect at once: a waiting job is
     * cancelled; for a running one the request is stored and announced to the node running it.
     * One statement, so that a job moving between states meanwhile cannot slip through.
     */
    public CancelResult cancel(UUID jobId) {
        return session.inOwnTransaction(connection -> {
            String state;
            try (PreparedStatement cancel = connection.prepareStatement(
                    """
                    update taskbound_job
                       set state = case when state = 'RUNNING' then state else 'CANCELLED' end,
                           finished_at = case when state = 'RUNNING' then finished_at else coalesce(?, now()) end,
                           cancel_requested = (state = 'RUNNING')
                     where id = ? and state in ('QUEUED', 'RETRYING', 'RUNNING')
                    returning state, %s
                    """.formatted(ChangedJob.columns("", "finished_at", "run_at", "null::text")))) {
                session.bindNow(cancel, 1);
                cancel.setObject(2, jobId);
                try (ResultSet row = cancel.executeQuery()) {
                    if (!row.next()) {
                        return CancelResult.NOT_CANCELLABLE;
                    }
                    state = row.getString(1);
                    JobChanges observer = changes;
                    if (observer != null && !state.equals("RUNNING")) {
                        observer.cancelled(List.of(ChangedJob.read(row, 2)));
                    }
                }
            }
            if (state.equals("RUNNING")) {
                notify(connection, CANCEL_CHANNEL, jobId.toString());
                return CancelResult.REQUESTED;
            }
            return CancelResult.CANCELLED;
        });
    }

    /** What {@link #cancel(UUID)} did. */
    public enum CancelResult {
        CANCELLED,
        REQUESTED,
        NOT_CANCELLABLE
    }

    /** The running jobs of a node whose cancellation was requested. */
    public List<UUID> cancellationsRequested(UUID nodeId) {
        return session.inOwnTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select id from taskbound_job where node_id = ? and state = 'RUNNING' and cancel_requested")) {
                select.setObject(1, nodeId);
                List<UUID> ids = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getObject(1, UUID.class));
                    }
                }
                return ids;
            }
        });
    }

    /** State, result and error of the given jobs; missing ids are absent from the map. */
    public Map<UUID, JobSnapshot> snapshots(Collection<UUID> jobIds) {
        return session.inOwnTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "select id, name, state, result, error from taskbound_job where id = any (?)")) {
                select.setArray(1, connection.createArrayOf("uuid", jobIds.toArray()));
                Map<UUID, JobSnapshot> snapshots = new LinkedHashMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        snapshots.put(
                                id,
                                new JobSnapshot(
                                        id,
                                        rows.getString(2),
                                        JobState.valueOf(rows.getString(3)),
                                        rows.getString(4),
                                        rows.getString(5)));
                    }
                }
                return snapshots;
            }
        });
    }

    /**
     * Puts this node's running jobs back in the queue without charging the attempt: used at
     * graceful shutdown for the jobs that did not finish in time. Their lanes are announced, so that
     * other nodes take them at once.
     */
    public int requeueRunning(UUID nodeId) {
        return session.inOwnTransaction(connection -> {
            try (PreparedStatement requeue = connection.prepareStatement(
                    """
                    update taskbound_job
                       set state = case when cancel_requested then 'CANCELLED' else 'QUEUED' end,
                           finished_at = case when cancel_requested then coalesce(?, now()) end,
                           attempt = attempt - 1, node_id = null, lease = null, started_at = null
                     where node_id = ? and state = 'RUNNING'
                    returning %s
                    """.formatted(ChangedJob.columns("", "coalesce(finished_at, run_at)", "run_at", "null::text")))) {
                session.bindNow(requeue, 1);
                requeue.setObject(2, nodeId);
                int requeued = 0;
                List<ChangedJob> cancelled = new ArrayList<>();
                Set<String> lanes = new TreeSet<>();
                try (ResultSet rows = requeue.executeQuery()) {
                    while (rows.next()) {
                        requeued++;
                        ChangedJob job = ChangedJob.read(rows, 1);
                        if (job.state() == JobState.CANCELLED) {
                            cancelled.add(job);
                        } else {
                            lanes.add(job.lane());
                        }
                    }
                }
                // Announced, so that other nodes take them at once.
                for (String lane : lanes) {
                    notify(connection, LANE_CHANNEL, lane);
                }
                JobChanges observer = changes;
                if (observer != null && !cancelled.isEmpty()) {
                    observer.cancelled(cancelled);
                }
                return requeued;
            }
        });
    }

    /** Number of due-or-waiting jobs per lane (queued and retrying). */
    public Map<String, Long> queuedByLane() {
        return session.inOwnTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                            "select lane, count(*) from taskbound_job where state in ('QUEUED', 'RETRYING') group by lane");
                    ResultSet rows = select.executeQuery()) {
                Map<String, Long> counts = new LinkedHashMap<>();
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
                return counts;
            }
        });
    }

    /**
     * Deletes up to {@code limit} jobs of {@code state} that finished more than {@code age} ago,
     * with their attempts and log lines. Returns how many were deleted.
     */
    public int prune(JobState state, Duration age, int limit) {
        // One statement, outside any transaction: an idle node runs it every prune interval.
        return session.autocommit(true, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("""
                    delete from taskbound_job where id in (
                        select id from taskbound_job
                         where state = ? and finished_at < coalesce(?, now()) - ? * interval '1 millisecond'
                         limit ?)
                    """)) {
                delete.setString(1, state.name());
                session.bindNow(delete, 2);
                delete.setLong(3, age.toMillis());
                delete.setInt(4, limit);
                return delete.executeUpdate();
            }
        });
    }

    /** Everything stored about one job. */
    public Optional<JobInfo> info(UUID jobId) {
        return session.readOnly(em -> {
            JobEntity job = em.find(JobEntity.class, jobId);
            if (job == null) {
                return Optional.empty();
            }
            // Not left in the persistence context: with open-in-view, the application's context
            // lives for the whole request, and a job changed meanwhile by Taskbound's own SQL (a
            // cancel, a retry) would be read back from it as it was.
            em.detach(job);
            return Optional.of(toInfo(job));
        });
    }

    /** The attempts of a job that did not succeed, oldest first. */
    public List<JobAttemptEntity> attempts(UUID jobId) {
        return session.readOnly(em -> em.createQuery(
                        "select a from JobAttemptEntity a where a.jobId = :id order by a.attempt, a.id",
                        JobAttemptEntity.class)
                .setParameter("id", jobId)
                .getResultList());
    }

    /** The log lines of a job, oldest first. */
    public List<JobLogEntity> logLines(UUID jobId) {
        return session.readOnly(em -> em.createQuery(
                        "select l from JobLogEntity l where l.jobId = :id order by l.id", JobLogEntity.class)
                .setParameter("id", jobId)
                .getResultList());
    }

    static JobInfo toInfo(JobEntity job) {
        return new JobInfo(
                job.getId(),
                job.getName(),
                job.getLane(),
                job.getBound(),
                job.getState(),
                job.getPriority(),
                job.getAttempt(),
                job.getMaxAttempts(),
                job.getCreatedAt(),
                job.getRunAt(),
                job.getStartedAt(),
                job.getFinishedAt(),
                job.getNodeId() == null ? null : job.getNodeId().toString(),
                job.getArgs(),
                job.getResult(),
                job.getError(),
                job.getProgress(),
                job.getUniqueKey(),
                micros(job.getWallTimeMicros()),
                micros(job.getCpuTimeMicros()),
                job.getAllocatedBytes(),
                job.getPeakHeapBytes(),
                job.getScheduleId(),
                job.getFireTime(),
                job.getTraceContext());
    }

    private static java.time.@Nullable Instant fireTime(java.time.@Nullable OffsetDateTime fireTime) {
        return fireTime == null ? null : fireTime.toInstant();
    }

    private static @Nullable Duration micros(@Nullable Long micros) {
        return micros == null ? null : Duration.ofNanos(micros * 1000);
    }

    private static int countOf(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    static void notify(Connection connection, String channel, String payload) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("select pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
        }
    }
}
