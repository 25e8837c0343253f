package io.taskbound.engine;

import io.taskbound.InvalidJobStateException;
import io.taskbound.JobFilter;
import io.taskbound.JobInfo;
import io.taskbound.JobState;
import io.taskbound.Lanes;
import io.taskbound.UnknownJobException;
import io.taskbound.run.RunningJobs;
import io.taskbound.store.FilterSql;
import io.taskbound.store.JobAdministration;
import io.taskbound.store.JobAdministration.Binding;
import io.taskbound.store.JobStore;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The management actions of {@link io.taskbound.Jobs}: retry, delete, cancel by filter, lanes. */
final class JobAdministrator implements Lanes {

    private final JobAdministration store;
    private final JobStore jobs;
    private final RunningJobs running;
    private final Set<String> lanes;

    JobAdministrator(JobAdministration store, JobStore jobs, RunningJobs running, Set<String> lanes) {
        this.store = store;
        this.jobs = jobs;
        this.running = running;
        this.lanes = Set.copyOf(lanes);
    }

    JobInfo retry(UUID jobId) {
        Objects.requireNonNull(jobId, "jobId");
        if (store.retry("id = ?", Binding.id(jobId), FIRST, 1).changed() == 0) {
            JobInfo job = stored(jobId);
            Optional<UUID> holder = job.uniqueKey() == null || !JobAdministration.RETRYABLE.contains(job.state())
                    ? Optional.empty()
                    : store.holderOfKey(job.uniqueKey(), jobId);
            if (holder.isPresent()) {
                throw new InvalidJobStateException("Job " + job.name() + " (" + jobId + ") cannot be retried: its"
                        + " unique key \"" + job.uniqueKey() + "\" is held by job " + holder.get()
                        + ", which is queued or running; retry this one once that one has finished");
            }
            throw refused(job, "retried", JobAdministration.RETRYABLE, "wait until it has finished, or cancel it");
        }
        return stored(jobId);
    }

    void delete(UUID jobId) {
        Objects.requireNonNull(jobId, "jobId");
        if (store.delete("id = ?", Binding.id(jobId), FIRST, 1).changed() == 0) {
            throw refused(stored(jobId), "deleted", JobAdministration.FINISHED, "cancel it first");
        }
    }

    int cancelAll(JobFilter filter) {
        return inPasses(filter, (condition, binding, after) -> {
            JobAdministration.Pass pass = store.cancel(condition, binding, after, JobAdministration.BATCH);
            pass.stopping().forEach(running::requestCancellation);
            return pass;
        });
    }

    int retryAll(JobFilter filter) {
        return inPasses(
                filter, (condition, binding, after) -> store.retry(condition, binding, after, JobAdministration.BATCH));
    }

    int deleteAll(JobFilter filter) {
        return inPasses(
                filter,
                (condition, binding, after) -> store.delete(condition, binding, after, JobAdministration.BATCH));
    }

    @Override
    public void pause(String lane) {
        store.pause(known(lane));
    }

    @Override
    public void resume(String lane) {
        store.resume(known(lane));
    }

    @Override
    public Set<String> paused() {
        return store.paused();
    }

    /** Below every job id: where an action's first pass starts. */
    private static final UUID FIRST = new UUID(0, 0);

    private interface Action {
        JobAdministration.Pass run(String condition, Binding binding, UUID after);
    }

    // Pass after pass over the jobs the filter takes, in id order, each its own transaction, until
    // a pass finds fewer than a batch left after the last one.
    private static int inPasses(JobFilter filter, Action action) {
        Objects.requireNonNull(filter, "filter");
        FilterSql sql = new FilterSql(filter);
        int total = 0;
        UUID after = FIRST;
        while (true) {
            JobAdministration.Pass pass = action.run(sql.where(), sql::bind, after);
            total += pass.changed();
            if (pass.picked().size() < JobAdministration.BATCH) {
                return total;
            }
            after = pass.last();
        }
    }

    private String known(String lane) {
        Objects.requireNonNull(lane, "lane");
        if (!lanes.contains(lane)) {
            throw new IllegalArgumentException("Unknown lane \"" + lane + "\": this node's lanes are "
                    + lanes.stream().sorted().collect(Collectors.joining(", ")));
        }
        return lane;
    }

    private JobInfo stored(UUID jobId) {
        return jobs.info(jobId).orElseThrow(() -> unknown(jobId));
    }

    private static RuntimeException refused(JobInfo job, String action, Set<JobState> allowed, String advice) {
        String states = allowed.stream().map(JobState::name).sorted().collect(Collectors.joining(", "));
        return new InvalidJobStateException("Job " + job.name() + " (" + job.id() + ") is " + job.state()
                + " and cannot be " + action + ": only " + states + " jobs can; " + advice);
    }

    private static UnknownJobException unknown(UUID jobId) {
        return new UnknownJobException(
                "No job has id " + jobId + ": it was never stored, or it was deleted or pruned after its retention");
    }
}
