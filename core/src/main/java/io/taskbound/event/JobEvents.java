package io.taskbound.event;

import io.taskbound.Bound;
import io.taskbound.JobEvent;
import io.taskbound.JobEvent.Kind;
import io.taskbound.JobListener;
import io.taskbound.JobState;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import io.taskbound.run.Completer;
import io.taskbound.run.JobRunner;
import io.taskbound.run.RunObserver;
import io.taskbound.store.ChangedJob;
import io.taskbound.store.ClaimedJob;
import io.taskbound.store.Completion;
import io.taskbound.store.JobChanges;
import io.taskbound.store.JobStore;
import io.taskbound.store.NodeStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Turns what the stores, the runner and the completer report into {@link JobEvent}s, and queues
 * each once the change it reports is committed. Exists only while the node has listeners: without
 * one, nothing is observed and no event is built.
 *
 * <p><b>Order per job.</b> A change is committed before the event that reports it is queued, and
 * another node or thread can act on it in between: a lane thread may claim and start a job whose
 * enqueue has committed while the enqueuing thread has not yet queued its {@code ENQUEUED}, or a
 * retry whose {@code FAILED} the completer has yet to queue. So each event is <i>held</i>, by job
 * id, from before its commit, and whoever comes first after the commit queues it: the committing
 * thread, or the lane thread about to queue that job's {@code STARTED}, which can only claim the job
 * once the change it waits on is committed. A rolled-back change forgets what it held.
 *
 * <p><b>What is reported.</b> Inserts ({@code ENQUEUED}, also of schedules' jobs), each run's start
 * and its outcome as written ({@code SUCCEEDED}, {@code FAILED}, {@code DEAD}, {@code CANCELLED};
 * the stored state, so a failure after a cancellation request is {@code CANCELLED}), cancellations
 * of waiting jobs, and the jobs of dead nodes that this node's sweep recovered: {@code FAILED} when
 * queued again (the lost run counts as an attempt), else {@code DEAD} or {@code CANCELLED}. A run
 * cut short by this node's shutdown and queued again without charging its attempt has no outcome
 * event (its next {@code STARTED} follows, here or on another node), unless its cancellation was
 * requested ({@code CANCELLED}). Jobs whose claim was lost in doubt and re-queued by the heartbeat
 * never started here and report nothing.
 */
public final class JobEvents implements JobChanges, RunObserver {

    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);

    private final EventQueue queue;
    private final JobCatalog catalog;
    private final InstantSource clock;
    private final ConcurrentHashMap<UUID, Held> held = new ConcurrentHashMap<>();
    private final AtomicBoolean warnedUnsynchronized = new AtomicBoolean();
    private @Nullable Runnable detach;

    /** An event waiting for its commit; {@code lease} is the run's, for an outcome. */
    private record Held(JobEvent event, @Nullable UUID lease) {}

    /**
     * @param clock the time of starts and ends of runs: the database's clock as this node reads it,
     *     or a test clock
     */
    JobEvents(EventQueue queue, JobCatalog catalog, InstantSource clock) {
        this.queue = queue;
        this.catalog = catalog;
        this.clock = clock;
    }

    /**
     * Job events for {@code listeners}, observing the given parts of the engine; null, observing
     * nothing, when there is no listener. Start {@link #queue()} with the engine's loops.
     */
    public static @Nullable JobEvents attach(
            List<JobListener> listeners,
            int capacity,
            JobCatalog catalog,
            InstantSource clock,
            JobStore jobs,
            NodeStore nodes,
            JobRunner runner,
            Completer completer) {
        if (listeners.isEmpty()) {
            return null;
        }
        JobEvents events = new JobEvents(new EventQueue(listeners, capacity), catalog, clock);
        jobs.observe(events);
        nodes.observe(events);
        runner.observe(events);
        completer.observe(events);
        events.detach = () -> {
            jobs.observe(null);
            nodes.observe(null);
            runner.observe(null);
            completer.observe(null);
        };
        return events;
    }

    /** Stops observing; events held for a commit that comes later are not queued. */
    public void detach() {
        Runnable current = detach;
        if (current != null) {
            current.run();
        }
        held.clear();
    }

    /** The delivery loop. */
    public EventQueue queue() {
        return queue;
    }

    @Override
    public void inserted(List<ChangedJob> jobs) {
        afterCommit(jobs, Kind.ENQUEUED);
    }

    @Override
    public void cancelled(List<ChangedJob> jobs) {
        afterCommit(jobs, Kind.CANCELLED);
    }

    @Override
    public void recovered(List<ChangedJob> jobs) {
        afterCommit(jobs, null);
    }

    @Override
    public void started(ClaimedJob job) {
        // Whatever this job's last change was, it is committed: the claim could not see the job before.
        releaseAny(job.id());
        Instant at = clock.instant();
        Instant due = job.runAt();
        queue.offer(new JobEvent(
                Kind.STARTED,
                job.id(),
                job.name(),
                job.lane(),
                bound(job.name()),
                job.attempt(),
                job.maxAttempts(),
                at,
                due,
                waited(due, at),
                null,
                null));
    }

    @Override
    public void ended(ClaimedJob job, Completion outcome) {
        Instant at = clock.instant();
        Duration runTime = Duration.ofNanos(outcome.wallTimeMicros() * 1_000);
        Instant due = job.runAt();
        JobEvent event = new JobEvent(
                kind(outcome.state()),
                job.id(),
                job.name(),
                job.lane(),
                bound(job.name()),
                job.attempt(),
                job.maxAttempts(),
                at,
                due,
                waited(due, at.minus(runTime)),
                runTime,
                outcome.error());
        hold(new Held(event, outcome.lease()));
    }

    @Override
    public void written(Completion outcome, JobState stored) {
        held.computeIfPresent(outcome.jobId(), (id, waiting) -> {
            if (!outcome.lease().equals(waiting.lease())) {
                return waiting;
            }
            JobEvent event = waiting.event();
            Kind kind = kind(stored);
            // Another kind when cancellation was requested; another error when the outcome was refused
            // and its job written dead instead.
            queue.offer(
                    kind == event.kind() && Objects.equals(outcome.error(), event.error())
                            ? event
                            : new JobEvent(
                                    kind,
                                    event.jobId(),
                                    event.name(),
                                    event.lane(),
                                    event.bound(),
                                    event.attempt(),
                                    event.maxAttempts(),
                                    event.at(),
                                    event.dueAt(),
                                    event.waited(),
                                    event.runTime(),
                                    outcome.error()));
            return null;
        });
    }

    @Override
    public void discarded(Completion outcome) {
        held.computeIfPresent(
                outcome.jobId(), (id, waiting) -> outcome.lease().equals(waiting.lease()) ? null : waiting);
    }

    // Held from now, inside the changing transaction; queued or forgotten when it completes. A
    // transaction without synchronization cannot say when it commits: nothing is reported then.
    private void afterCommit(List<ChangedJob> jobs, @Nullable Kind kind) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            if (warnedUnsynchronized.compareAndSet(false, true)) {
                log.warn("Job events of changes made outside a synchronized transaction are not reported: their"
                        + " commit cannot be observed (is transaction synchronization turned off?)");
            }
            return;
        }
        List<Held> events = new ArrayList<>(jobs.size());
        for (ChangedJob job : jobs) {
            Held event = new Held(event(job, kind == null ? recoveredKind(job.state()) : kind), null);
            hold(event);
            events.add(event);
        }
        // Registered before the enqueue's own wake-up of the lanes, so it runs first after commit.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                events.forEach(JobEvents.this::release);
            }

            @Override
            public void afterCompletion(int status) {
                // Rolled back, or a commit in doubt: nothing to report.
                if (status != STATUS_COMMITTED) {
                    events.forEach(event -> held.remove(event.event().jobId(), event));
                }
            }
        });
    }

    // A newer change replaces an older one still held: the older can no longer take effect (an
    // outcome whose lease a dead-node sweep took back).
    private void hold(Held event) {
        held.put(event.event().jobId(), event);
    }

    private void release(Held event) {
        held.computeIfPresent(event.event().jobId(), (id, waiting) -> {
            if (waiting != event) {
                return waiting;
            }
            queue.offer(event.event());
            return null;
        });
    }

    private void releaseAny(UUID jobId) {
        // Most starts find nothing held: a look takes no lock, where computeIfPresent may.
        if (!held.containsKey(jobId)) {
            return;
        }
        held.computeIfPresent(jobId, (id, waiting) -> {
            queue.offer(waiting.event());
            return null;
        });
    }

    private static JobEvent event(ChangedJob job, Kind kind) {
        return new JobEvent(
                kind,
                job.id(),
                job.name(),
                job.lane(),
                job.bound(),
                job.attempt(),
                job.maxAttempts(),
                job.at(),
                job.dueAt(),
                null,
                null,
                job.error());
    }

    // Claims take only jobs registered on this node, and every enqueue stores the registered bound.
    private Bound bound(String jobName) {
        JobDefinition definition = catalog.find(jobName);
        return definition == null ? Bound.IO : definition.bound();
    }

    private static Duration waited(Instant due, Instant start) {
        Duration waited = Duration.between(due, start);
        return waited.isNegative() ? Duration.ZERO : waited;
    }

    private static Kind kind(JobState state) {
        return switch (state) {
            case SUCCEEDED -> Kind.SUCCEEDED;
            case RETRYING -> Kind.FAILED;
            case DEAD -> Kind.DEAD;
            case CANCELLED -> Kind.CANCELLED;
            case QUEUED, RUNNING -> throw new IllegalArgumentException("Not the state of an outcome: " + state);
        };
    }

    private static Kind recoveredKind(JobState state) {
        return state == JobState.QUEUED ? Kind.FAILED : kind(state);
    }
}
