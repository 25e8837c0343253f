package io.taskbound.engine;

import io.taskbound.JobFailedException;
import io.taskbound.JobHandle;
import io.taskbound.JobState;
import io.taskbound.JobTimeoutException;
import io.taskbound.TaskboundException;
import io.taskbound.job.ArgumentCodec;
import io.taskbound.run.ResultWaiters;
import io.taskbound.store.JobSnapshot;
import io.taskbound.store.JobStore;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

final class DefaultJobHandle<R> implements JobHandle<R> {

    private final UUID id;
    private final Type resultType;
    private final JobStore store;
    private final ResultWaiters waiters;
    private final ArgumentCodec codec;

    DefaultJobHandle(UUID id, Type resultType, JobStore store, ResultWaiters waiters, ArgumentCodec codec) {
        this.id = id;
        this.resultType = resultType;
        this.store = store;
        this.waiters = waiters;
        this.codec = codec;
    }

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public JobState state() {
        JobSnapshot snapshot = store.snapshots(List.of(id)).get(id);
        if (snapshot == null) {
            throw new TaskboundException("Job " + id + " is not stored: it was never committed, or it was pruned");
        }
        return snapshot.state();
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<R> future() {
        return waiters.finalState(id).thenApply(snapshot -> {
            if (snapshot.state() == JobState.SUCCEEDED) {
                return (R) codec.decodeResult(snapshot.resultJson(), resultType);
            }
            throw new CompletionException(new JobFailedException(
                    id,
                    snapshot.state(),
                    "Job " + id + " ended " + snapshot.state()
                            + (snapshot.error() == null ? "" : ": " + snapshot.error())));
        });
    }

    @Override
    public R await(Duration timeout) {
        try {
            return future().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            waiters.release(id);
            throw new JobTimeoutException("Job " + id + " did not finish within " + timeout
                    + (TransactionSynchronizationManager.isActualTransactionActive()
                            ? " (awaited inside a transaction: a job enqueued in it cannot run before it commits)"
                            : ""));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TaskboundException failure) {
                throw failure;
            }
            throw new TaskboundException("Waiting for job " + id + " failed", e.getCause());
        } catch (InterruptedException e) {
            waiters.release(id);
            Thread.currentThread().interrupt();
            throw new TaskboundException("Interrupted while waiting for job " + id, e);
        }
    }

    @Override
    public String toString() {
        return "JobHandle[" + id + "]";
    }
}
