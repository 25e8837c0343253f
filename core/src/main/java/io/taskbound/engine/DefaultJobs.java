package io.taskbound.engine;

import io.taskbound.BoundAdvisor;
import io.taskbound.CommandRequest;
import io.taskbound.JobFilter;
import io.taskbound.JobHandle;
import io.taskbound.JobInfo;
import io.taskbound.JobQueries;
import io.taskbound.JobRef;
import io.taskbound.JobRequest;
import io.taskbound.Jobs;
import io.taskbound.Lanes;
import io.taskbound.RecurringRequest;
import io.taskbound.Schedules;
import io.taskbound.StoreUnavailableException;
import io.taskbound.command.CommandJob;
import io.taskbound.command.CommandLine;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.ArgumentDecodingException;
import io.taskbound.job.JobDefinition;
import io.taskbound.registry.JobRegistry;
import io.taskbound.run.ResultWaiters;
import io.taskbound.run.RunningJobs;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.store.DatabaseFailures;
import io.taskbound.store.JobStore;
import io.taskbound.store.NewJob;
import io.taskbound.store.ScheduleStore;
import io.taskbound.trace.JobTracing;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The {@link Jobs} API over the store: what {@code jobs.enqueue(...)} does. */
final class DefaultJobs implements Jobs {

    private final BoundAdvisor advisor;
    private final JobTracing tracing;
    private final JobRegistry registry;
    private final ArgumentCodec codec;
    private final JobStore store;
    private final ResultWaiters waiters;
    private final RunningJobs running;
    private final LaneWaker waker;
    private final DefaultSchedules schedules;
    private final JobQueries queries;
    private final JobAdministrator administrator;

    DefaultJobs(
            BoundAdvisor advisor,
            JobRegistry registry,
            ArgumentCodec codec,
            JobStore store,
            ResultWaiters waiters,
            RunningJobs running,
            ScheduleStore scheduleStore,
            JobQueries queries,
            JobAdministrator administrator,
            LaneWaker waker,
            JobTracing tracing) {
        this.advisor = advisor;
        this.tracing = tracing;
        this.registry = registry;
        this.codec = codec;
        this.store = store;
        this.waiters = waiters;
        this.running = running;
        this.waker = waker;
        this.queries = queries;
        this.administrator = administrator;
        this.schedules = new DefaultSchedules(this, scheduleStore, registry, codec);
    }

    /** Wakes this node's dispatchers when jobs they may claim are, or become, due. */
    interface LaneWaker {
        /** {@code dueAtNanos} on the {@link System#nanoTime()} scale; in the past for "now". */
        void wakeAt(String lane, long dueAtNanos);
    }

    @Override
    public <R> JobRequest<R> prepare(JobRef job, Object[] arguments) {
        JobDefinition definition = registry.byReference(job);
        return new DefaultJobRequest<>(this, definition, codec.encodeArguments(definition, arguments));
    }

    @Override
    public JobRequest<Object> prepare(String jobName, String argumentsJson) {
        if (registry.builtIn(jobName)) {
            // The by-name path is how tools start jobs from what a person typed; a command from there
            // would run anything on every node.
            throw new IllegalArgumentException("Job \"" + jobName + "\" is Taskbound's own and cannot be started"
                    + " by name"
                    + (CommandJob.NAME.equals(jobName)
                            ? ": enqueue a command from the application's code with jobs.command(...)"
                            : ""));
        }
        JobDefinition definition = registry.byName(jobName);
        try {
            // Decoding now turns bad input into an error for the caller instead of a dead job later.
            codec.decodeArguments(definition, argumentsJson);
        } catch (ArgumentDecodingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new DefaultJobRequest<>(this, definition, argumentsJson);
    }

    @Override
    public CommandRequest command(List<String> command) {
        CommandLine line = CommandLine.of(command);
        JobDefinition definition = registry.byName(CommandJob.NAME);
        return new DefaultCommandRequest(
                new DefaultJobRequest<>(this, definition, encodeCommand(definition, line)),
                line,
                changed -> encodeCommand(definition, changed));
    }

    private String encodeCommand(JobDefinition definition, CommandLine line) {
        return codec.encodeArguments(definition, new Object[] {line});
    }

    @Override
    public Optional<JobHandle<Object>> find(UUID jobId) {
        return Optional.ofNullable(store.snapshots(java.util.List.of(jobId)).get(jobId))
                .map(snapshot -> {
                    JobDefinition definition = snapshot.name() == null ? null : registry.find(snapshot.name());
                    Type type = definition == null ? Object.class : definition.resultType();
                    return handle(jobId, type);
                });
    }

    @Override
    public Optional<JobInfo> info(UUID jobId) {
        return store.info(jobId);
    }

    @Override
    public boolean cancel(UUID jobId) {
        JobStore.CancelResult result = store.cancel(jobId);
        if (result == JobStore.CancelResult.REQUESTED) {
            running.requestCancellation(jobId);
        }
        return result != JobStore.CancelResult.NOT_CANCELLABLE;
    }

    @Override
    public <R> List<JobHandle<R>> enqueueAll(List<? extends JobRequest<R>> requests) {
        List<NewJob> rows = new ArrayList<>(requests.size());
        for (JobRequest<R> request : requests) {
            if (!(request instanceof DefaultJobRequest<R> ours) || !ours.madeBy(this)) {
                throw new IllegalArgumentException(
                        "enqueueAll takes requests made by this Jobs' schedule(...) or prepare(...), got " + request);
            }
            rows.add(ours.toNewJob(null, Duration.ZERO));
        }
        List<JobStore.InsertedJob> inserted = insertAll(rows);
        List<JobHandle<R>> handles = new ArrayList<>(inserted.size());
        for (int i = 0; i < inserted.size(); i++) {
            handles.add(handle(inserted.get(i).id(), ((DefaultJobRequest<R>) requests.get(i)).resultType()));
        }
        return handles;
    }

    @Override
    public RecurringRequest recurring(String id) {
        return schedules.create(id);
    }

    @Override
    public Schedules schedules() {
        return schedules;
    }

    @Override
    public JobQueries queries() {
        return queries;
    }

    @Override
    public Lanes lanes() {
        return administrator;
    }

    @Override
    public BoundAdvisor advisor() {
        return advisor;
    }

    @Override
    public JobInfo retry(UUID jobId) {
        return administrator.retry(jobId);
    }

    @Override
    public void delete(UUID jobId) {
        administrator.delete(jobId);
    }

    @Override
    public int cancelAll(JobFilter filter) {
        return administrator.cancelAll(filter);
    }

    @Override
    public int retryAll(JobFilter filter) {
        return administrator.retryAll(filter);
    }

    @Override
    public int deleteAll(JobFilter filter) {
        return administrator.deleteAll(filter);
    }

    UUID insert(NewJob job) {
        return insertAll(List.of(job)).getFirst().id();
    }

    private List<JobStore.InsertedJob> insertAll(List<NewJob> rows) {
        List<JobStore.InsertedJob> inserted;
        try {
            inserted = tracing.enqueue(rows, store::insertAll);
        } catch (StoreUnavailableException e) {
            throw enqueueFailed(rows, e);
        }
        wakeAfterCommit(inserted);
        return inserted;
    }

    // Says which jobs, and whether they may be stored: the store's own words name neither.
    private static StoreUnavailableException enqueueFailed(List<NewJob> rows, StoreUnavailableException e) {
        NewJob first = rows.getFirst();
        String jobs = rows.size() == 1
                ? "job \"" + first.name() + "\" (id " + first.id() + ")"
                : rows.size() + " jobs (the first \"" + first.name() + "\", id " + first.id() + ")";
        String reason = DatabaseFailures.reason(e.getCause() == null ? e : e.getCause());
        String message = e.mayHaveCommitted()
                ? "Enqueue of " + jobs + " may or may not have been stored: the connection to the database broke"
                        + " while committing (" + reason + "). Look the job up with jobs.info(id) once the database"
                        + " is back (the exception's jobIds() lists every id), and enqueue again, with a unique key,"
                        + " only what is not stored"
                : "Enqueue of " + jobs + " did not happen: the database could not be reached (" + reason + ")."
                        + " Nothing was stored; enqueue again once the database is back";
        return new StoreUnavailableException(
                message, e.mayHaveCommitted(), rows.stream().map(NewJob::id).toList(), e);
    }

    // A job is visible to this node's dispatchers only once the caller's transaction commits; a
    // wake-up before that would find nothing and the job would wait for the next poll. A delayed
    // job sets a timer for when it is due, so it starts on time rather than at the next poll.
    void wakeAfterCommit(List<JobStore.InsertedJob> inserted) {
        Set<String> dueNow = new HashSet<>();
        List<JobStore.InsertedJob> delayed = new ArrayList<>();
        for (JobStore.InsertedJob job : inserted) {
            if (job.delayed()) {
                delayed.add(job);
            } else if (job.inserted()) {
                dueNow.add(job.lane());
            }
        }
        if (dueNow.isEmpty() && delayed.isEmpty()) {
            return;
        }
        Runnable wake = () -> {
            dueNow.forEach(lane -> waker.wakeAt(lane, System.nanoTime()));
            delayed.forEach(job -> waker.wakeAt(job.lane(), job.dueAtNanos()));
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake.run();
                }
            });
        } else {
            wake.run();
        }
    }

    @SuppressWarnings("unchecked")
    <R> JobHandle<R> handle(UUID id, Type resultType) {
        return (JobHandle<R>) new DefaultJobHandle<>(id, resultType, store, waiters, codec);
    }

    /** What observes this node's enqueues. */
    JobTracing tracing() {
        return tracing;
    }

    TaskboundSettings settings() {
        return registry.settings();
    }
}
