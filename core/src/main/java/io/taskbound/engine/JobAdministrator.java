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
        if (store.retry("id = ?", Binding.id(jobId), 1) == 0) {
            throw refused(jobId, "retried", JobAdministration.RETRYABLE, "wait until it has finished, or cancel it");
        }
        return stored(jobId);
    }

    void delete(UUID jobId) {
        Objects.requireNonNull(jobId, "jobId");
        if (store.delete("id = ?", Binding.id(jobId), 1) == 0) {
            throw refused(jobId, "deleted", JobAdministration.FINISHED, "cancel it first");
        }
    }

    int cancelAll(JobFilter filter) {
        return inBatches(filter, (condition, binding) -> {
            JobAdministration.Cancelled batch = store.cancel(condition, binding, JobAdministration.BATCH);
            batch.stopping().forEach(running::requestCancellation);
            return batch.total();
        });
    }

    int retryAll(JobFilter filter) {
        return inBatches(filter, (condition, binding) -> store.retry(condition, binding, JobAdministration.BATCH));
    }

    int deleteAll(JobFilter filter) {
        return inBatches(filter, (condition, binding) -> store.delete(condition, binding, JobAdministration.BATCH));
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

    private interface Batch {
        int run(String condition, Binding binding);
    }

    // Batch after batch until one comes back short: each changes the jobs it takes out of the
    // states the action takes (or, for a running job asked to stop, out of what it picks again).
    private static int inBatches(JobFilter filter, Batch batch) {
        Objects.requireNonNull(filter, "filter");
        FilterSql sql = new FilterSql(filter);
        int total = 0;
        int done;
        do {
            done = batch.run(sql.where(), sql::bind);
            total += done;
        } while (done == JobAdministration.BATCH);
        return total;
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

    private RuntimeException refused(UUID jobId, String action, Set<JobState> allowed, String advice) {
        JobInfo job = stored(jobId);
        String states = allowed.stream().map(JobState::name).sorted().collect(Collectors.joining(", "));
        return new InvalidJobStateException("Job " + job.name() + " (" + jobId + ") is " + job.state()
                + " and cannot be " + action + ": only " + states + " jobs can; " + advice);
    }

    private static UnknownJobException unknown(UUID jobId) {
        return new UnknownJobException(
                "No job has id " + jobId + ": it was never stored, or it was deleted or pruned after its retention");
    }
}
