package io.taskbound.store;

import io.taskbound.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Management actions on stored jobs: retry, delete and cancel, one job or every job a filter takes
 * in batches of {@link #BATCH}, each batch a transaction of its own; and pausing lanes.
 */
public final class JobAdministration {

    /** Rows changed per transaction by an action on a filter. */
    public static final int BATCH = 1_000;

    /** The states {@link #retry} takes. */
    public static final Set<JobState> RETRYABLE =
            EnumSet.of(JobState.RETRYING, JobState.SUCCEEDED, JobState.DEAD, JobState.CANCELLED);

    /** The states {@link #delete} takes. */
    public static final Set<JobState> FINISHED = EnumSet.of(JobState.SUCCEEDED, JobState.DEAD, JobState.CANCELLED);

    private static final String KEY_FREE = "(unique_key is null or not exists (select 1 from taskbound_job live"
            + " where live.unique_key = taskbound_job.unique_key and live.id <> taskbound_job.id"
            + " and live.state in " + JobStore.LIVE_STATES + "))";

    private final StoreSession session;
    private final JobStore jobs;

    public JobAdministration(StoreSession session, JobStore jobs) {
        this.session = session;
        this.jobs = jobs;
    }

    /** Binds the values of a condition, from the first parameter of the statement on. */
    @FunctionalInterface
    public interface Binding {
        int bind(PreparedStatement statement, int index) throws SQLException;

        static Binding none() {
            return (statement, index) -> index;
        }

        static Binding id(UUID jobId) {
            return (statement, index) -> {
                statement.setObject(index, jobId);
                return index + 1;
            };
        }
    }

    /**
     * Queues again, due now, the retryable jobs of one {@link Pass}; each has at least one attempt
     * left. Wakes the lanes they are in.
     */
    public Pass retry(String condition, Binding binding, UUID after, int limit) {
        // A job whose unique key a live job holds now cannot be queued again: the key's index would
        // refuse it, and the batch with it.
        String eligible = "state in " + FilterSql.literal(RETRYABLE) + " and " + KEY_FREE;
        String sql = """
                with retried as (
                    update taskbound_job
                       set state = 'QUEUED', run_at = coalesce(?, now()), finished_at = null, node_id = null,
                           lease = null, cancel_requested = false, progress = null,
                           max_attempts = greatest(max_attempts, attempt + 1)
                     where id in (select id from taskbound_job where id = any (?) and %s order by id for update)
                    returning %s
                ), woken as (
                    select count(pg_notify('%s', lane)) as lanes from (select distinct lane from retried) l
                )
                select retried.* from retried, woken
                """.formatted(
                        eligible, ChangedJob.columns("", "run_at", "run_at", "null::text"), JobStore.LANE_CHANNEL);
        return session.inOwnTransaction(connection -> {
            List<UUID> picked = pick(connection, eligible, condition, binding, after, limit);
            List<ChangedJob> retried = new ArrayList<>();
            try (PreparedStatement retry = connection.prepareStatement(sql)) {
                session.bindNow(retry, 1);
                retry.setArray(2, ids(connection, picked));
                try (ResultSet rows = retry.executeQuery()) {
                    while (rows.next()) {
                        retried.add(ChangedJob.read(rows, 1));
                    }
                }
            }
            JobChanges observer = jobs.changes();
            if (observer != null && !retried.isEmpty()) {
                // Queued again: told as a job enqueued anew, with the attempts it has had so far.
                observer.inserted(retried);
            }
            return new Pass(picked, retried.size(), List.of());
        });
    }

    /** Deletes the finished jobs of one {@link Pass}. */
    public Pass delete(String condition, Binding binding, UUID after, int limit) {
        String eligible = "state in " + FilterSql.literal(FINISHED);
        String sql = "delete from taskbound_job where id in (select id from taskbound_job where id = any (?) and "
                + eligible + " order by id for update)";
        return session.inOwnTransaction(connection -> {
            List<UUID> picked = pick(connection, eligible, condition, binding, after, limit);
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setArray(1, ids(connection, picked));
                return new Pass(picked, delete.executeUpdate(), List.of());
            }
        });
    }

    /**
     * Cancels the unfinished jobs of one {@link Pass}: a queued or retry-waiting job ends {@code
     * CANCELLED} at once; a running one is asked to stop (its node hears it through a
     * notification) and ends cancelled when it does.
     */
    public Pass cancel(String condition, Binding binding, UUID after, int limit) {
        String eligible = "(state in ('QUEUED', 'RETRYING') or (state = 'RUNNING' and not cancel_requested))";
        String sql =
                """
                update taskbound_job
                   set state = case when state = 'RUNNING' then state else 'CANCELLED' end,
                       finished_at = case when state = 'RUNNING' then finished_at else coalesce(?, now()) end,
                       cancel_requested = (state = 'RUNNING')
                 where id in (select id from taskbound_job where id = any (?) and %s order by id for update)
                returning %s
                """.formatted(eligible, ChangedJob.columns("", "coalesce(finished_at, now())", "run_at", "null::text"));
        return session.inOwnTransaction(connection -> {
            List<UUID> picked = pick(connection, eligible, condition, binding, after, limit);
            List<ChangedJob> cancelled = new ArrayList<>();
            List<UUID> stopping = new ArrayList<>();
            try (PreparedStatement cancel = connection.prepareStatement(sql)) {
                session.bindNow(cancel, 1);
                cancel.setArray(2, ids(connection, picked));
                try (ResultSet rows = cancel.executeQuery()) {
                    while (rows.next()) {
                        ChangedJob job = ChangedJob.read(rows, 1);
                        if (job.state() == JobState.RUNNING) {
                            stopping.add(job.id());
                        } else {
                            cancelled.add(job);
                        }
                    }
                }
            }
            notifyStopping(connection, stopping);
            JobChanges observer = jobs.changes();
            if (observer != null && !cancelled.isEmpty()) {
                observer.cancelled(cancelled);
            }
            return new Pass(picked, cancelled.size() + stopping.size(), stopping);
        });
    }

    /**
     * One pass of an action over jobs in id order: the ids it picked (at most its limit; fewer means
     * none is left after them), how many of those it changed (a picked job whose state changed
     * meanwhile is left alone), and the running jobs a cancellation asked to stop.
     */
    public record Pass(List<UUID> picked, int changed, List<UUID> stopping) {
        /** Where the next pass starts: after the last id picked. */
        public UUID last() {
            return picked.getLast();
        }
    }

    // The jobs of one pass, chosen without locks in id order after the last pass's; the action then
    // locks them in that order and checks each is still eligible. Paging by id, no job is taken
    // twice by one action (a job retried and failed again is not retried again), and a job that
    // changed meanwhile neither ends the action early nor makes it skip others.
    private static List<UUID> pick(
            Connection connection, String eligible, String condition, Binding binding, UUID after, int limit)
            throws SQLException {
        String sql = "select id from taskbound_job where " + condition + " and " + eligible
                + " and id > ? order by id limit ?";
        List<UUID> picked = new ArrayList<>();
        try (PreparedStatement pick = connection.prepareStatement(sql)) {
            int next = binding.bind(pick, 1);
            pick.setObject(next, after);
            pick.setInt(next + 1, limit);
            try (ResultSet rows = pick.executeQuery()) {
                while (rows.next()) {
                    picked.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return picked;
    }

    private static java.sql.Array ids(Connection connection, List<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }

    private static void notifyStopping(Connection connection, List<UUID> stopping) throws SQLException {
        if (stopping.isEmpty()) {
            return;
        }
        try (PreparedStatement notify =
                connection.prepareStatement("select count(pg_notify(?, id)) from unnest(?::text[]) id")) {
            notify.setString(1, JobStore.CANCEL_CHANNEL);
            notify.setArray(
                    2,
                    connection.createArrayOf(
                            "text", stopping.stream().map(UUID::toString).toArray()));
            notify.execute();
        }
    }

    /** The live job holding {@code uniqueKey} now, other than {@code jobId}, if any. */
    public Optional<UUID> holderOfKey(String uniqueKey, UUID jobId) {
        return session.readOnlyJdbc(connection -> {
            try (PreparedStatement holder = connection.prepareStatement(
                    "select id from taskbound_job where unique_key = ? and id <> ? and state in "
                            + JobStore.LIVE_STATES)) {
                holder.setString(1, uniqueKey);
                holder.setObject(2, jobId);
                try (ResultSet row = holder.executeQuery()) {
                    return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
                }
            }
        });
    }

    /** Pauses {@code lane} for every node. */
    public void pause(String lane) {
        session.inCallerTransaction(connection -> {
            try (PreparedStatement pause = connection.prepareStatement(
                    "insert into taskbound_paused_lane (lane, paused_at) values (?, coalesce(?, now()))"
                            + " on conflict (lane) do nothing")) {
                pause.setString(1, lane);
                session.bindNow(pause, 2);
                return pause.executeUpdate();
            }
        });
    }

    /** Resumes {@code lane} and wakes every node's dispatcher of it. */
    public void resume(String lane) {
        session.inCallerTransaction(connection -> {
            try (PreparedStatement resume =
                    connection.prepareStatement("delete from taskbound_paused_lane where lane = ?")) {
                resume.setString(1, lane);
                resume.executeUpdate();
            }
            JobStore.notify(connection, JobStore.LANE_CHANNEL, lane);
            return null;
        });
    }

    /** The lanes paused now. */
    public Set<String> paused() {
        return session.readOnlyJdbc(connection -> {
            Set<String> lanes = new LinkedHashSet<>();
            try (PreparedStatement paused =
                            connection.prepareStatement("select lane from taskbound_paused_lane order by lane");
                    ResultSet rows = paused.executeQuery()) {
                while (rows.next()) {
                    lanes.add(rows.getString(1));
                }
            }
            return lanes;
        });
    }
}
