package io.taskbound.test;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@link Jobs} bean in inline mode: the engine's own, except that a request's {@code enqueue},
 * {@code in}, {@code at} and {@link #enqueueAll} drain in the caller's thread once the job is
 * stored, when no transaction is open. Inside a transaction the job stays queued: no one can run it
 * before the caller commits, and Spring offers no point after the commit where the caller's thread
 * is free of that transaction's resources: in an {@code afterCommit} callback they are still bound
 * to the thread, and a job's own {@code @Transactional} work would join them instead of starting a
 * transaction of its own ({@code TransactionSynchronization.afterCommit} says so). The next drain
 * runs it.
 */
final class InlineJobs implements Jobs {

    private final Jobs engineJobs;
    private final TaskboundTester tester;

    InlineJobs(Jobs engine, TaskboundTester tester) {
        this.engineJobs = engine;
        this.tester = tester;
    }

    /** The engine's own {@link Jobs}, whose requests say what they store. */
    Jobs engineJobs() {
        return engineJobs;
    }

    private <T> T ranIfOutsideATransaction(T stored) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            tester.drainAfterEnqueue();
        }
        return stored;
    }

    @Override
    public <R> JobRequest<R> prepare(JobRef job, Object[] arguments) {
        return new Request<>(engineJobs.<R>prepare(job, arguments));
    }

    @Override
    public JobRequest<Object> prepare(String jobName, String argumentsJson) {
        return new Request<>(engineJobs.prepare(jobName, argumentsJson));
    }

    // Commands are enqueued as usual: they run at the next drain, in the draining thread.
    @Override
    public CommandRequest command(List<String> command) {
        return engineJobs.command(command);
    }

    @Override
    public <R> List<JobHandle<R>> enqueueAll(List<? extends JobRequest<R>> requests) {
        List<JobRequest<R>> unwrapped = requests.stream()
                .<JobRequest<R>>map(request -> request instanceof Request<R> ours ? ours.delegate : request)
                .toList();
        return ranIfOutsideATransaction(engineJobs.enqueueAll(unwrapped));
    }

    @Override
    public Optional<JobHandle<Object>> find(UUID jobId) {
        return engineJobs.find(jobId);
    }

    @Override
    public Optional<JobInfo> info(UUID jobId) {
        return engineJobs.info(jobId);
    }

    @Override
    public boolean cancel(UUID jobId) {
        return engineJobs.cancel(jobId);
    }

    @Override
    public RecurringRequest recurring(String id) {
        return engineJobs.recurring(id);
    }

    @Override
    public Schedules schedules() {
        return engineJobs.schedules();
    }

    @Override
    public JobQueries queries() {
        return engineJobs.queries();
    }

    @Override
    public Lanes lanes() {
        return engineJobs.lanes();
    }

    @Override
    public BoundAdvisor advisor() {
        return engineJobs.advisor();
    }

    @Override
    public JobInfo retry(UUID jobId) {
        return engineJobs.retry(jobId);
    }

    @Override
    public void delete(UUID jobId) {
        engineJobs.delete(jobId);
    }

    @Override
    public int cancelAll(JobFilter filter) {
        return engineJobs.cancelAll(filter);
    }

    @Override
    public int retryAll(JobFilter filter) {
        return engineJobs.retryAll(filter);
    }

    @Override
    public int deleteAll(JobFilter filter) {
        return engineJobs.deleteAll(filter);
    }

    /** A request of the engine's that drains once it has stored its job. */
    final class Request<R> implements JobRequest<R> {

        private final JobRequest<R> delegate;

        Request(JobRequest<R> engine) {
            this.delegate = engine;
        }

        /** The engine's own request, which says what it stores. */
        JobRequest<R> engineRequest() {
            return delegate;
        }

        @Override
        public JobRequest<R> priority(int priority) {
            delegate.priority(priority);
            return this;
        }

        @Override
        public JobRequest<R> uniqueKey(String uniqueKey) {
            delegate.uniqueKey(uniqueKey);
            return this;
        }

        @Override
        public JobRequest<R> lane(String lane) {
            delegate.lane(lane);
            return this;
        }

        @Override
        public JobRequest<R> maxAttempts(int maxAttempts) {
            delegate.maxAttempts(maxAttempts);
            return this;
        }

        @Override
        public JobHandle<R> enqueue() {
            return ranIfOutsideATransaction(delegate.enqueue());
        }

        @Override
        public JobHandle<R> in(Duration delay) {
            return ranIfOutsideATransaction(delegate.in(delay));
        }

        @Override
        public JobHandle<R> at(Instant runAt) {
            return ranIfOutsideATransaction(delegate.at(runAt));
        }
    }
}
