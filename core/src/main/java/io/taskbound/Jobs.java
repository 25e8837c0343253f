package io.taskbound;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The programmatic API: enqueue, schedule, find and cancel jobs. Inject it wherever jobs are
 * started; inside a {@code @Transactional} method an enqueue commits or rolls back with the
 * caller's transaction.
 *
 * <pre>{@code
 * JobHandle<Integer> sum = jobs.enqueue(Calculator::add, 1, 2);
 * jobs.schedule(Reports::render, 42L).priority(5).in(Duration.ofMinutes(10));
 * }</pre>
 */
public interface Jobs {

    /**
     * Starts a request for the job that {@code job} names, with its arguments. The typed overloads
     * of {@link #enqueue} and {@link #schedule} all come here.
     *
     * @throws UnknownJobException if the reference does not name a registered {@code @Job} method
     */
    <R> JobRequest<R> prepare(JobRef job, Object[] arguments);

    /**
     * Starts a request for the job registered as {@code jobName}, its arguments given as a JSON
     * array such as {@code "[1, 2]"}. The result is decoded to the job method's return type.
     *
     * @throws UnknownJobException if no job of that name is registered on this node
     * @throws IllegalArgumentException if the arguments do not fit the job's parameters
     */
    JobRequest<Object> prepare(String jobName, String argumentsJson);

    /** Enqueues the job registered as {@code jobName} to run now; see {@link #prepare(String, String)}. */
    default JobHandle<Object> enqueue(String jobName, String argumentsJson) {
        return prepare(jobName, argumentsJson).enqueue();
    }

    /**
     * Starts a request to run an external command as a job: {@code command} is the program and its
     * arguments, each passed to the program as it is, with no shell in between (write {@code "sh",
     * "-c", "..."} for one). The command's stdout and stderr lines go to the job's log as they come,
     * those of stderr marked {@code "stderr: "}; exit code 0 succeeds with a {@link CommandResult},
     * any other code fails the attempt, with the code and the last lines of output, and is retried
     * as the job's attempts allow. A program that cannot be started fails the job at once. The job
     * runs on the lane of {@link Bound#IO} unless {@link CommandRequest#lane} says otherwise.
     *
     * <p>The command is stored in clear text with the job; see {@link CommandRequest} for what to
     * keep out of it.
     *
     * @throws IllegalArgumentException if the command is empty, or holds a null element, a blank
     *     program or a NUL character
     */
    CommandRequest command(List<String> command);

    /** {@link #command(List)} with the program and its arguments given in a row. */
    default CommandRequest command(String... command) {
        if (command == null) {
            throw new IllegalArgumentException(
                    "The command is null: pass the program and its arguments, such as jobs.command(\"ls\", \"-l\")");
        }
        return command(Arrays.asList(command));
    }

    /**
     * Enqueues many jobs to run now, in one statement: for bulk work, far cheaper than one enqueue
     * per job. Build the requests with {@link #schedule}; their handles come back in order.
     *
     * <pre>{@code
     * jobs.enqueueAll(ids.stream().map(id -> jobs.schedule(Reports::render, id)).toList());
     * }</pre>
     */
    <R> List<JobHandle<R>> enqueueAll(List<? extends JobRequest<R>> requests);

    /** A handle on a stored job, or empty if no job has that id. */
    Optional<JobHandle<Object>> find(UUID jobId);

    /** What is stored about a job, or empty if no job has that id. */
    Optional<JobInfo> info(UUID jobId);

    /**
     * Cancels a job: a queued job is cancelled at once; a running job is asked to stop, on
     * whichever node runs it, and ends cancelled. Takes effect at once, in a transaction of its own
     * even when the caller has one open. Returns whether the job was still cancellable.
     */
    boolean cancel(UUID jobId);

    /**
     * Starts a recurring schedule with this id, created through the API (a {@code @Recurring}
     * method declares one in code). Nothing is stored until {@link RecurringRequest#call}.
     *
     * <pre>{@code
     * jobs.recurring("cleanup").every(Duration.ofMinutes(5)).call(Cleanup::purge);
     * }</pre>
     */
    RecurringRequest recurring(String id);

    /** The stored schedules: list, pause, resume, trigger, change, delete. */
    Schedules schedules();

    /** The read side: job listings with paging and filters, details with attempts, logs, nodes, counts. */
    JobQueries queries();

    /** The lanes of the cluster: pause and resume. */
    Lanes lanes();

    /**
     * The bound advisor: what this node's runs of each job look like, and which declare a bound
     * that does not fit them.
     */
    BoundAdvisor advisor();

    /**
     * Runs a job again now, as a new attempt; its earlier attempts stay in its history. Takes a
     * {@code DEAD}, {@code CANCELLED} or {@code SUCCEEDED} job, or one waiting to be retried
     * ({@code RETRYING}), which then runs at once instead of after its backoff. A job that had used
     * all its attempts gets this one more.
     *
     * @throws InvalidJobStateException if the job is queued or running, naming its state
     * @throws UnknownJobException if no job has that id
     */
    JobInfo retry(UUID jobId);

    /**
     * Deletes a finished job ({@code SUCCEEDED}, {@code DEAD} or {@code CANCELLED}) with its
     * attempts and log.
     *
     * @throws InvalidJobStateException if the job is not finished: cancel it first
     * @throws UnknownJobException if no job has that id
     */
    void delete(UUID jobId);

    /**
     * Cancels every unfinished job {@code filter} takes, as {@link #cancel(UUID)} does, in batches
     * of a thousand, each its own transaction. Returns how many were cancelled or asked to stop.
     */
    int cancelAll(JobFilter filter);

    /** Retries every job {@code filter} takes that {@link #retry(UUID)} would, in batches; returns how many. */
    int retryAll(JobFilter filter);

    /** Deletes every finished job {@code filter} takes, in batches; returns how many. */
    int deleteAll(JobFilter filter);

    // Typed overloads: enqueue now.

    default <T, R> JobHandle<R> enqueue(JobRef.Fn0<T, R> job) {
        return this.<R>prepare(job, new Object[] {}).enqueue();
    }

    default <T, A, R> JobHandle<R> enqueue(JobRef.Fn1<T, A, R> job, A a) {
        return this.<R>prepare(job, new Object[] {a}).enqueue();
    }

    default <T, A, B, R> JobHandle<R> enqueue(JobRef.Fn2<T, A, B, R> job, A a, B b) {
        return this.<R>prepare(job, new Object[] {a, b}).enqueue();
    }

    default <T, A, B, C, R> JobHandle<R> enqueue(JobRef.Fn3<T, A, B, C, R> job, A a, B b, C c) {
        return this.<R>prepare(job, new Object[] {a, b, c}).enqueue();
    }

    default <T, A, B, C, D, R> JobHandle<R> enqueue(JobRef.Fn4<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return this.<R>prepare(job, new Object[] {a, b, c, d}).enqueue();
    }

    default <T> JobHandle<Void> enqueue(JobRef.Proc0<T> job) {
        return this.<Void>prepare(job, new Object[] {}).enqueue();
    }

    default <T, A> JobHandle<Void> enqueue(JobRef.Proc1<T, A> job, A a) {
        return this.<Void>prepare(job, new Object[] {a}).enqueue();
    }

    default <T, A, B> JobHandle<Void> enqueue(JobRef.Proc2<T, A, B> job, A a, B b) {
        return this.<Void>prepare(job, new Object[] {a, b}).enqueue();
    }

    default <T, A, B, C> JobHandle<Void> enqueue(JobRef.Proc3<T, A, B, C> job, A a, B b, C c) {
        return this.<Void>prepare(job, new Object[] {a, b, c}).enqueue();
    }

    default <T, A, B, C, D> JobHandle<Void> enqueue(JobRef.Proc4<T, A, B, C, D> job, A a, B b, C c, D d) {
        return this.<Void>prepare(job, new Object[] {a, b, c, d}).enqueue();
    }

    default <T, R> JobHandle<R> enqueue(JobRef.Fn0WithContext<T, R> job) {
        return this.<R>prepare(job, new Object[] {}).enqueue();
    }

    default <T, A, R> JobHandle<R> enqueue(JobRef.Fn1WithContext<T, A, R> job, A a) {
        return this.<R>prepare(job, new Object[] {a}).enqueue();
    }

    default <T, A, B, R> JobHandle<R> enqueue(JobRef.Fn2WithContext<T, A, B, R> job, A a, B b) {
        return this.<R>prepare(job, new Object[] {a, b}).enqueue();
    }

    default <T, A, B, C, R> JobHandle<R> enqueue(JobRef.Fn3WithContext<T, A, B, C, R> job, A a, B b, C c) {
        return this.<R>prepare(job, new Object[] {a, b, c}).enqueue();
    }

    default <T, A, B, C, D, R> JobHandle<R> enqueue(JobRef.Fn4WithContext<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return this.<R>prepare(job, new Object[] {a, b, c, d}).enqueue();
    }

    default <T> JobHandle<Void> enqueue(JobRef.Proc0WithContext<T> job) {
        return this.<Void>prepare(job, new Object[] {}).enqueue();
    }

    default <T, A> JobHandle<Void> enqueue(JobRef.Proc1WithContext<T, A> job, A a) {
        return this.<Void>prepare(job, new Object[] {a}).enqueue();
    }

    default <T, A, B> JobHandle<Void> enqueue(JobRef.Proc2WithContext<T, A, B> job, A a, B b) {
        return this.<Void>prepare(job, new Object[] {a, b}).enqueue();
    }

    default <T, A, B, C> JobHandle<Void> enqueue(JobRef.Proc3WithContext<T, A, B, C> job, A a, B b, C c) {
        return this.<Void>prepare(job, new Object[] {a, b, c}).enqueue();
    }

    default <T, A, B, C, D> JobHandle<Void> enqueue(JobRef.Proc4WithContext<T, A, B, C, D> job, A a, B b, C c, D d) {
        return this.<Void>prepare(job, new Object[] {a, b, c, d}).enqueue();
    }

    // Typed overloads: a request to add options or a delay to.

    default <T, R> JobRequest<R> schedule(JobRef.Fn0<T, R> job) {
        return prepare(job, new Object[] {});
    }

    default <T, A, R> JobRequest<R> schedule(JobRef.Fn1<T, A, R> job, A a) {
        return prepare(job, new Object[] {a});
    }

    default <T, A, B, R> JobRequest<R> schedule(JobRef.Fn2<T, A, B, R> job, A a, B b) {
        return prepare(job, new Object[] {a, b});
    }

    default <T, A, B, C, R> JobRequest<R> schedule(JobRef.Fn3<T, A, B, C, R> job, A a, B b, C c) {
        return prepare(job, new Object[] {a, b, c});
    }

    default <T, A, B, C, D, R> JobRequest<R> schedule(JobRef.Fn4<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return prepare(job, new Object[] {a, b, c, d});
    }

    default <T> JobRequest<Void> schedule(JobRef.Proc0<T> job) {
        return prepare(job, new Object[] {});
    }

    default <T, A> JobRequest<Void> schedule(JobRef.Proc1<T, A> job, A a) {
        return prepare(job, new Object[] {a});
    }

    default <T, A, B> JobRequest<Void> schedule(JobRef.Proc2<T, A, B> job, A a, B b) {
        return prepare(job, new Object[] {a, b});
    }

    default <T, A, B, C> JobRequest<Void> schedule(JobRef.Proc3<T, A, B, C> job, A a, B b, C c) {
        return prepare(job, new Object[] {a, b, c});
    }

    default <T, A, B, C, D> JobRequest<Void> schedule(JobRef.Proc4<T, A, B, C, D> job, A a, B b, C c, D d) {
        return prepare(job, new Object[] {a, b, c, d});
    }

    default <T, R> JobRequest<R> schedule(JobRef.Fn0WithContext<T, R> job) {
        return prepare(job, new Object[] {});
    }

    default <T, A, R> JobRequest<R> schedule(JobRef.Fn1WithContext<T, A, R> job, A a) {
        return prepare(job, new Object[] {a});
    }

    default <T, A, B, R> JobRequest<R> schedule(JobRef.Fn2WithContext<T, A, B, R> job, A a, B b) {
        return prepare(job, new Object[] {a, b});
    }

    default <T, A, B, C, R> JobRequest<R> schedule(JobRef.Fn3WithContext<T, A, B, C, R> job, A a, B b, C c) {
        return prepare(job, new Object[] {a, b, c});
    }

    default <T, A, B, C, D, R> JobRequest<R> schedule(JobRef.Fn4WithContext<T, A, B, C, D, R> job, A a, B b, C c, D d) {
        return prepare(job, new Object[] {a, b, c, d});
    }

    default <T> JobRequest<Void> schedule(JobRef.Proc0WithContext<T> job) {
        return prepare(job, new Object[] {});
    }

    default <T, A> JobRequest<Void> schedule(JobRef.Proc1WithContext<T, A> job, A a) {
        return prepare(job, new Object[] {a});
    }

    default <T, A, B> JobRequest<Void> schedule(JobRef.Proc2WithContext<T, A, B> job, A a, B b) {
        return prepare(job, new Object[] {a, b});
    }

    default <T, A, B, C> JobRequest<Void> schedule(JobRef.Proc3WithContext<T, A, B, C> job, A a, B b, C c) {
        return prepare(job, new Object[] {a, b, c});
    }

    default <T, A, B, C, D> JobRequest<Void> schedule(JobRef.Proc4WithContext<T, A, B, C, D> job, A a, B b, C c, D d) {
        return prepare(job, new Object[] {a, b, c, d});
    }
}
