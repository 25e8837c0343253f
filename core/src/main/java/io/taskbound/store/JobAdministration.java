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
     * Queues again, due now, the jobs meeting {@code condition} that are retryable, at most {@code
     * limit}; each has at least one attempt left. Wakes the lanes they are in. Returns how many.
     */
    public int retry(String condition, Binding binding, int limit) {
        String sql = """
                with retried as (
                    update taskbound_job
                       set state = 'QUEUED', run_at = coalesce(?, now()), finished_at = null, node_id = null,
                           lease = null, cancel_requested = false, progress = null,
                           max_attempts = greatest(max_attempts, attempt + 1)
                     where id in (select id from taskbound_job where %s and state in %s limit ? for update)
                    returning %s
                ), woken as (
                    select count(pg_notify('%s', lane)) as lanes from (select distinct lane from retried) l
                )
                select retried.* from retried, woken
                """.formatted(
                        condition,
                        FilterSql.literal(RETRYABLE),
                        ChangedJob.columns("", "run_at", "run_at", "null::text"),
                        JobStore.LANE_CHANNEL);
        return session.inOwnTransaction(connection -> {
            List<ChangedJob> retried = new ArrayList<>();
            try (PreparedStatement retry = connection.prepareStatement(sql)) {
                session.bindNow(retry, 1);
                retry.setInt(binding.bind(retry, 2), limit);
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
            return retried.size();
        });
    }

    /** Deletes finished jobs meeting {@code condition}, at most {@code limit}; returns how many. */
    public int delete(String condition, Binding binding, int limit) {
        String sql = "delete from taskbound_job where id in (select id from taskbound_job where " + condition
                + " and state in " + FilterSql.literal(FINISHED) + " limit ?)";
        return session.inOwnTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setInt(binding.bind(delete, 1), limit);
                return delete.executeUpdate();
            }
        });
    }

    /**
     * Cancels unfinished jobs meeting {@code condition}, at most {@code limit}: a queued or
     * retry-waiting job ends {@code CANCELLED} at once; a running one is asked to stop (its node
     * hears it through a notification) and ends cancelled when it does.
     */
    public Cancelled cancel(String condition, Binding binding, int limit) {
        String sql = """
                update taskbound_job
                   set state = case when state = 'RUNNING' then state else 'CANCELLED' end,
                       finished_at = case when state = 'RUNNING' then finished_at else coalesce(?, now()) end,
                       cancel_requested = (state = 'RUNNING')
                 where id in (select id from taskbound_job
                               where %s and (state in ('QUEUED', 'RETRYING') or (state = 'RUNNING' and not cancel_requested))
                               limit ? for update)
                returning %s
                """.formatted(
                        condition, ChangedJob.columns("", "coalesce(finished_at, now())", "run_at", "null::text"));
        return session.inOwnTransaction(connection -> {
            List<ChangedJob> cancelled = new ArrayList<>();
            List<UUID> stopping = new ArrayList<>();
            try (PreparedStatement cancel = connection.prepareStatement(sql)) {
                session.bindNow(cancel, 1);
                cancel.setInt(binding.bind(cancel, 2), limit);
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
            return new Cancelled(cancelled.size(), stopping);
        });
    }

    /** What {@link #cancel} did: jobs cancelled at once, and running jobs asked to stop. */
    public record Cancelled(int cancelled, List<UUID> stopping) {
        public int total() {
            return cancelled + stopping.size();
        }
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
