package io.taskbound;

import io.taskbound.job.ArgumentCodec;
import io.taskbound.job.ArgumentDecodingException;
import io.taskbound.job.JobDefinition;
import io.taskbound.job.JobRegistry;
import io.taskbound.run.ResultWaiters;
import io.taskbound.run.RunningJobs;
import io.taskbound.store.JobStore;
import io.taskbound.store.NewJob;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The {@link Jobs} API over the store: what {@code jobs.enqueue(...)} does. */
final class DefaultJobs implements Jobs {

    private final JobRegistry registry;
    private final ArgumentCodec codec;
    private final JobStore store;
    private final ResultWaiters waiters;
    private final RunningJobs running;
    private final Consumer<String> wakeLane;

    DefaultJobs(
            JobRegistry registry,
            ArgumentCodec codec,
            JobStore store,
            ResultWaiters waiters,
            RunningJobs running,
            Consumer<String> wakeLane) {
        this.registry = registry;
        this.codec = codec;
        this.store = store;
        this.waiters = waiters;
        this.running = running;
        this.wakeLane = wakeLane;
    }

    @Override
    public <R> JobRequest<R> prepare(JobRef job, Object[] arguments) {
        JobDefinition definition = registry.byReference(job);
        return new DefaultJobRequest<>(this, definition, codec.encodeArguments(definition, arguments));
    }

    @Override
    public JobRequest<Object> prepare(String jobName, String argumentsJson) {
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
        List<UUID> ids = store.insertAll(rows);
        rows.stream().map(NewJob::lane).distinct().forEach(this::wakeAfterCommit);
        List<JobHandle<R>> handles = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            handles.add(handle(ids.get(i), ((DefaultJobRequest<R>) requests.get(i)).resultType()));
        }
        return handles;
    }

    UUID insert(NewJob job) {
        UUID id = store.insert(job);
        if (job.dueNow()) {
            wakeAfterCommit(job.lane());
        }
        return id;
    }

    // The job is visible to this node's dispatcher only once the caller's transaction commits; a
    // wake-up before that would find nothing and the job would wait for the next poll.
    private void wakeAfterCommit(String lane) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wakeLane.accept(lane);
                }
            });
        } else {
            wakeLane.accept(lane);
        }
    }

    @SuppressWarnings("unchecked")
    <R> JobHandle<R> handle(UUID id, Type resultType) {
        return (JobHandle<R>) new DefaultJobHandle<>(id, resultType, store, waiters, codec);
    }

    TaskboundSettings settings() {
        return registry.settings();
    }
}
